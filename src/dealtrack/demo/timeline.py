"""The demo's clock: a year of working hours ending at the start of `--today`, in the local time zone.

Plans count time in *working seconds* since the start of the window: each day contributes its
09:00–18:00, so any increasing sequence of working seconds is an increasing sequence of moments that
all fall in office hours. Working time converts to aware datetimes only when rows are written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

DAY = 9 * 3600  # working seconds in one day
HOUR = 3600
WINDOW_DAYS = 365
OPENING_HOUR = 9
# Due dates and expected close dates may lie this far after --today.
FUTURE_DAYS = 200


@dataclass(frozen=True)
class Timeline:
    """Working time ↔ wall-clock time for the year before `today` (the window ends at today 00:00)."""

    today: dt.date
    tz: dt.tzinfo
    _midnights: tuple[dt.datetime, ...] = field(repr=False)

    @classmethod
    def ending(cls, today: dt.date, tz: dt.tzinfo | None = None) -> Timeline:
        tz = tz or timezone.get_default_timezone()
        first = today - dt.timedelta(days=WINDOW_DAYS)
        midnights = tuple(
            dt.datetime.combine(first + dt.timedelta(days=d), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
            for d in range(WINDOW_DAYS + FUTURE_DAYS)
        )
        return cls(today=today, tz=tz, _midnights=midnights)

    @property
    def end(self) -> int:
        """Working time of the window's end: --today at 00:00, when the demo's history stops."""
        return WINDOW_DAYS * DAY

    @property
    def as_of(self) -> dt.datetime:
        """The moment the demo data describes: the start of --today, local time."""
        return self._midnights[WINDOW_DAYS]

    def moment(self, working: int) -> dt.datetime:
        """The aware (UTC) datetime of a working-time instant (up to FUTURE_DAYS after the window)."""
        day, second = divmod(working, DAY)
        return self._midnights[day] + dt.timedelta(seconds=OPENING_HOUR * HOUR + second)

    def date(self, working: int) -> dt.date:
        """The local calendar date of a working-time instant."""
        return self.today + dt.timedelta(days=working // DAY - WINDOW_DAYS)

    def seconds_between(self, earlier: int, later: int) -> int:
        """Wall-clock seconds between two working-time instants (what `seconds_in_stage` records)."""
        return int((self.moment(later) - self.moment(earlier)).total_seconds())

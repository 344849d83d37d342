"""What a report covers: a period (inclusive dates in the organisation's time zone), and optionally a
pipeline, a team (with the teams below it) and an owner. Parsed from query parameters with clear errors."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.models import Team, User
from dealtrack.pipelines.models import Pipeline

MAX_DAYS = 366 * 5


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    last_month = first_month + 2
    last_day = calendar.monthrange(day.year, last_month)[1]
    return dt.date(day.year, first_month, 1), dt.date(day.year, last_month, last_day)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _is_whole_months(start: dt.date, end: dt.date) -> bool:
    return start.day == 1 and (end + dt.timedelta(days=1)).day == 1


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date
    pipeline_id: int | None = None
    team_id: int | None = None
    owner_id: int | None = None

    @property
    def start_at(self) -> dt.datetime:
        """The first moment of the period, in the organisation's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> ReportFilters:
        """The period just before: as many whole calendar months for a whole-month period, else as many days."""
        if _is_whole_months(self.start, self.end):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            start = _add_months(self.start, -months)
            return replace(self, start=start, end=self.start - dt.timedelta(days=1))
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the period touches, in order."""
        found = []
        month = dt.date(self.start.year, self.start.month, 1)
        while month <= self.end:
            found.append(f"{month:%Y-%m}")
            month = _add_months(month, 1)
        return found

    def as_query(self) -> dict[str, str]:
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for key, value in (("pipeline", self.pipeline_id), ("team", self.team_id), ("owner", self.owner_id)):
            if value is not None:
                query[key] = str(value)
        return query


def _parse_date(raw: Any, field: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _parse_id(raw: Any, field: str, model: type) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if not text.isdigit() or not model.objects.filter(pk=int(text)).exists():
        raise ValidationError({field: [_("Choose an existing record.")]})
    return int(text)


def parse_filters(params: Mapping[str, Any], *, today: dt.date | None = None) -> ReportFilters:
    """Read `from`, `to`, `pipeline`, `team`, `owner`. The default period is the current quarter.

    Bad input raises ValidationError keyed by parameter, in the active language.
    """
    today = today or timezone.localdate()
    default_start, default_end = quarter_of(today)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, parse in (
        ("from", lambda raw: _parse_date(raw, "from")),
        ("to", lambda raw: _parse_date(raw, "to")),
        ("pipeline", lambda raw: _parse_id(raw, "pipeline", Pipeline)),
        ("team", lambda raw: _parse_id(raw, "team", Team)),
        ("owner", lambda raw: _parse_id(raw, "owner", User)),
    ):
        try:
            values[field] = parse(params.get(field))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    start = values.get("from") or default_start
    end = values.get("to") or default_end
    if start > end:
        errors.setdefault("to", []).append(_("The end date must not be before the start date."))
    elif start.year < 1900 or end.year > 2200:
        errors.setdefault("to", []).append(_("Choose dates between 1900 and 2200."))
    elif (end - start).days >= MAX_DAYS:
        errors.setdefault("to", []).append(_("Choose a period of at most five years."))
    if errors:
        raise ValidationError(errors)
    return ReportFilters(
        start=start, end=end, pipeline_id=values["pipeline"], team_id=values["team"], owner_id=values["owner"]
    )

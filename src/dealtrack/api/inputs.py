"""Input types every endpoint uses, bounded so that no value a client can send reaches the database as an error.

Ids fit a 64-bit column, text carries no NUL (PostgreSQL refuses it), moments are time-zone aware and inside the
years a calendar can add hours to without overflowing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

from dealtrack.core.constants import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text cannot contain NUL characters."))
    return value


def text(max_length: int | None = None) -> type[str]:
    """A string without NUL characters, at most `max_length` long (matching its model field)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_nul)]  # type: ignore[return-value]


Text = text()


def _bounded_moment(value: dt.datetime) -> dt.datetime:
    if not 1900 <= value.year <= 9000:
        raise ValueError(_("Enter a date between the years 1900 and 9000."))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # in the organisation's time zone
    return value


def _bounded_day(value: dt.date) -> dt.date:
    if not 1900 <= value.year <= 9000:
        raise ValueError(_("Enter a date between the years 1900 and 9000."))
    return value


Moment = Annotated[dt.datetime, AfterValidator(_bounded_moment)]
Day = Annotated[dt.date, AfterValidator(_bounded_day)]

"""Reading cell values: dates in the formats spreadsheets use, amounts with symbols and 万, names in any language.

Every reader raises `ValueProblem` with a message for the user; none of them touches the database.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

LANGUAGES = ("en", "zh-hans", "zh-hant")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says why, in the user's language."""


def name_key(text: Any) -> str:
    """Names compared loosely: width-folded, case-folded, without spaces or punctuation (GTXPro = GTX Pro)."""
    return _text_key(str(text))


@functools.lru_cache(maxsize=65536)
def _text_key(text: str) -> str:
    # Remembered per text (not per value: 1, 1.0 and True are equal keys yet read differently).
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def translations(msgid: str) -> set[str]:
    """`msgid` as shown in each shipped language (stage, source and reason names are msgids)."""
    shown = {msgid}
    for language in LANGUAGES:
        with translation.override(language):
            shown.add(gettext(msgid))
    return shown


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_SCALE = {"万": Decimal(10_000), "萬": Decimal(10_000), "亿": Decimal(100_000_000), "億": Decimal(100_000_000),
          "k": Decimal(1000), "m": Decimal(1_000_000)}  # fmt: skip


def amount(value: Any) -> Decimal | None:
    """A money amount: 1,000 / ¥1,000.50 / $ 1 000 / 12.5万 / 3万元; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(_("Enter a number."))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = unicodedata.normalize("NFKC", str(value)).strip().lower()
        raw = re.sub(r"^(rmb|cny|usd|eur|hkd|[¥$€£])\s*", "", raw)
        raw = re.sub(r"\s*(元|块|rmb|cny)$", "", raw)
        scale = Decimal(1)
        if raw and raw[-1] in _SCALE:
            scale = _SCALE[raw[-1]]
            raw = raw[:-1]
        raw = raw.replace(",", "").replace(" ", "").replace("\u00a0", "")
        try:
            number = Decimal(raw) * scale
        except InvalidOperation:
            raise ValueProblem(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValueProblem(_("Enter a number."))
    return number


def whole_number(value: Any) -> int | None:
    number = amount(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueProblem(_("Enter a whole number."))
    return int(number)


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_AMBIGUOUS = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_TIME = re.compile(r"^(.*?)(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2})?$", re.I)
_NAMED_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001  (Excel serials are naive local dates)

MDY = "mdy"
DMY = "dmy"


def day_order(values: Iterable[Any]) -> str | None:
    """How a column writes ambiguous dates like 10/11/2016: 'mdy', 'dmy', or None if it never says.

    A value whose first number is over 12 proves day-first; a second number over 12 proves month-first.
    """
    first_over = second_over = False
    for value in values:
        if not isinstance(value, str):
            continue
        match = _AMBIGUOUS.match(_TIME.match(value.strip()).group(1).strip())
        if match:
            first_over |= int(match.group(1)) > 12
            second_over |= int(match.group(2)) > 12
    if first_over and not second_over:
        return DMY
    if second_over and not first_over:
        return MDY
    return None


def _date_part(raw: str, order: str | None) -> dt.date:
    for pattern in (_YMD, _COMPACT):
        match = pattern.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    match = _AMBIGUOUS.match(raw)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if year < 100:
            year += 2000
        month, day = (b, a) if (order == DMY or a > 12) else (a, b)
        return dt.date(year, month, day)
    for fmt in _NAMED_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(raw)


def moment(value: Any, *, order: str | None = None) -> dt.datetime | None:
    """An aware datetime (local time zone) from a date or date-time cell; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        return timezone.make_aware(EXCEL_EPOCH + dt.timedelta(days=float(value)))
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    match = _TIME.match(raw)
    try:
        day = _date_part(match.group(1).strip(), order)
        hour, minute, second = (int(g or 0) for g in match.group(2, 3, 4))
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))
    except ValueError:
        raise ValueProblem(
            _("“%(value)s” is not a date this importer understands. Write dates as YYYY-MM-DD, e.g. 2024-03-31.")
            % {"value": raw}
        ) from None


def date(value: Any, *, order: str | None = None) -> dt.date | None:
    when = moment(value, order=order)
    return timezone.localdate(when) if when else None


def choice_index(choices: Iterable[tuple[str, Any]], synonyms: dict[str, str] | None = None) -> dict[str, str]:
    """{loose name: stored value} for TextChoices, labels in every shipped language; build once per import."""
    index = {name_key(k): v for k, v in (synonyms or {}).items()}
    for stored, label in choices:
        index[name_key(stored)] = stored
        for language in LANGUAGES:
            with translation.override(language):
                index[name_key(str(label))] = stored
    return index


def choice(value: Any, index: dict[str, str]) -> str:
    """The stored value named by `value` in an index from `choice_index`."""
    found = index.get(name_key(value))
    if found is None:
        raise ValueProblem(_("“%(value)s” is not one of the allowed values.") % {"value": value})
    return found

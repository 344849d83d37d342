"""Money, dates and small display helpers in the reader's locale (¥1,234,567 · 123.46 万 · 2025年3月5日)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "US$", "EUR": "€", "HKD": "HK$", "JPY": "JP¥", "GBP": "£", "TWD": "NT$"}
TEN_THOUSAND = Decimal(10_000)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _grouped(amount: Decimal) -> str:
    # Chinese finance groups money by thousands with commas too (¥1,234,567), unlike Django's zh number format.
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def _language() -> str:
    return (get_language() or "en").lower()


@register.filter
def money(value: Any, currency: str = "CNY") -> str:
    """¥1,234,567 (whole amounts without decimals), US$12.50; empty for no value."""
    amount = _decimal(value)
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or "CNY", f"{currency} ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{_grouped(abs(amount))}"


@register.filter
def money_short(value: Any, currency: str = "CNY") -> str:
    """Compact amounts for headers: 123.46 万 (萬 in Traditional Chinese), ¥1.23M in English."""
    amount = _decimal(value)
    if amount is None:
        return ""
    language = _language()
    if language.startswith("zh"):
        if abs(amount) < TEN_THOUSAND:
            return money(amount, currency)
        unit = "萬" if language in ("zh-hant", "zh-tw", "zh-hk") else "万"
        return f"{amount / TEN_THOUSAND:,.2f} {unit}"
    symbol = CURRENCY_SYMBOLS.get(currency or "CNY", f"{currency} ")
    for size, suffix in ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M"), (Decimal(1_000), "K")):
        if abs(amount) >= size:
            return f"{symbol}{amount / size:,.2f}{suffix}"
    return money(amount, currency)


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """A date in the locale's long form: 2025年3月5日 / March 5, 2025."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A date and time in the locale's form, in the organisation's time zone."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


@register.filter
def iso_day(value: dt.date | dt.datetime | None) -> str:
    """YYYY-MM-DD for <input type=date>; text (a user's rejected input) is returned as typed."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in templates, None when absent."""
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None

"""Formatting of report figures: rates as percentages, changes with a sign, empty figures as a dash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()
DASH = "—"


@register.filter
def percent(value: Any) -> str:
    """0.4567 → '45.7%'; None → a dash."""
    if value is None:
        return DASH
    return f"{floatformat(float(value) * 100, 1)}%"


@register.filter
def change(value: Any) -> str:
    """A relative change with its sign: +12.5% / −3.0%; None → a dash."""
    if value is None:
        return DASH
    sign = "+" if value >= 0 else "−"
    return f"{sign}{floatformat(abs(float(value)) * 100, 1)}%"


@register.filter
def amount(value: Any) -> str:
    """Money or a count with thousands separators (two decimals only for fractions); None → a dash."""
    if value is None:
        return DASH
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.01')):,}"


@register.filter
def figure(value: Any, key: str) -> str:
    """A summary figure formatted by its kind (rates as percentages, others as amounts)."""
    return percent(value) if "rate" in key else amount(value)


@register.filter
def meter_value(value: Any) -> float:
    """A rate clipped to 0..1.5 for a <meter> element."""
    return 0.0 if value is None else max(0.0, min(float(value), 1.5))

"""Request validation errors (pydantic's, in English) turned into field messages in the caller's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# The location's first element says where the value came from; body payloads also name the parameter.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(location: tuple[Any, ...] | list[Any], schema_params: set[str]) -> str:
    """`name`, `custom.budget`, `tags.2` … as a client knows its fields (no source, no schema parameter)."""
    parts = list(location)
    source = parts.pop(0) if parts and parts[0] in _SOURCES else "body"
    if parts and parts[0] in schema_params:
        parts.pop(0)
    if source != "body":
        parts = [p for p in parts if not isinstance(p, int)]  # `owner=1&owner=x`: the parameter is `owner`
    return ".".join(str(p) for p in parts) or source


def message_for(error: dict[str, Any]) -> str:
    """One translated sentence for one pydantic error (by its stable `type`, never its English `msg`)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}:
        return _("This number has too many digits.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind.startswith("date_") or kind == "date_type":
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("datetime_") or kind.startswith("timezone_"):
        return _("Enter a date and time in ISO 8601 format, e.g. 2025-06-30T09:00:00+08:00.")
    if kind in {"string_type", "string_sub_type", "string_unicode"}:
        return _("Enter text.")
    if kind == "string_too_long":
        return _("Enter at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("This field is required.")
    if kind == "string_pattern_mismatch":
        return _("Enter a valid value.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"literal_error", "enum"}:
        return _("Select one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind == "too_long":
        return _("Enter at most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter an object.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error":
        # Our own validators raise ValueError with an already translated message.
        return str(ctx.get("error", "")) or _("Enter a valid value.")
    return _("Enter a valid value.")


def translate_errors(errors: list[dict[str, Any]], schema_params: set[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = field_name(error.get("loc", ()), schema_params)
        message = message_for(error)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields

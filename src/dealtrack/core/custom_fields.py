"""Validation of custom field values against their typed definitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dealtrack.core.choices import CustomFieldType
from dealtrack.core.constants import MAX_ID
from dealtrack.core.models import CustomFieldDefinition, User


def definitions_for(entity: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(entity=entity))


def _clean_one(definition: CustomFieldDefinition, raw: Any) -> Any:
    kind = definition.field_type
    if kind == CustomFieldType.TEXT:
        return str(raw)
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        try:
            number = Decimal(str(raw).replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        return str(number.quantize(Decimal("0.01"))) if kind == CustomFieldType.MONEY else str(number)
    if kind == CustomFieldType.DATE:
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == CustomFieldType.CHOICE:
        if str(raw) not in definition.choices:
            raise ValidationError(_("Choose one of: %(choices)s") % {"choices": ", ".join(definition.choices)})
        return str(raw)
    if kind == CustomFieldType.MULTI_CHOICE:
        values = raw if isinstance(raw, list) else [v.strip() for v in str(raw).split(",") if v.strip()]
        unknown = [str(v) for v in values if str(v) not in definition.choices]
        if unknown:
            raise ValidationError(_("Unknown choices: %(values)s") % {"values": ", ".join(unknown)})
        return [str(v) for v in values]
    if kind == CustomFieldType.USER:
        try:
            user_id = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a user.")) from None
        if not 0 < user_id <= MAX_ID or not User.objects.filter(pk=user_id).exists():  # ids fit 64 bits
            raise ValidationError(_("Choose a user."))
        return user_id
    if kind == CustomFieldType.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "y", "是", "on"}:
            return True
        if text in {"0", "false", "no", "n", "否", "off"}:
            return False
        raise ValidationError(_("Enter yes or no."))
    raise ValidationError(_("Unknown field type."))


def clean_custom_value(definition: CustomFieldDefinition, raw: Any) -> Any:
    """One value typed as `definition` stores it (e.g. to filter on it); a bad value raises ValidationError."""
    return _clean_one(definition, raw)


def clean_custom_values(
    entity: str,
    values: dict[str, Any],
    *,
    existing: dict[str, Any] | None = None,
    definitions: Iterable[CustomFieldDefinition] | None = None,
) -> dict[str, Any]:
    """Merge `values` into `existing`, typed per definition; unknown keys and bad values raise, keyed by field.

    `definitions` are `entity`'s, when the caller has read them already (bulk imports: once per run).
    """
    by_key = {d.key: d for d in (definitions_for(entity) if definitions is None else definitions)}
    merged = dict(existing or {})
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        definition = by_key.get(key)
        if definition is None:
            errors[f"custom.{key}"] = [_("Unknown custom field.")]
            continue
        if raw is None or raw == "" or raw == []:
            merged.pop(key, None)
            continue
        try:
            merged[key] = _clean_one(definition, raw)
        except ValidationError as exc:
            errors[f"custom.{key}"] = exc.messages
    for key, definition in by_key.items():
        if definition.required and key not in merged and f"custom.{key}" not in errors:
            errors[f"custom.{key}"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    return merged

"""Form fields for custom field definitions, and carrying service validation errors onto forms.

Forms here only parse input; the services decide what is valid. `add_service_errors` puts a service's
`ValidationError` (keyed by model field, or `custom.<key>`) onto the matching form fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dealtrack.core.choices import CustomFieldType
from dealtrack.core.custom_fields import definitions_for
from dealtrack.core.models import CustomFieldDefinition, User

CUSTOM_PREFIX = "cf_"


def custom_form_field(definition: CustomFieldDefinition, *, required: bool | None = None) -> forms.Field:
    """The form field for one custom field definition (never required here: the service checks that)."""
    options: dict[str, Any] = {"label": definition.label, "required": bool(required)}
    kind = definition.field_type
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        return forms.DecimalField(**options, decimal_places=None if kind == CustomFieldType.NUMBER else 2)
    if kind == CustomFieldType.DATE:
        return forms.DateField(**options, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    if kind == CustomFieldType.CHOICE:
        return forms.ChoiceField(**options, choices=[("", "—"), *[(c, c) for c in definition.choices]])
    if kind == CustomFieldType.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            **options, choices=[(c, c) for c in definition.choices], widget=forms.CheckboxSelectMultiple
        )
    if kind == CustomFieldType.USER:
        return forms.ModelChoiceField(**options, queryset=User.objects.filter(is_active=True))
    if kind == CustomFieldType.BOOLEAN:
        return forms.NullBooleanField(**options)
    return forms.CharField(**options, max_length=500)


def add_custom_fields(form: forms.Form, entity: str, instance_custom: dict[str, Any] | None = None) -> None:
    """Add a `cf_<key>` field per definition of `entity` to `form`, with initial values from `instance_custom`."""
    custom = instance_custom or {}
    form.custom_definitions = definitions_for(entity)
    for definition in form.custom_definitions:
        name = CUSTOM_PREFIX + definition.key
        form.fields[name] = custom_form_field(definition)
        if definition.key in custom:
            form.initial.setdefault(name, custom[definition.key])


def custom_values(form: forms.Form) -> dict[str, Any]:
    """{key: value} of the custom fields in a valid form, JSON-ready; empty values clear the field."""
    values: dict[str, Any] = {}
    for definition in getattr(form, "custom_definitions", []):
        raw = form.cleaned_data.get(CUSTOM_PREFIX + definition.key)
        if isinstance(raw, Decimal):
            raw = str(raw)
        elif isinstance(raw, dt.date):
            raw = raw.isoformat()
        elif isinstance(raw, User):
            raw = raw.pk
        values[definition.key] = "" if raw is None else raw
    return values


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Attach a service's errors to the form's fields (`custom.x` → `cf_x`); unknown keys become form errors."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        name = aliases.get(key, key)
        if name.startswith("custom."):
            name = CUSTOM_PREFIX + name.removeprefix("custom.")
        if name in form.fields:
            form.add_error(name, messages)
        else:
            form.add_error(None, messages)

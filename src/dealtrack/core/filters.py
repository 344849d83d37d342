"""Filter building blocks shared by every app's FilterSet (web lists, API lists and exports use the same ones).

A FilterSet only narrows a queryset it is given; callers always pass one from a `*_visible_to(user)` query, so
no filter can reach a record the user cannot see. Id filters do not look their ids up (an unknown and an
invisible id both simply match nothing), so filters never reveal whether a record exists.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealtrack.core.choices import CustomFieldType
from dealtrack.core.custom_fields import clean_custom_value
from dealtrack.core.models import CustomFieldDefinition

MAX_ID = 2**63 - 1
CUSTOM_PREFIX = "custom."


class IdListField(forms.Field):
    """One or more ids, from repeated parameters (`owner=1&owner=2`) or a comma-separated value."""

    widget = forms.SelectMultiple
    default_error_messages = {"invalid": gettext_lazy("Enter whole-number ids.")}

    def to_python(self, value: Any) -> list[int]:
        if value in (None, "", []):
            return []
        raw = value if isinstance(value, list | tuple) else [value]
        ids: list[int] = []
        for item in raw:
            for part in str(item).split(","):
                part = part.strip()
                if not part:
                    continue
                if not part.isdigit() or not 0 < int(part) <= MAX_ID:
                    raise ValidationError(self.error_messages["invalid"], code="invalid")
                ids.append(int(part))
        return ids


class IdListFilter(django_filters.Filter):
    """`field_name` is any of the given ids; with `method`, the method receives the id list."""

    field_class = IdListField

    def filter(self, qs: QuerySet[Any], value: list[int]) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class CustomValueField(forms.Field):
    """A custom field's value in a query string, typed by its definition (None: an unknown key)."""

    def __init__(self, *args: Any, definition: CustomFieldDefinition | None = None, **kwargs: Any) -> None:
        self.definition = definition
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        if self.definition is None:
            raise ValidationError(_("Unknown custom field."))
        if value in (None, ""):
            return None
        if self.definition.field_type == CustomFieldType.MULTI_CHOICE:
            return clean_custom_value(self.definition, [value])[0]
        return clean_custom_value(self.definition, value)


class CustomFieldFilter(django_filters.Filter):
    """`custom.<key>=value`: text contains, a multiple choice includes the value, other types are equal."""

    field_class = CustomValueField

    def __init__(self, key: str, definition: CustomFieldDefinition | None, **kwargs: Any) -> None:
        self.key = key
        self.definition = definition
        super().__init__(field_name="custom", definition=definition, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None or self.definition is None:
            return qs
        alias = f"custom_filter_{abs(hash(self.key))}"
        kind = self.definition.field_type
        if kind == CustomFieldType.TEXT:
            return qs.alias(**{alias: KeyTextTransform(self.key, "custom")}).filter(**{f"{alias}__icontains": value})
        if kind == CustomFieldType.MULTI_CHOICE:
            # The stored list's JSON text contains the JSON-quoted value. SQLite keeps the \u escapes Django
            # wrote, PostgreSQL prints the characters themselves: look for either spelling.
            spellings = Q(**{f"{alias}__contains": json.dumps(value)})
            spellings |= Q(**{f"{alias}__contains": json.dumps(value, ensure_ascii=False)})
            return qs.alias(**{alias: KeyTextTransform(self.key, "custom")}).filter(spellings)
        return qs.alias(**{alias: KeyTransform(self.key, "custom")}).filter(**{alias: value})


class CustomFieldFilterSet(django_filters.FilterSet):
    """A FilterSet that also understands `custom.<key>=value` for the custom fields of `custom_entity`."""

    custom_entity: str = ""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        keys = [k.removeprefix(CUSTOM_PREFIX) for k in (data or {}) if k.startswith(CUSTOM_PREFIX)]
        if keys:
            definitions = {
                d.key: d for d in CustomFieldDefinition.objects.filter(entity=self.custom_entity, key__in=keys)
            }
            for key in keys:
                self.filters[CUSTOM_PREFIX + key] = CustomFieldFilter(key, definitions.get(key))

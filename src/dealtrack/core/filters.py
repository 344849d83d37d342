"""Filter building blocks of every app's FilterSet (web lists, the board, API lists and exports use the same ones).

A FilterSet only narrows a queryset it is given; callers always pass one from a `*_visible_to(user)` query, so
no filter can reach a record the user cannot see. Id filters do not look their ids up (an unknown and an
invisible id both simply match nothing), so filters never reveal whether a record exists; the choices a web form
offers come from a visibility query of the reader (`records`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget

from dealtrack.core.choices import CustomFieldType
from dealtrack.core.constants import MAX_ID
from dealtrack.core.custom_fields import clean_custom_value
from dealtrack.core.filter_widgets import AnyOfSelect, FlagCheckbox, RecordSelect, parse_flag
from dealtrack.core.models import CustomFieldDefinition, User

CUSTOM_PREFIX = "custom."
MAX_VALUES = 100  # ids or choices in one filter (the API's parameters say the same)
MAX_CUSTOM_TEXT = 500  # as the custom field form fields

Records = Callable[[User], QuerySet[Any]]


def reader_of(filterset: Any) -> User | None:
    """The logged-in user a FilterSet was given through `request` (None without one)."""
    user = getattr(getattr(filterset, "request", None), "user", None)
    return user if user is not None and user.is_authenticated else None


class IdListField(forms.Field):
    """One or more ids, from repeated parameters (`owner=1&owner=2`) or a comma-separated value."""

    widget = forms.SelectMultiple
    default_error_messages = {
        "invalid": gettext_lazy("Enter whole-number ids."),
        "too_many": gettext_lazy("Give at most %(limit)d values."),
    }

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
        if len(ids) > MAX_VALUES:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": MAX_VALUES})
        return ids


class IdListFilter(django_filters.Filter):
    """`field_name` is any of the given ids; with `method`, the method receives the id list.

    `records(user)` gives the records a web form offers (a visibility query of the reader); `selected_only`
    offers only the chosen ones, for sets too big for one `<select>`.
    """

    field_class = IdListField

    def __init__(self, *args: Any, records: Records | None = None, selected_only: bool = False, **kwargs: Any):
        self.records = records
        self.selected_only = selected_only
        super().__init__(*args, **kwargs)

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field") and self.records is not None:
            reader, records = reader_of(self.parent), self.records
            self.extra["widget"] = RecordSelect(
                records=lambda: records(reader) if reader is not None else [],
                selected_only=self.selected_only,
            )
        return super().field

    def filter(self, qs: QuerySet[Any], value: list[int]) -> QuerySet[Any]:
        # (With `method`, django-filter replaces this by a call of the method.)
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class ChoiceListField(forms.MultipleChoiceField):
    """One or more of the choices; an empty value (the form's "any") sets no filter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AnyOfSelect(many=True))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = [v for v in super().to_python(value) if v != ""]
        if len(values) > MAX_VALUES:
            raise ValidationError(IdListField.default_error_messages["too_many"], params={"limit": MAX_VALUES})
        return values


class ChoiceListFilter(django_filters.MultipleChoiceFilter):
    """Any of the given choices (`status=open&status=won`); one `<select>` in a web form."""

    field_class = ChoiceListField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("distinct", False)  # a column of the row itself: no join, no duplicates to remove
        super().__init__(*args, **kwargs)


class FlagField(forms.Field):
    """A yes/no switch: a checkbox in a form, `true`/`false` (or 1/0, yes/no, on/off) in a query string."""

    widget = FlagCheckbox
    default_error_messages = {"invalid": gettext_lazy("Enter true or false.")}

    def to_python(self, value: Any) -> bool:
        flag = parse_flag(value)
        if flag is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return flag


class FlagFilter(django_filters.BooleanFilter):
    """Applies only when true (give it a `method`); false and absent both mean "no filter"."""

    field_class = FlagField


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment within the years 1900–9000 (as the API's inputs), in UTC.

    In UTC because PostgreSQL refuses offsets Python accepts (`+18:12`); bounded because a time zone shift of
    year 1 or 9999 leaves the calendar. Either would otherwise reach the database as an error.
    """

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        if not 1900 <= moment.year <= 9000:
            raise ValidationError(_("Enter a date between the years 1900 and 9000."), code="invalid")
        return moment.astimezone(dt.UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    """`field_name` compared (`lookup_expr`) with an ISO 8601 moment: `updated_since=2030-01-01T08:00:00+08:00`."""

    field_class = MomentField


class MomentRangeField(RangeField):
    widget = DateRangeWidget

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__((MomentField(), MomentField()), *args, **kwargs)


class MomentRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    """`<name>_after` / `<name>_before`: moments, both inclusive."""

    field_class = MomentRangeField


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
        text = str(value)
        if "\x00" in text:
            raise ValidationError(_("Text cannot contain NUL characters."))
        if len(text) > MAX_CUSTOM_TEXT:
            raise ValidationError(_("Enter at most %(limit)d characters.") % {"limit": MAX_CUSTOM_TEXT})
        kind = self.definition.field_type
        if kind == CustomFieldType.BOOLEAN and text == "unknown":
            return None  # what the lists' yes/no selects sent for "any" before
        if kind == CustomFieldType.MULTI_CHOICE:
            return clean_custom_value(self.definition, [value])[0]
        return clean_custom_value(self.definition, value)


def custom_filter_widget(definition: CustomFieldDefinition | None) -> forms.Widget:
    """How a custom field filter looks in a web form."""
    kind = definition.field_type if definition is not None else CustomFieldType.TEXT
    if kind in (CustomFieldType.CHOICE, CustomFieldType.MULTI_CHOICE):
        return AnyOfSelect(choices=[(c, c) for c in definition.choices])  # type: ignore[union-attr]
    if kind == CustomFieldType.BOOLEAN:
        return AnyOfSelect(choices=[("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))])
    if kind == CustomFieldType.USER:
        return RecordSelect(records=lambda: User.objects.filter(is_active=True), many=False)
    if kind == CustomFieldType.DATE:
        return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    if kind in (CustomFieldType.NUMBER, CustomFieldType.MONEY):
        return forms.NumberInput(attrs={"step": "any"})
    return forms.TextInput()


class CustomFieldFilter(django_filters.Filter):
    """`custom.<key>=value`: text contains, a multiple choice includes the value, other types are equal."""

    field_class = CustomValueField

    def __init__(self, key: str, definition: CustomFieldDefinition | None, **kwargs: Any) -> None:
        self.key = key
        self.definition = definition
        kwargs.setdefault("label", definition.label if definition is not None else key)
        kwargs.setdefault("widget", custom_filter_widget(definition))
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

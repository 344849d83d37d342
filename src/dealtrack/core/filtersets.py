"""`ListFilterSet`: the base of the one FilterSet per model that the web list, the board, the API and exports share.

On top of django-filter it adds what every list needs:
- custom fields as `custom.<key>=value` (typed by their definitions; an unknown key is an error);
- aliases: older parameter names accepted for a canonical one (saved views and links keep working); giving both
  names at once is an error rather than a silent choice;
- `form_fields()`: the bound fields a web form shows, in order, custom fields included;
- `active_count()`: how many filters are set (the "Filters (3)" label).

Give it a queryset from a `*_visible_to(user)` query and, in views, `request=` (for "mine" and for the choices a
form offers, which come from the reader's visibility queries).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import django_filters
from django import forms
from django.forms import BoundField
from django.http import QueryDict
from django.utils.translation import gettext as _

from dealtrack.core.filters import CUSTOM_PREFIX, CustomFieldFilter
from dealtrack.core.models import CustomFieldDefinition


class ListFilterSet(django_filters.FilterSet):
    custom_entity: ClassVar[str] = ""  # whose custom fields become `custom.<key>` filters ("" for none)
    aliases: ClassVar[dict[str, str]] = {}  # older name -> canonical name
    alias_prefixes: ClassVar[dict[str, str]] = {}  # older prefix -> canonical prefix (`cf_` -> `custom.`)
    form_filters: ClassVar[Sequence[str]] = ()  # what a web form shows, in order (empty: every declared filter)
    descriptions: ClassVar[dict[str, Any]] = {}  # API documentation where the form label says too little

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        all_custom_fields: bool = False,
    ) -> None:
        """`all_custom_fields`: a filter for every custom field (a web form shows them all); without it only for
        the `custom.<key>` parameters given (the API, which so reads no definitions unless asked to filter)."""
        data, self.alias_conflicts = self._canonical(data)
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.custom_filter_names: list[str] = []
        if self.custom_entity:
            self._add_custom_filters(all_custom_fields)

    def _canonical(self, data: Any) -> tuple[Any, dict[str, str]]:
        """`data` with aliases renamed to their canonical names, and the conflicts found (canonical -> message)."""
        if data is None or not (self.aliases or self.alias_prefixes):
            return data, {}
        renames = {}
        for key in list(data.keys()):
            if key in self.aliases:
                renames[key] = self.aliases[key]
            for old, new in self.alias_prefixes.items():
                if key.startswith(old) and len(key) > len(old):
                    renames[key] = new + key.removeprefix(old)
        if not renames:
            return data, {}
        canonical = data.copy()  # a QueryDict copy is mutable
        conflicts: dict[str, str] = {}
        for alias, name in renames.items():
            values = canonical.pop(alias)
            if name in data:
                conflicts[name] = _("Use either %(alias)s or %(name)s, not both.") % {"alias": alias, "name": name}
            elif isinstance(canonical, QueryDict):
                canonical.setlist(name, values)
            else:
                canonical[name] = values
        return canonical, conflicts

    def _add_custom_filters(self, every: bool) -> None:
        keys = [k.removeprefix(CUSTOM_PREFIX) for k in self.data if k.startswith(CUSTOM_PREFIX)]
        if not keys and not every:
            return
        definitions = CustomFieldDefinition.objects.filter(entity=self.custom_entity)
        if not every:
            definitions = definitions.filter(key__in=keys)
        known = {d.key: d for d in definitions}
        for key in [*known, *(k for k in keys if k not in known)]:
            name = CUSTOM_PREFIX + key
            self.filters[name] = CustomFieldFilter(key, known.get(key))
            self.filters[name].model = self.queryset.model
            self.filters[name].parent = self
            self.custom_filter_names.append(name)

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            for name, message in self.alias_conflicts.items():
                form.add_error(name if name in form.fields else None, message)
        return self._form

    def form_fields(self, names: Iterable[str] | None = None) -> list[BoundField]:
        """The fields a web form shows: `names` (default: `form_filters` and every custom field), in order.

        A records filter that offers only its selected records (companies) shows only while it is set.
        """
        form = self.form
        if names is None:
            names = [*(self.form_filters or self.base_filters), *self.custom_filter_names]
        shown = []
        for name in names:
            if name not in form.fields:
                continue
            bound = form[name]
            if getattr(bound.field.widget, "selected_only", False) and not any(bound.value() or []):
                continue
            shown.append(bound)
        return shown

    def active_count(self, *, ignore: Iterable[str] = ()) -> int:
        """How many filters are set (valid ones; 0 while the form has errors), leaving out `ignore`."""
        if not self.is_valid():
            return 0
        skipped = set(ignore)
        return sum(
            1
            for name, value in self.form.cleaned_data.items()
            if name not in skipped and value not in (None, "", [], False)
        )

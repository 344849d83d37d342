"""Widgets of the list filters: how a filter looks in a web form and how it reads its query parameter.

The same FilterSet parses the web forms and the API's query strings, so the widgets read what an API client
sends (`status=open&status=won`, `mine=true`) and render what a person picks from (one `<select>` with an
"any" option, a checkbox).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms

from dealtrack.core.constants import MAX_ID

ANY_LABEL = "---------"  # django-filter's empty choice, as the lists showed it before
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})  # what the API's boolean parameters accept too
FALSE_WORDS = frozenset({"", "0", "false", "f", "no", "n", "off"})


def parse_flag(value: Any) -> bool | None:
    """True/False for the words a checkbox or an API client sends; None for anything else."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


class AnyOfSelect(forms.Select):
    """A `<select>` whose first option ("any") sets no filter.

    With `many=True` it reads every value of its parameter (`owner=1&owner=2`), as the API sends them; the form
    then shows the first one selected.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = (), *, many: bool = False) -> None:
        super().__init__(attrs, choices)
        self.many = many

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        groups = super().optgroups(name, value, attrs)
        chosen = any(option["selected"] for _group, options, _index in groups for option in options)
        return [(None, [self.create_option(name, "", ANY_LABEL, not chosen, 0, attrs=attrs)], 0), *groups]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getlist = getattr(data, "getlist", None)
        if not self.many:
            return data.get(name)
        if getlist is not None:
            return getlist(name)
        value = data.get(name)
        return value if isinstance(value, list | tuple) or value is None else [value]


class RecordSelect(AnyOfSelect):
    """An `AnyOfSelect` of records, read from `records()` only when the form is rendered (never for the API).

    `records` returns a queryset the reader may see, so a form never offers an invisible record. With
    `selected_only` it offers just the chosen ones (for big sets such as companies: the page stays small, and a
    filter set from a link can still be seen and cleared).
    """

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        records: Callable[[], Any],
        selected_only: bool = False,
        many: bool = True,
    ) -> None:
        super().__init__(attrs, many=many)
        self.records = records
        self.selected_only = selected_only

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        self.choices = [(record.pk, str(record)) for record in self._records_for(self.format_value(value))]
        return super().get_context(name, value, attrs)

    def _records_for(self, selected: list[str]) -> Iterable[Any]:
        if not self.selected_only:
            return self.records()
        ids = [int(v) for v in selected if v.isdigit() and 0 < int(v) <= MAX_ID]
        return self.records().filter(pk__in=ids) if ids else []


class FlagCheckbox(forms.CheckboxInput):
    """A checkbox that passes its raw value on, so `mine=false` means false and `mine=maybe` is an error."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, check_test=lambda value: parse_flag(value) is True)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

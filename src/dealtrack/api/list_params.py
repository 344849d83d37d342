"""A list endpoint's query parameters, derived from the app's FilterSet so the API filters as the web list does.

`list_params()` turns each filter into a typed, documented parameter (so OpenAPI shows it and bad values are
refused before any query runs); `apply_filters()` then runs the FilterSet itself on the request's query string.
`custom.<key>=value` parameters are read by the FilterSet too; being open-ended they are described, not listed.
"""

from __future__ import annotations

from typing import Any, Literal

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Schema
from pydantic import Field, create_model

from dealtrack.api.inputs import Day, Id, Moment, text
from dealtrack.api.pagination import PageParams, order_choices
from dealtrack.api.problems import field_problem
from dealtrack.core.filters import MAX_VALUES, FlagFilter, IdListFilter


def _fields_for(name: str, flt: django_filters.Filter, description: Any = None) -> dict[str, Any]:
    # Built once at import: in English like the rest of the schema, whatever language is active then.
    with translation.override("en"):
        label = str(description or flt.label or name)
    if isinstance(flt, IdListFilter):
        return {name: (list[Id], Field(default_factory=list, max_length=MAX_VALUES, description=f"{label} (ids)"))}
    if isinstance(flt, django_filters.MultipleChoiceFilter):
        values = tuple(str(value) for value, _label in flt.extra["choices"])
        return {
            name: (
                list[Literal[values]],  # type: ignore[valid-type]
                Field(default_factory=list, max_length=MAX_VALUES, description=label),
            )
        }
    if isinstance(flt, django_filters.IsoDateTimeFromToRangeFilter):
        return {
            f"{name}_after": (Moment | None, Field(None, description=f"{label}: from (inclusive)")),
            f"{name}_before": (Moment | None, Field(None, description=f"{label}: until (inclusive)")),
        }
    if isinstance(flt, django_filters.DateFromToRangeFilter):
        return {
            f"{name}_after": (Day | None, Field(None, description=f"{label}: from (inclusive)")),
            f"{name}_before": (Day | None, Field(None, description=f"{label}: until (inclusive)")),
        }
    if isinstance(flt, django_filters.IsoDateTimeFilter):
        return {name: (Moment | None, Field(None, description=label))}
    if isinstance(flt, django_filters.DateFilter):
        return {name: (Day | None, Field(None, description=label))}
    if isinstance(flt, FlagFilter):
        return {name: (bool | None, Field(None, description=label))}
    if isinstance(flt, django_filters.CharFilter):
        return {name: (text(200) | None, Field(None, description=label))}  # type: ignore[operator]
    raise TypeError(f"No API parameter type for {type(flt).__name__} {name!r}")


def list_params(
    name: str,
    *,
    filterset: type[django_filters.FilterSet] | None,
    orderings: dict[str, str],
    default_order: str,
    extra: dict[str, Any] | None = None,
) -> type[Schema]:
    """The Query schema of a list endpoint: paging, `order`, every filter of `filterset`, and `extra` fields."""
    fields: dict[str, Any] = {
        "order": (order_choices(orderings), Field(default_order, description="Sort key; '-' for descending.")),
    }
    descriptions = getattr(filterset, "descriptions", {})
    for filter_name, flt in filterset.base_filters.items() if filterset else []:
        fields.update(_fields_for(filter_name, flt, descriptions.get(filter_name)))
    fields.update(extra or {})
    return create_model(name, __base__=PageParams, **fields)  # type: ignore[no-any-return,call-overload]


def apply_filters(
    filterset: type[django_filters.FilterSet], request: HttpRequest, queryset: QuerySet[Any]
) -> QuerySet[Any]:
    """`queryset` narrowed by the request's filters; invalid values answer 422 with the FilterSet's messages."""
    filters = filterset(request.GET, queryset=queryset, request=request)
    if not filters.is_valid():
        raise field_problem(
            {field: list(messages) for field, messages in filters.errors.items()}, code="invalid_request"
        )
    return filters.qs

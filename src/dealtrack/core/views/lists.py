"""Generic list pages, declared once per model: sort, filter, paginate, choose columns, save views, export.

A list is a `ListDefinition`: where its rows come from (a visibility-aware query function), its filterset
(the same one the API and exports use), its columns and defaults. `list_page` does the rest, answering the
whole page, or just the results for htmx, or a CSV/XLSX export of the current view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.core.filtersets import ListFilterSet
from dealtrack.core.queries import saved_views_for
from dealtrack.core.services import save_list_view
from dealtrack.core.spreadsheets import spreadsheet_response

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ListColumn:
    """One column: how to show it, export it, sort by it and (optionally) edit it in place."""

    key: str
    label: Any
    display: Callable[[Any], Any]
    export: Callable[[Any], Any] | None = None
    sort: str | None = None
    link: Callable[[Any], str] | None = None
    numeric: bool = False
    editable: bool = False
    nullable: bool = False

    def export_value(self, row: Any) -> Any:
        return (self.export or self.display)(row)


@dataclass
class ListDefinition:
    key: str
    title: Any
    rows: Callable[[Any], QuerySet]  # user -> visible queryset
    filterset_class: type[ListFilterSet]
    columns: Callable[[], Sequence[ListColumn]]
    default_columns: Sequence[str]
    default_sort: str
    template: str
    page_size: int = 50
    prepare: Callable[[QuerySet], QuerySet] = lambda qs: qs
    after_page: Callable[[list[Any]], Any] = lambda rows: rows
    filter_fields: Sequence[str] | None = None  # None: the filterset's `form_filters` and custom fields
    extra_context: dict[str, Any] = field(default_factory=dict)


def chosen_columns(request: HttpRequest, columns: dict[str, ListColumn], defaults: Sequence[str]) -> list[ListColumn]:
    raw = request.GET.get("cols", "")
    keys = [k for k in raw.split(",") if k in columns] if raw else [k for k in defaults if k in columns]
    return [columns[k] for k in keys] or [columns[k] for k in defaults if k in columns]


def order_by_for(sort: str, columns: dict[str, ListColumn], default: str) -> tuple[str, list[Any]]:
    """The validated sort key and ORM ordering (nulls last, id as tie-breaker so pages never overlap)."""
    key = sort.lstrip("-")
    column = columns.get(key)
    if column is None or not column.sort:
        return order_by_for(default, columns, default) if sort != default else (default, ["-id"])
    descending = sort.startswith("-")
    # NULLS LAST only where a column can hold NULL: on a NOT NULL column it would stop the index being used.
    nulls = {"nulls_last": True} if column.nullable else {}
    expression = F(column.sort).desc(**nulls) if descending else F(column.sort).asc(**nulls)
    return sort, [expression, "-id" if descending else "id"]


def list_page(request: HttpRequest, definition: ListDefinition, **context: Any) -> HttpResponse:
    all_columns = {c.key: c for c in definition.columns()}
    filterset = definition.filterset_class(
        request.GET, queryset=definition.rows(request.user), request=request, all_custom_fields=True
    )
    # An invalid filter (a typo in the URL) shows its error above the unfiltered list, never a 500.
    rows = filterset.qs if filterset.is_valid() else filterset.queryset
    sort, ordering = order_by_for(
        request.GET.get("sort", definition.default_sort), all_columns, definition.default_sort
    )
    rows = definition.prepare(rows.order_by(*ordering))
    columns = chosen_columns(request, all_columns, definition.default_columns)

    export = request.GET.get("export", "")
    if export in EXPORT_FORMATS and not filterset.is_valid():
        # Never export more than was asked for: back to the list, which shows what is wrong.
        messages.error(request, _("Fix the filters first; nothing was exported."))
        query = request.GET.copy()
        query.pop("export")
        return redirect(f"{request.path}?{query.urlencode()}")
    if export in EXPORT_FORMATS:
        return spreadsheet_response(
            filename=f"{slugify(definition.key)}-{localdate().isoformat()}",
            fmt=export,
            headers=[str(c.label) for c in columns],
            rows=([c.export_value(row) for c in columns] for row in rows.iterator(chunk_size=2000)),
            title=str(definition.title),
        )

    page = Paginator(rows, definition.page_size).get_page(request.GET.get("page"))
    definition.after_page(page.object_list)
    table = [
        {
            "obj": obj,
            "cells": [{"column": c, "value": c.display(obj), "link": c.link(obj) if c.link else ""} for c in columns],
        }
        for obj in page.object_list
    ]
    query = request.GET.copy()
    for key in ("page", "export"):
        query.pop(key, None)
    context.update(
        {
            "definition": definition,
            "filterset": filterset,
            "filters_active": filterset.active_count() > 0,
            "filter_fields": filterset.form_fields(definition.filter_fields),
            "page": page,
            "table": table,
            "columns": columns,
            "all_columns": list(all_columns.values()),
            "chosen_keys": [c.key for c in columns],
            "sort": sort,
            "query": query.urlencode(),
            "saved_views": saved_views_for(request.user, definition.key),
            **definition.extra_context,
        }
    )
    if request.htmx and not request.htmx.boosted and request.htmx.target == "list-results":
        return render(request, "generic/list_results.html", context)
    return render(request, definition.template, context)


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    """Save the current filters, sort and columns of a list under a name (optionally shared with the team)."""
    back = request.POST.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    try:
        save_list_view(
            owner=request.user,
            list_key=request.POST.get("list_key", "")[:32],
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            shared=request.POST.get("shared") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("View saved."))
    return redirect(back)

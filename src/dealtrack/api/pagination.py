"""Keyset (cursor) pagination over any ordering a list endpoint allows.

The cursor holds the ordering and the last row's (value, id); the next page is "rows after that pair", so a
page costs one indexed range scan however deep, and rows inserted or changed meanwhile never shift a page (no
repeats or gaps, unlike offsets). Every ordering ends in `id` to make it total; nullable fields sort nulls last.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, create_model

from dealtrack.api.problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def order_choices(orderings: dict[str, str]) -> Any:
    """The Literal type of an endpoint's `order` parameter: each public name, ascending or descending."""
    names = [prefix + name for name in orderings for prefix in ("", "-")]
    return Literal[tuple(names)]  # type: ignore[valid-type]


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of `item`s."""
    return create_model(  # type: ignore[no-any-return,call-overload]
        name,
        __base__=Schema,
        results=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(None, description="Pass as `cursor` for the next page; null on the last.")),
        next=(str | None, Field(None, description="The URL of the next page; null on the last.")),
        count=(int | None, Field(None, description="Rows matching the filters, when asked with `count=true`.")),
    )


def _encode(order: str, value: Any, pk: int) -> str:
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    raw = json.dumps([order, value, pk], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, order: str, model: type[Model], field_name: str) -> tuple[Any, int]:
    invalid = ApiProblem(
        422,
        "invalid_request",
        _("This cursor is not valid here; start again without it."),
        errors={"cursor": [_("This cursor is not valid for this list and order.")]},
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_order, raw_value, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise invalid from None
    if cursor_order != order or not isinstance(pk, int) or not 0 < pk < 2**63:
        raise invalid
    if raw_value is None:
        return None, pk
    field = model._meta.get_field(field_name)
    if isinstance(raw_value, dict | list | bool):
        raise invalid
    try:
        return field.to_python(raw_value), pk
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise invalid from None


def _after(field: str, value: Any, pk: int, *, descending: bool, nullable: bool) -> Q:
    """Rows strictly after (value, pk) in the order (field [desc], id [desc]) with nulls last."""
    beyond, tie = ("lt", "lt") if descending else ("gt", "gt")
    if value is None:
        return Q(**{f"{field}__isnull": True, f"pk__{tie}": pk})
    condition = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"pk__{tie}": pk})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    order: str,
    orderings: dict[str, str],
    cursor: str | None,
    limit: int,
    with_count: bool = False,
) -> dict[str, Any]:
    """One page of `queryset` in `order` (a key of `orderings`, optionally prefixed with '-')."""
    descending = order.startswith("-")
    field_name = orderings[order.lstrip("-")]
    model = queryset.model
    nullable = model._meta.get_field(field_name).null
    if nullable:
        direction = F(field_name).desc(nulls_last=True) if descending else F(field_name).asc(nulls_last=True)
        ordered = queryset.order_by(direction, "-pk" if descending else "pk")
    else:
        # Plain ORDER BY so that PostgreSQL can walk a b-tree index (NULLS LAST on DESC would not match it).
        ordered = queryset.order_by(f"-{field_name}" if descending else field_name, "-pk" if descending else "pk")
    count = queryset.count() if with_count else None
    if cursor:
        value, pk = _decode(cursor, order, model, field_name)
        ordered = ordered.filter(_after(field_name, value, pk, descending=descending, nullable=nullable))
    rows = list(ordered[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(order, getattr(last, field_name), last.pk)
    return {
        "results": rows,
        "next_cursor": next_cursor,
        "next": _url_with_cursor(request, next_cursor) if next_cursor else None,
        "count": count,
    }


def _url_with_cursor(request: HttpRequest, cursor: str) -> str:
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class PageParams(Schema):
    """Shared query parameters of every list endpoint (each adds its own `order`)."""

    cursor: str | None = Field(None, max_length=1000, description="`next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
    count: bool = Field(False, description="Also count the rows matching the filters (costs one more query).")


def page(request: HttpRequest, queryset: QuerySet[Any], params: Any, orderings: dict[str, str]) -> dict[str, Any]:
    """`paginate` with the parameters of a `list_params` schema."""
    return paginate(
        request,
        queryset,
        order=params.order,
        orderings=orderings,
        cursor=params.cursor,
        limit=params.limit,
        with_count=params.count,
    )

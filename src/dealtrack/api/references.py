"""Turning ids in a request body into records the caller may see, before a service is called.

A reference to something invisible is answered exactly like one to something that does not exist, so a
request can never attach (and thereby reveal) a record the caller cannot see.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from dealtrack.api.problems import not_found

M = TypeVar("M", bound=Model)


def visible_or_error(queryset: QuerySet[M], pk: int | None, field: str) -> M | None:
    """The record with `pk` in `queryset` (already restricted to the caller), None for None, else a field error."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Choose an existing record.")]})
    return found


def all_visible_or_error(queryset: QuerySet[M], pks: list[int], field: str) -> list[M]:
    found = {obj.pk: obj for obj in queryset.filter(pk__in=set(pks))}
    if len(found) != len(set(pks)):
        raise ValidationError({field: [_("Choose existing records.")]})
    return [found[pk] for pk in dict.fromkeys(pks)]


def get_or_404(queryset: QuerySet[M], pk: int) -> M:
    """The record with `pk` in `queryset` (already restricted to the caller), else a 404 problem."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def provided(payload: Any, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The fields a PATCH body actually sent (absent ≠ null), minus control fields like `version`."""
    return payload.model_dump(exclude_unset=True, exclude=exclude or set())  # type: ignore[no-any-return]

"""Keeps each collaborator link's copy of its deal's owner, creation and close time (`DealCollaborator.deal_*`).

A manager sees the deals of their people plus the deals they collaborate on. Reports read the second part
apart (see `reports.scope`), and without these copies every such read looked up each collaborated deal in the
deals table, thousands of random reads per figure, however few of those deals fell in the period. With them,
the links themselves say which deals were created or closed in a period, or are open, and whose they are.
"""

from __future__ import annotations

from typing import Any

from django.db import router, transaction
from django.db.models import OuterRef, Subquery

from dealtrack.deals.day_totals import REPORTED_FIELDS
from dealtrack.deals.models import Deal, DealCollaborator

# Each copy column and the deal field it copies; every one of them is also a REPORTED_FIELD, so a deal save
# that changes none of the reported fields cannot change a copy.
COPIES = {"deal_owner_id": "owner_id", "deal_created_at": "created_at", "deal_closed_at": "closed_at"}
_POSITIONS = {column: REPORTED_FIELDS.index(field) for column, field in COPIES.items()}


def fill(link: DealCollaborator) -> None:
    """Set a new link's copies from its deal as stored now (read afresh: a caller's deal object may be stale)."""
    alias = link._state.db or router.db_for_write(DealCollaborator)
    stored = Deal.objects.using(alias).filter(pk=link.deal_id).values_list(*COPIES.values()).first()
    for column, value in zip(COPIES, stored or (None,) * len(COPIES), strict=True):
        setattr(link, column, value)


def after_save(deal: Deal, before: tuple[Any, ...] | None, after: tuple[Any, ...]) -> None:
    """After a deal's save (`before`/`after` as `day_totals.reported_state`): refresh its links' copies if
    any copied field changed. A deal saved for the first time has no links yet."""
    if before is None:
        return
    changed = {column: after[i] for column, i in _POSITIONS.items() if before[i] != after[i]}
    if changed:
        DealCollaborator.objects.using(deal._state.db).filter(deal_id=deal.pk).update(**changed)


def rebuild_all_collaborator_copies(using: str | None = None) -> int:
    """Copy every link's deal fields afresh (bulk loads, restores, the migration); returns the links updated."""
    alias = using or router.db_for_write(DealCollaborator)
    deal = Deal.objects.using(alias).filter(pk=OuterRef("deal_id"))
    with transaction.atomic(using=alias):
        return (
            DealCollaborator.objects.using(alias)
            .all()
            .update(**{column: Subquery(deal.values(field)[:1]) for column, field in COPIES.items()})
        )

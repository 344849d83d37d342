"""Every read of deals starts here, with the reader's visibility applied."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dealtrack.core.models import User
from dealtrack.core.queries import owner_scope
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealCollaborator, DealEvent
from dealtrack.pipelines.models import Stage
from dealtrack.tasks.choices import ACTIVE_STATUSES


def deal_visibility(user: User) -> Q | None:
    """The condition on Deal for what `user` sees: own, collaborated on, managed teams' (nested); admins all."""
    return owned_or_collaborated(user, owner="owner", deal="pk")


def owned_or_collaborated(user: User, *, owner: str, deal: str) -> Q | None:
    """Deal visibility as a condition on any rows that carry a deal's owner and id (deals, their stage
    visits, pipeline snapshots); None means everything (admins).

    `deal IN (one user's collaborations)` rather than a correlated EXISTS: the planners evaluate it once
    (PostgreSQL as a hashed subplan), so aggregates over visible rows can stay on covering indexes.
    """
    scope = owner_scope(user, owner)
    if scope is None:
        return None
    collaborating = DealCollaborator.objects.filter(user=user).values("deal_id")
    return scope | Q(**{f"{deal}__in": collaborating})


def visible_as_collaborator_only(user: User, links: Q | None = None) -> QuerySet[Deal]:
    """Deals `user` sees only because they collaborate on them: owned outside `owner_scope`. Readers of
    per-owner roll-ups add these to the owners in scope to get exactly what `deals_visible_to` holds.

    `links` narrows the collaborator links first, on their copies of the deal's fields (`deal_created_at`,
    `deal_closed_at`), so that only the deals that can match the caller's own conditions are read; the caller
    still states those conditions on the deals.
    """
    scope = owner_scope(user, "owner")
    if scope is None:
        return Deal.objects.none()
    return Deal.objects.filter(pk__in=collaboration_only_links(user, links)).exclude(scope)


def collaborates(user: User) -> bool:
    """Whether `user` is on any deal's team; remembered for the request (see `remember_for_request`).
    Reports skip the collaboration part of a reader's deals when there is none: with no links to go by,
    SQLite's planner would scan the period's deals to find nothing."""
    memo: dict[str, bool] | None = getattr(user, "request_memo", None)
    if memo is not None and "collaborates" in memo:
        return memo["collaborates"]
    # Ordered by the (user, deal) index, so that PostgreSQL looks the first link up in it: for a bare
    # EXISTS … LIMIT 1 it expected a match within a few rows of a sequential scan (0.9 ms on the demo set).
    first_link = DealCollaborator.objects.filter(user=user).order_by("user_id", "deal_id").values_list("deal_id")[:1]
    found = bool(list(first_link))
    if memo is not None:
        memo["collaborates"] = found
    return found


def collaboration_only_links(user: User, links: Q | None = None) -> QuerySet[DealCollaborator]:
    """The ids (`deal_id`) of the deals `user` collaborates on whose owner, by the links' copy, is outside
    `owner_scope`, narrowed by `links` on the other copies; see `visible_as_collaborator_only`."""
    scope = owner_scope(user, "deal_owner")
    collaborating = DealCollaborator.objects.filter(links or Q(), user=user)
    return (collaborating if scope is None else collaborating.exclude(scope)).values("deal_id")


def deals_visible_to(user: User) -> QuerySet[Deal]:
    """Deals `user` may see. Anything outside this queryset behaves as if it did not exist."""
    condition = deal_visibility(user)
    deals = Deal.objects.all()
    return deals if condition is None else deals.filter(condition)


def get_deal_for(user: User, pk: int | str) -> Deal:
    """One visible deal, or Http404 (also for deals that exist but are not visible)."""
    try:
        return deals_visible_to(user).select_related("stage", "pipeline", "owner", "company").get(pk=pk)
    except (Deal.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def open_deals_visible_to(user: User) -> QuerySet[Deal]:
    return deals_visible_to(user).filter(status=DealStatus.OPEN)


def stalled_deals(user: User, *, as_of: dt.datetime | None = None) -> QuerySet[Deal]:
    """Open deals idle (no stage change, no activity) longer than their stage's rotting limit."""
    now = as_of or timezone.now()
    condition = Q(pk__in=[])
    for stage_id, days in Stage.objects.filter(rotting_days__isnull=False).values_list("id", "rotting_days"):
        cutoff = now - dt.timedelta(days=days + 1)
        idle = Q(stage_entered_at__lte=cutoff) & (Q(last_activity_at__isnull=True) | Q(last_activity_at__lte=cutoff))
        condition |= Q(stage_id=stage_id) & idle
    return open_deals_visible_to(user).filter(condition)


def deals_without_next_step(user: User) -> QuerySet[Deal]:
    """Open deals with no open or snoozed task: the ones that ask for a next step."""
    from dealtrack.tasks.models import Task

    active = Task.objects.filter(deal=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    return open_deals_visible_to(user).filter(~Exists(active))


def deal_events(user: User, deal: Deal) -> QuerySet[DealEvent]:
    """The event log of a visible deal, newest first."""
    get_deal_for(user, deal.pk)
    return (
        DealEvent.objects.filter(deal=deal)
        .select_related("actor", "from_stage", "to_stage")
        .order_by("-occurred_at", "-id")
    )


def time_in_stages(deal: Deal, *, as_of: dt.datetime | None = None) -> dict[int, dt.timedelta]:
    """Total time the deal spent in each stage (by stage id), summed over visits, from the event log."""
    now = as_of or timezone.now()
    moves = list(
        DealEvent.objects.filter(deal=deal, type__in=[EventType.CREATED, EventType.STAGE_CHANGED])
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "to_stage_id")
    )
    spent: dict[int, dt.timedelta] = defaultdict(dt.timedelta)
    if not moves:  # e.g. rows loaded in bulk without their history
        return {}
    for (entered, stage_id), following in zip(moves, [*moves[1:], None], strict=True):
        if stage_id is None:
            continue
        left = following[0] if following else (deal.closed_at or now)
        spent[stage_id] += max(left - entered, dt.timedelta(0))
    return dict(spent)


def stage_history(deal: Deal) -> list[DealEvent]:
    """The stage moves of a deal, oldest first."""
    return list(
        DealEvent.objects.filter(deal=deal, type=EventType.STAGE_CHANGED)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("occurred_at", "id")
    )


def deals_managed_by(user: User) -> QuerySet[Deal]:
    """Deals `user` may delete or hand over: own and managed teams' (admins all); collaborating is not enough."""
    scope = owner_scope(user, "owner")
    deals = Deal.objects.all()
    return deals if scope is None else deals.filter(scope)

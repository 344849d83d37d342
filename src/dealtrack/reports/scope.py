"""The rows a report may count: the reader's visible deals (and their stage visits, snapshots and activities),
narrowed by the report's pipeline, team and owner filters. Every report starts here."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db import connections, router
from django.db.models import Q, QuerySet

from dealtrack.activities.models import ActivityDayTotal
from dealtrack.core.choices import Role
from dealtrack.core.models import User
from dealtrack.core.queries import managed_team_ids, owner_scope, team_tree_ids, users_visible_to
from dealtrack.deals.models import DayTotal, Deal, DealCollaborator, StageDayTotal, StageVisit
from dealtrack.deals.queries import (
    collaborates,
    collaboration_only_links,
    deals_visible_to,
    owned_or_collaborated,
    visible_as_collaborator_only,
)
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.models import PipelineSnapshot, SnapshotTotal


def narrowing(filters: ReportFilters, prefix: str = "", owner_field: str = "owner") -> Q:
    """The pipeline/team/owner condition on a model reached through `prefix` (e.g. "deal__")."""
    condition = Q()
    if filters.pipeline_id is not None:
        condition &= Q(**{f"{prefix}pipeline_id": filters.pipeline_id})
    if filters.owner_id is not None:
        condition &= Q(**{f"{prefix}{owner_field}_id": filters.owner_id})
    if filters.team_id is not None:
        members = User.objects.filter(team_id__in=team_tree_ids([filters.team_id])).values("pk")
        condition &= Q(**{f"{prefix}{owner_field}__in": members})
    return condition


def report_deals(user: User, filters: ReportFilters) -> QuerySet[Deal]:
    """Deals visible to `user`, in the filtered pipeline, team and owner."""
    return deals_visible_to(user).filter(narrowing(filters))


def report_deal_parts(user: User, filters: ReportFilters, links: Q | None = None) -> list[QuerySet[Deal]]:
    """`report_deals` as disjoint parts whose union it is: the deals of the owners the reader may see, and
    (for all but admins) those seen only as a collaborator. Aggregated apart and added, each part reads
    the owner-first covering indexes, where the ORed visibility condition would make SQLite scan a wider
    range; parts never share an owner, so per-owner figures need no merging.

    `links` is what the caller will ask of the deals, stated on the collaborator links' copies
    (`closed_in`, `created_in`, `OPEN_LINKS`): the collaboration part then reads only those deals. A reader
    on no deal team gets the owners' part alone; on PostgreSQL, where parts do not pay, one ORed read.
    """
    scope = owner_scope(user, "owner")
    if scope is None:  # admins: every deal is an owner's
        return [report_deals(user, filters)]
    owned = Deal.objects.filter(narrowing(filters), scope)
    if not collaborates(user):
        return [owned]
    if not _parts_pay_off():
        return [report_deals(user, filters)]
    return [owned, report_collaborations(user, filters, links)]


def _in_owner_scope(user: User, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Roll-up rows (kept per owner) of the owners the reader may see: own, managed teams'; all for admins."""
    scope = owner_scope(user, "owner")
    return rows if scope is None else rows.filter(scope)


def _collaboration_only_scope(user: User) -> Q | None:
    """The reader's owner condition when some deals are visible to them only as a collaborator; None for
    admins (who see everything as owners' rows) and for readers on no deal team."""
    scope = owner_scope(user, "owner")
    return None if scope is None or not collaborates(user) else scope


def closed_in(filters: ReportFilters) -> Q:
    """Collaborator links whose deal was closed (won or lost) in the period."""
    return Q(deal_closed_at__gte=filters.start_at, deal_closed_at__lt=filters.end_before)


def created_in(filters: ReportFilters) -> Q:
    """Collaborator links whose deal was created in the period."""
    return Q(deal_created_at__gte=filters.start_at, deal_created_at__lt=filters.end_before)


# Collaborator links of open deals: a deal has a close time exactly while it is won or lost.
OPEN_LINKS = Q(deal_closed_at__isnull=True)


def _parts_pay_off() -> bool:
    """SQLite cannot use the owner-first indexes under an ORed visibility condition; PostgreSQL checks the
    collaborations as a hashed subplan while scanning, so one ORed read is cheaper there (measured on the
    demo set: 17 ms against 11 + 14 ms for a manager's won deals of a quarter)."""
    return connections[router.db_for_read(Deal)].vendor == "sqlite"


def report_day_totals(user: User, filters: ReportFilters, dimension: str) -> QuerySet[DayTotal]:
    """Daily totals of one dimension in the period, for the owners the reader may see (own, managed
    teams'; all for admins), in the filtered pipeline, team and owner. `report_collaborations` holds the
    rest of what `report_deals` would count."""
    totals = DayTotal.objects.filter(
        narrowing(filters), dimension=dimension, day__gte=filters.start, day__lte=filters.end
    )
    return _in_owner_scope(user, totals)


def report_collaborations(user: User, filters: ReportFilters, links: Q | None = None) -> QuerySet[Deal]:
    """Deals the reader sees only as a collaborator, in the filtered pipeline, team and owner; `links` as
    for `report_deal_parts`."""
    if not collaborates(user):
        return Deal.objects.none()
    return visible_as_collaborator_only(user, links).filter(narrowing(filters))


def _narrowed_visits(filters: ReportFilters) -> QuerySet[StageVisit]:
    visits = StageVisit.objects.filter(narrowing(replace(filters, pipeline_id=None)))
    if filters.pipeline_id is not None:
        visits = visits.filter(deal__pipeline_id=filters.pipeline_id)
    return visits


def report_visits(user: User, filters: ReportFilters) -> QuerySet[StageVisit]:
    """Stage visits of the deals `report_deals` returns (the funnel's rows), by the owner kept on each visit."""
    visibility = owned_or_collaborated(user, owner="owner", deal="deal")
    visits = _narrowed_visits(filters)
    return visits if visibility is None else visits.filter(visibility)


def report_stage_totals(user: User, filters: ReportFilters) -> QuerySet[StageDayTotal]:
    """Daily stage totals of the period for the owners the reader may see (own, managed teams'; all for
    admins), in the team and owner filter; a stage belongs to one pipeline, so callers pick the pipeline's
    stages. `report_collaboration_visits` holds the rest of what `report_visits` would count."""
    totals = StageDayTotal.objects.filter(
        narrowing(replace(filters, pipeline_id=None)), day__gte=filters.start, day__lte=filters.end
    )
    return _in_owner_scope(user, totals)


def report_collaboration_visits(user: User, filters: ReportFilters) -> QuerySet[StageVisit] | None:
    """Visits of the deals the reader sees only as a collaborator that existed during the period (created
    before its end, open or closed after its start: a deal enters and leaves stages only between its
    creation and its close); None for admins and for readers on no deal team."""
    scope = _collaboration_only_scope(user)
    if scope is None:
        return None
    alive = Q(deal_created_at__lt=filters.end_before) & (
        Q(deal_closed_at__isnull=True) | Q(deal_closed_at__gte=filters.start_at)
    )
    return _narrowed_visits(filters).filter(deal_id__in=collaboration_only_links(user, alive)).exclude(scope)


def report_snapshots(user: User, filters: ReportFilters) -> QuerySet[PipelineSnapshot]:
    """Snapshot rows of deals the reader may see, by the owner recorded in the snapshot (the pipeline as it
    stood: a deal counts for the team that held it that day), narrowed by its pipeline and owner."""
    rows = PipelineSnapshot.objects.filter(narrowing(filters))
    visibility = owned_or_collaborated(user, owner="owner", deal="deal")
    return rows if visibility is None else rows.filter(visibility)


def report_snapshot_totals(user: User, filters: ReportFilters) -> QuerySet[SnapshotTotal]:
    """Snapshot totals of the owners the reader may see (as recorded each day), narrowed by the filtered
    pipeline, team and owner. `report_collaboration_snapshots` holds the rest of what `report_snapshots`
    would count."""
    totals = SnapshotTotal.objects.filter(narrowing(filters))
    return _in_owner_scope(user, totals)


def report_collaboration_snapshots(
    user: User, filters: ReportFilters, taken_from: dt.datetime
) -> QuerySet[PipelineSnapshot] | None:
    """Snapshot rows of deals the reader sees only as a collaborator (by the owner recorded that day, not
    the current one), for snapshots taken at `taken_from` or later; None for admins and for readers on no
    deal team. A deal in such a snapshot was open when it was taken, so it is open now or closed since: the
    links of deals closed before are left out."""
    scope = _collaboration_only_scope(user)
    if scope is None:
        return None
    links = DealCollaborator.objects.filter(
        Q(deal_closed_at__isnull=True) | Q(deal_closed_at__gte=taken_from), user=user
    ).values("deal_id")
    return PipelineSnapshot.objects.filter(narrowing(filters), deal_id__in=links).exclude(scope)


def report_activity_totals(filters: ReportFilters, people: list[int]) -> QuerySet[ActivityDayTotal]:
    """Daily activity totals of the period for `people`, the team table's rows as `report_people` returned
    them, in the pipeline filter (activities on no deal belong to no pipeline).

    Every activity by someone in the reader's scope is visible to the reader (the rule in
    `activities_visible_to`), so limiting to those people, as a literal list, is the visibility check
    itself.
    """
    totals = ActivityDayTotal.objects.filter(
        dimension__in=ActivityDayTotal.Dimension.values,  # the index's first column: a range per dimension
        user_id__in=people,
        day__gte=filters.start,
        day__lte=filters.end,
    )
    if filters.pipeline_id is not None:
        totals = totals.filter(pipeline_id=filters.pipeline_id)
    return totals


def report_people(user: User, filters: ReportFilters) -> QuerySet[User]:
    """The reps and managers whose figures `user` may see (the same rule as `owner_scope`: self, the
    teams they manage and the teams below; admins everyone), in the team/owner filter: the team table's rows.
    """
    people = users_visible_to(user).filter(role__in=[Role.REP, Role.MANAGER])
    if not user.is_active:
        return people.none()
    if not user.is_admin:
        people = people.filter(Q(pk=user.pk) | Q(team_id__in=managed_team_ids(user)))
    if filters.owner_id is not None:
        people = people.filter(pk=filters.owner_id)
    if filters.team_id is not None:
        people = people.filter(team_id__in=team_tree_ids([filters.team_id]))
    return people.order_by("display_name", "username")

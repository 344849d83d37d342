"""The rows a report may count: the reader's visible deals (and their stage visits, snapshots and activities),
narrowed by the report's pipeline, team and owner filters. Every report starts here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from dealtrack.activities.models import Activity
from dealtrack.activities.queries import activities_visible_to
from dealtrack.core.choices import Role
from dealtrack.core.models import User
from dealtrack.core.queries import managed_team_ids, team_tree_ids, users_visible_to
from dealtrack.deals.models import Deal, StageVisit
from dealtrack.deals.queries import deal_visibility, deals_visible_to
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.models import PipelineSnapshot


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


def report_visits(user: User, filters: ReportFilters) -> QuerySet[StageVisit]:
    """Stage visits of the deals `report_deals` returns (the funnel's rows)."""
    visits = StageVisit.objects.filter(narrowing(filters, "deal__"))
    if deal_visibility(user) is not None:
        visits = visits.filter(deal__in=deals_visible_to(user).values("pk"))
    return visits


def report_snapshots(user: User, filters: ReportFilters, *, few: bool = False) -> QuerySet[PipelineSnapshot]:
    """Snapshot rows of visible deals, narrowed by the pipeline and owner recorded in the snapshot.

    `few=True` when the caller narrows to a small part of a day (e.g. one month's expected closes): then
    visibility is checked per row with a primary-key probe instead of listing every visible deal first.
    """
    rows = PipelineSnapshot.objects.filter(narrowing(filters))
    if deal_visibility(user) is not None:
        visible = deals_visible_to(user)
        if few:
            rows = rows.filter(Exists(visible.filter(pk=OuterRef("deal_id"))))
        else:
            rows = rows.filter(deal__in=visible.values("pk"))
    return rows


def report_activities(user: User, filters: ReportFilters) -> QuerySet[Activity]:
    """Activities visible to `user` done by the users in the team/owner filter (pipeline: of deals in it)."""
    activities = activities_visible_to(user)
    if filters.owner_id is not None:
        activities = activities.filter(user_id=filters.owner_id)
    if filters.team_id is not None:
        activities = activities.filter(user__team_id__in=team_tree_ids([filters.team_id]))
    if filters.pipeline_id is not None:
        activities = activities.filter(deal__pipeline_id=filters.pipeline_id)
    return activities


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

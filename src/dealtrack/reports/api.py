"""REST endpoints for the reports, mounted by the project's NinjaAPI at /api/v1/reports (token auth there).

Every endpoint takes `from`, `to` (dates, inclusive), `pipeline`, `team`, `owner` and answers the same
figures as the web pages, computed by the same functions for the authenticated user's visibility.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from dealtrack.core.models import User
from dealtrack.core.side_by_side import side_by_side
from dealtrack.reports.filters import ReportFilters, parse_filters
from dealtrack.reports.forecast import forecast
from dealtrack.reports.funnel import funnel
from dealtrack.reports.summary import by_owner, summary
from dealtrack.reports.team import team_table

router = Router(tags=["reports"])


def _from_alias(name: str) -> str:
    return "from" if name == "from_" else name


class FilterIn(Schema):
    from_: dt.date | None = None
    to: dt.date | None = None
    pipeline: int | None = None
    team: int | None = None
    owner: int | None = None

    model_config = ConfigDict(populate_by_name=True, alias_generator=_from_alias)


class PeriodOut(Schema):
    from_: dt.date
    to: dt.date
    pipeline: int | None
    team: int | None
    owner: int | None

    model_config = ConfigDict(populate_by_name=True, alias_generator=_from_alias)


class FiguresOut(Schema):
    won_count: int
    lost_count: int
    win_rate: float | None
    win_rate_by_value: float | None
    won_value: Decimal
    lost_value: Decimal
    avg_won_value: Decimal | None
    avg_cycle_days: float | None
    median_cycle_days: float | None
    new_deals: int
    new_deals_value: Decimal
    open_count: int | None
    pipeline_value: Decimal | None
    weighted_pipeline_value: Decimal | None
    pipeline_as_of: dt.date | None


class SummaryOut(FiguresOut):
    period: PeriodOut
    previous: FiguresOut


class OwnerFiguresOut(FiguresOut):
    owner_id: int
    owner: str


class ByOwnerOut(Schema):
    period: PeriodOut
    rows: list[OwnerFiguresOut]


class FunnelStepOut(Schema):
    stage_id: int
    stage: str
    entered: int
    moved_on: int
    conversion: float | None
    avg_days_in_stage: float | None
    visits_ended: int


class BottleneckOut(Schema):
    stage_id: int
    stage: str
    text: str


class FunnelOut(Schema):
    period: PeriodOut
    pipeline_id: int | None
    pipeline: str
    steps: list[FunnelStepOut]
    bottleneck: BottleneckOut | None
    slowest: BottleneckOut | None


class ForecastMonthOut(Schema):
    month: str
    open_count: int
    commit: Decimal
    best_case: Decimal
    pipeline: Decimal
    omitted: Decimal
    weighted_value: Decimal
    won_value: Decimal
    won_count: int
    quota: Decimal | None
    attainment: float | None
    forecast_at_start: Decimal | None
    commit_at_start: Decimal | None
    accuracy: float | None


class ForecastOut(Schema):
    period: PeriodOut
    months: list[ForecastMonthOut]


class TeamRowOut(Schema):
    owner_id: int
    name: str
    calls: int
    emails: int
    meetings: int
    visits: int
    notes: int
    follow_ups_per_deal: float | None
    won_count: int
    lost_count: int
    dropped: int
    win_rate: float | None
    won_value: Decimal
    quota: Decimal | None
    attainment: float | None
    count_quota: Decimal | None
    count_attainment: float | None
    lead_response_hours: float | None
    leads_unanswered: int
    stalled: int


class TeamOut(Schema):
    period: PeriodOut
    rows: list[TeamRowOut]


def reader(request: HttpRequest) -> User:
    """The authenticated user: what the token auth put in `request.auth`, else the session user."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise HttpError(401, "Authentication required.")
    return user


def filters_from(query: FilterIn) -> ReportFilters:
    """The validated filters; bad values answer 422 with the reasons in the user's language."""
    try:
        return parse_filters(
            {"from": query.from_, "to": query.to, "pipeline": query.pipeline, "team": query.team, "owner": query.owner}
        )
    except ValidationError as exc:
        reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
        raise HttpError(422, reasons) from None


def period(filters: ReportFilters) -> dict[str, Any]:
    return {
        "from_": filters.start,
        "to": filters.end,
        "pipeline": filters.pipeline_id,
        "team": filters.team_id,
        "owner": filters.owner_id,
    }


@router.get("/summary", response=SummaryOut, by_alias=True)
def summary_endpoint(request: HttpRequest, query: Query[FilterIn]) -> dict[str, Any]:
    """Headline figures for the period, with the same figures for the previous period."""
    user, filters = reader(request), filters_from(query)
    now, before = side_by_side(lambda: summary(user, filters), lambda: summary(user, filters.previous()))
    return {**now, "period": period(filters), "previous": before}


@router.get("/by-owner", response=ByOwnerOut, by_alias=True)
def by_owner_endpoint(request: HttpRequest, query: Query[FilterIn]) -> dict[str, Any]:
    """The summary's figures per owner; counts and values add up to the summary."""
    user, filters = reader(request), filters_from(query)
    return {"period": period(filters), "rows": by_owner(user, filters)}


@router.get("/funnel", response=FunnelOut, by_alias=True)
def funnel_endpoint(request: HttpRequest, query: Query[FilterIn]) -> dict[str, Any]:
    """Stage conversion and time in stage for the pipeline (the default one unless filtered), with the
    bottleneck and the slowest stage in words."""
    user, filters = reader(request), filters_from(query)
    return {"period": period(filters), **funnel(user, filters)}


@router.get("/forecast", response=ForecastOut, by_alias=True)
def forecast_endpoint(request: HttpRequest, query: Query[FilterIn]) -> dict[str, Any]:
    """Per month of expected close: categories, weighted value, won, quota, and past forecast accuracy."""
    user, filters = reader(request), filters_from(query)
    return {"period": period(filters), **forecast(user, filters)}


@router.get("/team", response=TeamOut, by_alias=True)
def team_endpoint(request: HttpRequest, query: Query[FilterIn], sort: str = "-won_value") -> dict[str, Any]:
    """Per rep: activities, outcomes, quota attainment, lead response time and stalled deals."""
    user, filters = reader(request), filters_from(query)
    return {"period": period(filters), "rows": team_table(user, filters, sort=sort)}

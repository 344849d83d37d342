"""API: activities (calls, e-mails, meetings, visits, notes): list, read, log (with an optional follow-up)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.filters import ActivityFilterSet
from dealtrack.activities.models import Activity
from dealtrack.activities.queries import activities_visible_to
from dealtrack.activities.services import log_activity
from dealtrack.api.auth import current_user
from dealtrack.api.inputs import Id, Moment, text
from dealtrack.api.list_params import apply_filters, list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.references import get_or_404, visible_or_error
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals.queries import deals_visible_to
from dealtrack.tasks.api import TaskOut

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    kind: ActivityKind
    subject: str
    outcome: str
    occurred_at: dt.datetime
    duration_minutes: int | None
    user: int = Field(validation_alias="user_id")
    deal: int | None = Field(validation_alias="deal_id")
    company: int | None = Field(validation_alias="company_id")
    contact: int | None = Field(validation_alias="contact_id")
    created_at: dt.datetime
    updated_at: dt.datetime


class ActivityLogged(ActivityOut):
    follow_up_task: TaskOut | None = None

    @staticmethod
    def resolve_follow_up_task(activity: Activity) -> Any:
        return getattr(activity, "follow_up_task", None)


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ActivityKind
    deal: Id | None = Field(None, description="Deal id; at least one of deal, company, contact")
    company: Id | None = Field(None, description="Company id (default: the deal's or contact's)")
    contact: Id | None = Field(None, description="Contact id")
    subject: text(200) = ""  # type: ignore[valid-type]
    outcome: text(10000) = ""  # type: ignore[valid-type]
    occurred_at: Moment | None = Field(None, description="Default: now; not in the future")
    duration_minutes: int | None = Field(None, ge=0, le=100000)
    follow_up_title: text(200) = Field("", description="Schedules the next step as a task")  # type: ignore[valid-type]
    follow_up_due: Moment | None = Field(None, description="Required with follow_up_title")


ActivityPage = page_schema(ActivityOut, "ActivityPage")
ACTIVITY_ORDERINGS = {"occurred_at": "occurred_at", "created_at": "created_at", "updated_at": "updated_at", "id": "id"}
ActivityListParams = list_params(
    "ActivityListParams", filterset=ActivityFilterSet, orderings=ACTIVITY_ORDERINGS, default_order="-occurred_at"
)


@router.get("/activities", response=ActivityPage, summary="List activities")
def list_activities(request: HttpRequest, params: Query[ActivityListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    activities = apply_filters(ActivityFilterSet, request, activities_visible_to(current_user(request)))
    return page(request, activities, params, ACTIVITY_ORDERINGS)


@router.get("/activities/{activity_id}", response=ActivityOut, url_name="activity", summary="One activity")
def get_activity(request: HttpRequest, activity_id: Id) -> Activity:
    return get_or_404(activities_visible_to(current_user(request)), activity_id)


@router.post("/activities", response={201: ActivityLogged}, summary="Log an activity")
def create_activity(request: HttpRequest, payload: ActivityIn, response: HttpResponse) -> Status:
    """On a deal it resets the deal's idle clock; with `follow_up_title` it also schedules the next step."""
    user = current_user(request)
    activity, task = log_activity(
        actor=user,
        kind=payload.kind,
        deal=visible_or_error(deals_visible_to(user).select_related("company", "stage"), payload.deal, "deal"),
        company=visible_or_error(companies_visible_to(user), payload.company, "company"),
        contact=visible_or_error(contacts_visible_to(user).select_related("company"), payload.contact, "contact"),
        subject=payload.subject,
        outcome=payload.outcome,
        occurred_at=payload.occurred_at,
        duration_minutes=payload.duration_minutes,
        follow_up_title=payload.follow_up_title,
        follow_up_due=payload.follow_up_due,
    )
    activity.follow_up_task = task  # type: ignore[attr-defined]
    response["Location"] = reverse("api-v1:activity", kwargs={"activity_id": activity.pk})
    return Status(201, activity)

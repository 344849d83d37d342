"""API: tasks (next steps): list, read, schedule, complete, snooze, cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from dealtrack.api.auth import current_user
from dealtrack.api.inputs import Id, Moment, text
from dealtrack.api.list_params import apply_filters, list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.references import visible_or_error
from dealtrack.core.queries import users_visible_to
from dealtrack.customers.queries import companies_visible_to
from dealtrack.deals.queries import deals_visible_to
from dealtrack.tasks import services
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.filters import TaskFilterSet
from dealtrack.tasks.models import Task
from dealtrack.tasks.queries import get_task_for, tasks_visible_to

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    title: str
    notes: str
    due_at: dt.datetime
    assignee: int = Field(validation_alias="assignee_id")
    deal: int | None = Field(validation_alias="deal_id")
    company: int | None = Field(validation_alias="company_id")
    status: TaskStatus
    snoozed_until: dt.datetime | None
    completed_at: dt.datetime | None
    created_by: int | None = Field(validation_alias="created_by_id")
    created_at: dt.datetime
    updated_at: dt.datetime


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: text(200)  # type: ignore[valid-type]
    due_at: Moment
    assignee: Id | None = Field(None, description="User id (default: the deal's owner, else the caller)")
    deal: Id | None = Field(None, description="Deal id")
    company: Id | None = Field(None, description="Company id (default: the deal's company)")
    notes: text(5000) = ""  # type: ignore[valid-type]


class SnoozeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    until: Moment = Field(description="A moment in the future; the task becomes due then")


TaskPage = page_schema(TaskOut, "TaskPage")
TASK_ORDERINGS = {"due_at": "due_at", "created_at": "created_at", "updated_at": "updated_at", "id": "id"}
TaskListParams = list_params(
    "TaskListParams", filterset=TaskFilterSet, orderings=TASK_ORDERINGS, default_order="due_at"
)


@router.get("/tasks", response=TaskPage, summary="List tasks")
def list_tasks(request: HttpRequest, params: Query[TaskListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    tasks = apply_filters(TaskFilterSet, request, tasks_visible_to(current_user(request)))
    return page(request, tasks, params, TASK_ORDERINGS)


@router.get("/tasks/{task_id}", response=TaskOut, url_name="task", summary="One task")
def get_task(request: HttpRequest, task_id: Id) -> Task:
    return get_task_for(current_user(request), task_id)


@router.post("/tasks", response={201: TaskOut}, summary="Schedule a task")
def create_task(request: HttpRequest, payload: TaskIn, response: HttpResponse) -> Status:
    user = current_user(request)
    task = services.create_task(
        actor=user,
        title=payload.title,
        due_at=payload.due_at,
        assignee=visible_or_error(users_visible_to(user), payload.assignee, "assignee"),
        deal=visible_or_error(deals_visible_to(user).select_related("owner", "company"), payload.deal, "deal"),
        company=visible_or_error(companies_visible_to(user), payload.company, "company"),
        notes=payload.notes,
    )
    response["Location"] = reverse("api-v1:task", kwargs={"task_id": task.pk})
    return Status(201, task)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="Mark a task done")
def complete_task(request: HttpRequest, task_id: Id) -> Task:
    user = current_user(request)
    return services.complete_task(task=get_task_for(user, task_id), actor=user)


@router.post("/tasks/{task_id}/snooze", response=TaskOut, summary="Snooze a task")
def snooze_task(request: HttpRequest, task_id: Id, payload: SnoozeIn) -> Task:
    user = current_user(request)
    return services.snooze_task(task=get_task_for(user, task_id), actor=user, until=payload.until)


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="Cancel a task")
def cancel_task(request: HttpRequest, task_id: Id) -> Task:
    user = current_user(request)
    return services.cancel_task(task=get_task_for(user, task_id), actor=user)

"""Reads of tasks: own and managed teams' assignments, and the tasks of visible deals."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dealtrack.core.models import User
from dealtrack.core.queries import owner_scope
from dealtrack.deals.queries import deals_visible_to
from dealtrack.tasks.choices import ACTIVE_STATUSES
from dealtrack.tasks.models import Task


def tasks_visible_to(user: User) -> QuerySet[Task]:
    scope = owner_scope(user, "assignee")
    if scope is None:
        return Task.objects.all()
    return Task.objects.filter(scope | Q(deal__in=deals_visible_to(user).values("pk")))


def get_task_for(user: User, pk: int | str) -> Task:
    try:
        return tasks_visible_to(user).select_related("deal").get(pk=pk)
    except (Task.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def my_open_tasks(user: User, *, as_of: dt.datetime | None = None) -> dict[str, list[Task]]:
    """The user's open tasks split into overdue, today and upcoming (in the organisation's time zone)."""
    now = as_of or timezone.now()
    today = timezone.localdate(now)
    tasks = (
        tasks_visible_to(user)
        .filter(assignee=user, status__in=ACTIVE_STATUSES)
        .select_related("deal", "company")
        .order_by("due_at", "id")
    )
    groups: dict[str, list[Task]] = {"overdue": [], "today": [], "upcoming": []}
    for task in tasks:
        due_day = timezone.localdate(task.due_at)
        if task.due_at < now and due_day < today:
            groups["overdue"].append(task)
        elif due_day == today:
            groups["today"].append(task)
        else:
            groups["upcoming"].append(task)
    return groups


def my_task_groups(user: User, *, as_of: dt.datetime | None = None, limit: int = 50) -> dict[str, dict]:
    """The user's own active tasks as overdue / today / upcoming, each with its full count and first `limit` rows.

    Three bounded queries plus three counts, so the page costs the same for a rep with 10 tasks or 10,000.
    """
    now = as_of or timezone.now()
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    start_of_tomorrow = start_of_today + dt.timedelta(days=1)
    mine = (
        tasks_visible_to(user)
        .filter(assignee=user, status__in=ACTIVE_STATUSES)
        .select_related("deal", "company")
        .order_by("due_at", "id")
    )
    ranges = {
        "overdue": Q(due_at__lt=start_of_today),
        "today": Q(due_at__gte=start_of_today, due_at__lt=start_of_tomorrow),
        "upcoming": Q(due_at__gte=start_of_tomorrow),
    }
    return {
        name: {"tasks": list(mine.filter(condition)[:limit]), "count": mine.filter(condition).count()}
        for name, condition in ranges.items()
    }

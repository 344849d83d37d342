"""Writes to tasks (next steps). Completing a deal's task writes `task_done` to the deal's event log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.customers.models import Company
from dealtrack.deals import events
from dealtrack.deals.models import Deal
from dealtrack.deals.services import refresh_health
from dealtrack.tasks.choices import ACTIVE_STATUSES, TaskStatus
from dealtrack.tasks.models import Task


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _refresh_deal(task: Task) -> None:
    if task.deal_id:
        refresh_health(Deal.objects.select_related("stage").get(pk=task.deal_id))


@transaction.atomic
def create_task(
    *,
    actor: User | None,
    title: str,
    due_at: dt.datetime | None,
    assignee: User | None = None,
    deal: Deal | None = None,
    company: Company | None = None,
    notes: str = "",
) -> Task:
    """Schedule a next step, assigned to `assignee` (default: the deal's owner, else the actor)."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    if due_at is None:
        errors["due_at"] = [_("This field is required.")]
    assignee = assignee or (deal.owner if deal else actor)
    if assignee is None:
        errors["assignee"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        title=title[:200],
        due_at=due_at,
        assignee=assignee,
        deal=deal,
        company=company or (deal.company if deal else None),
        notes=notes,
        created_by=actor,
    )
    _refresh_deal(task)
    return task


@transaction.atomic
def complete_task(*, task: Task, actor: User | None, at: dt.datetime | None = None) -> Task:
    """Mark done; a deal's task also writes `task_done` on the deal."""
    task = _lock(task)
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only an open task can be completed."))
    when = at or timezone.now()
    task.status = TaskStatus.DONE
    task.completed_at = when
    task.save(update_fields=["status", "completed_at", "updated_at"])
    if task.deal_id:
        events.task_done_event(deal=task.deal, actor=actor, task_id=task.pk, title=task.title, at=when)
    _refresh_deal(task)
    return task


@transaction.atomic
def snooze_task(*, task: Task, actor: User | None, until: dt.datetime) -> Task:
    """Push an open task to `until`; it keeps counting as the deal's next step."""
    task = _lock(task)
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only an open task can be snoozed."))
    if until <= timezone.now():
        raise ValidationError({"until": [_("Snooze to a time in the future.")]})
    task.status = TaskStatus.SNOOZED
    task.snoozed_until = until
    task.due_at = until
    task.save(update_fields=["status", "snoozed_until", "due_at", "updated_at"])
    return task


@transaction.atomic
def cancel_task(*, task: Task, actor: User | None) -> Task:
    task = _lock(task)
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(_("Only an open task can be cancelled."))
    task.status = TaskStatus.CANCELLED
    task.save(update_fields=["status", "updated_at"])
    _refresh_deal(task)
    return task

"""Task services (create, complete, snooze, cancel) and the Today grouping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealEvent
from dealtrack.tasks import services
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task
from dealtrack.tasks.queries import my_open_tasks, tasks_visible_to

pytestmark = pytest.mark.django_db


def soon(days=1):
    return timezone.now() + dt.timedelta(days=days)


def test_task_on_a_deal_defaults_to_the_deal_owner(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    task = services.create_task(actor=org.manager_a, title="发报价单", due_at=soon(), deal=deal)

    assert task.assignee == org.rep_a
    assert task.company == deal.company


def test_task_without_title_or_due_is_refused(org):
    with pytest.raises(ValidationError) as exc:
        services.create_task(actor=org.rep_a, title=" ", due_at=None)

    assert set(exc.value.message_dict) == {"title", "due_at"}
    assert Task.objects.count() == 0


def test_completing_a_deal_task_writes_task_done_and_flags_the_deal(org, make_deal):
    deal = make_deal(owner=org.rep_a, expected_close_date=timezone.localdate() + dt.timedelta(days=30))
    task = services.create_task(actor=org.rep_a, title="拜访客户", due_at=soon(), deal=deal)
    deal.refresh_from_db()
    assert deal.health == "green"

    services.complete_task(task=task, actor=org.rep_a)

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    event = DealEvent.objects.get(deal=deal, type=EventType.TASK_DONE)
    assert event.parameters == {"task": task.pk, "title": "拜访客户"}
    deal.refresh_from_db()
    assert deal.health == "yellow"  # no next step any more


def test_a_done_task_cannot_be_completed_snoozed_or_cancelled_again(org):
    task = services.create_task(actor=org.rep_a, title="x", due_at=soon())
    services.complete_task(task=task, actor=org.rep_a)

    for action in (services.complete_task, services.cancel_task):
        with pytest.raises(ValidationError):
            action(task=task, actor=org.rep_a)
    with pytest.raises(ValidationError):
        services.snooze_task(task=task, actor=org.rep_a, until=soon(2))
    assert DealEvent.objects.count() == 0


def test_snooze_moves_the_due_time_and_refuses_the_past(org):
    task = services.create_task(actor=org.rep_a, title="x", due_at=soon())
    with pytest.raises(ValidationError):
        services.snooze_task(task=task, actor=org.rep_a, until=timezone.now() - dt.timedelta(hours=1))

    services.snooze_task(task=task, actor=org.rep_a, until=soon(3))

    task.refresh_from_db()
    assert task.status == TaskStatus.SNOOZED
    assert task.due_at == task.snoozed_until


def test_today_groups_overdue_today_and_upcoming(org):
    now = timezone.localtime()
    noon_today = now.replace(hour=12, minute=0, second=0, microsecond=0)
    overdue = services.create_task(actor=org.rep_a, title="overdue", due_at=noon_today - dt.timedelta(days=2))
    today = services.create_task(actor=org.rep_a, title="today", due_at=noon_today)
    upcoming = services.create_task(actor=org.rep_a, title="upcoming", due_at=noon_today + dt.timedelta(days=2))
    services.create_task(actor=org.rep_b, title="not mine", due_at=noon_today)

    groups = my_open_tasks(org.rep_a, as_of=now)

    assert groups == {"overdue": [overdue], "today": [today], "upcoming": [upcoming]}


def test_tasks_visibility(org, make_deal):
    deal_b = make_deal(owner=org.rep_b)
    theirs = services.create_task(actor=org.rep_b, title="b", due_at=soon(), deal=deal_b)
    mine = services.create_task(actor=org.rep_a, title="a", due_at=soon())

    assert set(tasks_visible_to(org.rep_a)) == {mine}
    assert set(tasks_visible_to(org.manager_b)) == {theirs}
    assert set(tasks_visible_to(org.admin)) == {mine, theirs}

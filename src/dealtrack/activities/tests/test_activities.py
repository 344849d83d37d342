"""Logging activities: event on the deal, idle clock, follow-up task, validation, visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dealtrack.activities.models import Activity
from dealtrack.activities.queries import activities_visible_to
from dealtrack.activities.services import log_activity
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealEvent
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_logging_on_a_deal_writes_the_event_and_resets_idle_time(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    when = timezone.now() - dt.timedelta(hours=2)

    activity, task = log_activity(actor=org.rep_a, kind="visit", deal=deal, subject="上门拜访", occurred_at=when)

    assert task is None
    assert activity.company == deal.company
    event = DealEvent.objects.get(deal=deal, type=EventType.ACTIVITY_LOGGED)
    assert (event.occurred_at, event.parameters) == (when, {"activity": activity.pk, "kind": "visit"})
    deal.refresh_from_db()
    assert deal.last_activity_at == when


def test_a_backdated_activity_does_not_rewind_the_idle_clock(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    recent = timezone.now() - dt.timedelta(hours=1)
    log_activity(actor=org.rep_a, kind="call", deal=deal, occurred_at=recent)

    log_activity(actor=org.rep_a, kind="note", deal=deal, occurred_at=recent - dt.timedelta(days=5))

    deal.refresh_from_db()
    assert deal.last_activity_at == recent


def test_follow_up_task_is_created_in_the_same_call(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    due = timezone.now() + dt.timedelta(days=2)

    _activity, task = log_activity(
        actor=org.rep_a, kind="call", deal=deal, follow_up_title="发送方案", follow_up_due=due
    )

    assert (task.title, task.due_at, task.deal, task.assignee) == ("发送方案", due, deal, org.rep_a)


def test_invalid_activity_changes_nothing(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(ValidationError) as exc:
        log_activity(actor=org.rep_a, kind="fax", deal=deal, follow_up_title="x")

    assert set(exc.value.message_dict) == {"kind", "follow_up_due"}
    assert Activity.objects.count() == 0
    assert Task.objects.count() == 0
    assert not DealEvent.objects.filter(type=EventType.ACTIVITY_LOGGED).exists()


def test_activity_needs_something_to_be_about(org):
    with pytest.raises(ValidationError) as exc:
        log_activity(actor=org.rep_a, kind="call")

    assert "deal" in exc.value.message_dict


def test_activities_visible_with_their_deals(org, make_deal):
    deal_b = make_deal(owner=org.rep_b)
    theirs, _ = log_activity(actor=org.rep_b, kind="call", deal=deal_b)
    mine, _ = log_activity(actor=org.rep_a, kind="call", company=make_deal(owner=org.rep_a).company)

    assert set(activities_visible_to(org.rep_a)) == {mine}
    assert set(activities_visible_to(org.manager_b)) == {theirs}
    assert set(activities_visible_to(org.admin)) == {mine, theirs}

"""Task endpoints: schedule, complete (writes task_done), snooze, cancel, through the task services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealEvent
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db


def soon(days=1):
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def test_schedule_task_on_deal_goes_to_the_deal_owner(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)

    response = api(org.manager_a).post("/tasks", {"title": "回访", "due_at": soon(), "deal": deal.pk})

    assert response.status_code == 201
    assert response.json()["assignee"] == org.rep_a.pk
    assert Task.objects.get().created_by == org.manager_a


def test_complete_writes_task_done_and_twice_is_422(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)
    task_id = client.post("/tasks", {"title": "回访", "due_at": soon(), "deal": deal.pk}).json()["id"]

    done = client.post(f"/tasks/{task_id}/complete")
    again = client.post(f"/tasks/{task_id}/complete")

    assert done.status_code == 200
    assert done.json()["status"] == "done"
    assert again.status_code == 422
    assert DealEvent.objects.filter(deal=deal, type=EventType.TASK_DONE).count() == 1


def test_snooze_to_the_past_is_422_and_cancel_works(org, api):
    client = api(org.rep_a)
    task_id = client.post("/tasks", {"title": "整理", "due_at": soon()}).json()["id"]

    past = client.post(f"/tasks/{task_id}/snooze", {"until": "2020-01-01T00:00:00+08:00"})
    snoozed = client.post(f"/tasks/{task_id}/snooze", {"until": soon(3)})
    cancelled = client.post(f"/tasks/{task_id}/cancel")

    assert past.status_code == 422
    assert list(past.json()["errors"]) == ["until"]
    assert snoozed.json()["status"] == "snoozed"
    assert cancelled.json()["status"] == "cancelled"
    assert Task.objects.get().status == TaskStatus.CANCELLED


def test_task_list_filters_by_status_and_due(org, api):
    client = api(org.rep_a)
    early = client.post("/tasks", {"title": "早", "due_at": "2030-01-01T09:00:00+08:00"}).json()["id"]
    client.post("/tasks", {"title": "晚", "due_at": "2030-06-01T09:00:00+08:00"})

    response = client.get("/tasks", {"status": "open", "due_before": "2030-02-01T00:00:00+08:00"})

    assert [t["id"] for t in response.json()["results"]] == [early]


def test_task_without_due_time_is_422(org, api):
    response = api(org.rep_a).post("/tasks", {"title": "无期限"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"due_at": ["This field is required."]}


@pytest.mark.parametrize("due", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday"])
def test_unusable_moments_are_422_not_500(org, api, due):
    response = api(org.rep_a).post("/tasks", {"title": "x", "due_at": due})

    assert response.status_code == 422
    assert Task.objects.count() == 0

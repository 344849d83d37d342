"""Activity endpoints: logging through the service (event, idle clock, follow-up task)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dealtrack.activities.models import Activity
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealEvent
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_log_call_on_deal_with_follow_up(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    due = timezone.now() + dt.timedelta(days=2)

    response = api(org.rep_a).post(
        "/activities",
        {
            "kind": "call",
            "deal": deal.pk,
            "outcome": "客户要报价",
            "follow_up_title": "发报价",
            "follow_up_due": due.isoformat(),
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert body["deal"] == deal.pk
    assert body["company"] == deal.company_id
    assert body["follow_up_task"]["title"] == "发报价"
    assert Task.objects.get().deal == deal
    assert DealEvent.objects.filter(deal=deal, type=EventType.ACTIVITY_LOGGED).count() == 1


def test_activity_needs_something_to_be_on(org, api):
    response = api(org.rep_a).post("/activities", {"kind": "note"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["deal"]
    assert Activity.objects.count() == 0


def test_activity_in_the_future_is_refused(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    later = (timezone.now() + dt.timedelta(days=5)).isoformat()

    response = api(org.rep_a).post("/activities", {"kind": "visit", "deal": deal.pk, "occurred_at": later})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["occurred_at"]


def test_activity_list_filters_by_kind_and_time(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)
    client.post("/activities", {"kind": "call", "deal": deal.pk, "occurred_at": "2024-01-05T10:00:00+08:00"})
    visit = client.post("/activities", {"kind": "visit", "deal": deal.pk, "occurred_at": "2024-03-05T10:00:00+08:00"})

    by_kind = client.get("/activities", {"kind": "visit"})
    by_time = client.get("/activities", {"occurred_after": "2024-02-01T00:00:00+08:00"})

    assert [a["id"] for a in by_kind.json()["results"]] == [visit.json()["id"]]
    assert [a["id"] for a in by_time.json()["results"]] == [visit.json()["id"]]


def test_unknown_kind_is_422(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).post("/activities", {"kind": "telepathy", "deal": deal.pk})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kind"]

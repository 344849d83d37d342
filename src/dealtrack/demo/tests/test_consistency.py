"""The history checker finds each kind of broken history (so the demo tests that rely on it can fail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.demo.consistency import history_problems
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def moved_deal(org, make_deal):
    """A deal with a recorded creation time (as the demo writes them) and one stage change."""
    created = timezone.now() - dt.timedelta(days=10)
    deal = make_deal(owner=org.rep_a, created_at=created, expected_close_date=timezone.localdate())
    second = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[1]
    return services.move_deal_to_stage(deal=deal, stage=second, actor=org.rep_a, at=created + dt.timedelta(days=2))


def test_histories_written_by_the_services_pass(org, make_deal):
    deal = moved_deal(org, make_deal)
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=timezone.now() - dt.timedelta(days=1))

    assert history_problems() == []


def test_an_event_before_creation_is_found(org, make_deal):
    deal = moved_deal(org, make_deal)
    deal.events.filter(type=EventType.STAGE_CHANGED).update(occurred_at=deal.created_at - dt.timedelta(hours=1))

    assert history_problems() == [f"deal {deal.pk}: an event happened before the deal was created"]


def test_a_broken_stage_chain_is_found(org, make_deal):
    deal = moved_deal(org, make_deal)
    third = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[2]
    deal.events.filter(type=EventType.STAGE_CHANGED).update(from_stage=third)

    problems = history_problems()

    assert problems == [
        f"deal {deal.pk}: stage change from {third.pk} does not follow stage {deal.events.first().to_stage_id}"
    ]


def test_a_closed_deal_whose_close_time_differs_from_its_event_is_found(org, make_deal):
    deal = moved_deal(org, make_deal)
    deal = services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=LostReasonFactory(), at=timezone.now())
    Deal.objects.filter(pk=deal.pk).update(closed_at=deal.closed_at + dt.timedelta(minutes=1))

    assert history_problems() == [f"deal {deal.pk}: lost but its last event is not `lost` at closed_at"]


def test_an_open_deal_without_expected_close_date_is_found(org, make_deal):
    deal = make_deal(owner=org.rep_a, created_at=timezone.now() - dt.timedelta(days=1))

    assert history_problems() == [f"deal {deal.pk}: open without an expected close date"]


def test_a_history_without_its_created_event_is_found(org, make_deal):
    deal = moved_deal(org, make_deal)
    deal.events.filter(type=EventType.CREATED).delete()

    assert history_problems() == [f"deal {deal.pk}: history does not record `created` once, at the creation time"]


def test_an_activity_before_its_deal_is_found(org, make_deal):
    from dealtrack.activities.services import log_activity

    deal = moved_deal(org, make_deal)
    log_activity(actor=org.rep_a, kind="call", deal=deal, occurred_at=deal.created_at - dt.timedelta(days=1))
    DealEvent.objects.filter(type=EventType.ACTIVITY_LOGGED).delete()

    assert history_problems() == ["1 activities outside their deal's life"]

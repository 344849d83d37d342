"""Normal mode (through the services): same seed and day, same data; histories consistent; a lived-in org."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import Activity
from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealCollaborator, DealEvent
from dealtrack.deals.queries import stalled_deals
from dealtrack.demo.consistency import history_problems
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db

DEALS = "60"


def test_two_runs_with_the_same_seed_and_day_write_identical_data(fingerprint_of_run):
    first = fingerprint_of_run("--deals", DEALS, "--seed", "7")
    second = fingerprint_of_run("--deals", DEALS, "--seed", "7")

    assert first == second
    assert first["deals_deal"][0] == 60
    assert first["deals_dealevent"][0] > 60


def test_histories_are_consistent_and_the_organisation_looks_lived_in(run_demo, demo_today):
    run_demo("--deals", DEALS, "--seed", "7")
    as_of = timezone.make_aware(dt.datetime.combine(demo_today, dt.time(0)))
    first_day = as_of - dt.timedelta(days=365)

    assert history_problems() == []
    assert Deal.objects.count() == 60
    assert not Deal.objects.filter(created_at__lt=first_day).exists()
    assert not DealEvent.objects.filter(occurred_at__gte=as_of).exists()
    assert not Activity.objects.filter(occurred_at__gte=as_of).exists()
    statuses = dict(Deal.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == {DealStatus.OPEN, DealStatus.WON, DealStatus.LOST}
    assert set(Activity.objects.values_list("kind", flat=True)) == set(ActivityKind.values)
    assert Task.objects.filter(status=TaskStatus.DONE).exists()
    assert Task.objects.filter(status=TaskStatus.OPEN, due_at__lt=as_of).exists()
    assert DealCollaborator.objects.exists()
    assert DealEvent.objects.filter(type=EventType.COLLABORATOR_ADDED).count() == DealCollaborator.objects.count()
    assert stalled_deals(User.objects.get(username="admin"), as_of=as_of).exists()
    assert Deal.objects.values("pipeline").distinct().count() == 3

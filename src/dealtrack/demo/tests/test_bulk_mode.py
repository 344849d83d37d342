"""Bulk mode: the same kinds of rows, by the same rules, deterministic, and a database left as migrated."""

from __future__ import annotations

import pytest
from django.db import connection

from dealtrack.activities.models import Activity
from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.services import create_deal
from dealtrack.demo.bulk_loader import BULK_MODELS
from dealtrack.demo.consistency import history_problems
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db

DEALS = "3000"


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        return {
            name
            for model in BULK_MODELS
            for name, info in connection.introspection.get_constraints(cursor, model._meta.db_table).items()
            if info["index"]
        }


def test_bulk_runs_are_deterministic_and_depend_on_the_seed(fingerprint_of_run):
    first = fingerprint_of_run("--deals", DEALS, "--bulk", "--seed", "7")
    second = fingerprint_of_run("--deals", DEALS, "--bulk", "--seed", "7")
    other = fingerprint_of_run("--deals", DEALS, "--bulk", "--seed", "8")

    assert first == second
    assert first["deals_deal"][0] == 3000
    assert other["deals_deal"] != first["deals_deal"]
    assert other["core_user"] == first["core_user"]


def test_bulk_histories_are_consistent(run_demo):
    indexes_before = index_names()

    run_demo("--deals", DEALS, "--bulk")

    assert history_problems() == []
    assert Deal.objects.count() == 3000
    assert set(Deal.objects.values_list("status", flat=True)) == set(DealStatus.values)
    assert DealEvent.objects.filter(type=EventType.CREATED).count() == 3000
    assert DealEvent.objects.filter(type=EventType.ACTIVITY_LOGGED).count() == Activity.objects.count()
    done = Task.objects.filter(status=TaskStatus.DONE).count()
    assert DealEvent.objects.filter(type=EventType.TASK_DONE).count() == done
    assert index_names() == indexes_before


def test_bulk_rows_read_back_like_service_rows_and_ids_continue(run_demo):
    run_demo("--deals", "200", "--bulk")
    rep = User.objects.get(username="rep1")

    deal = create_deal(actor=rep, name="云平台采购项目")

    assert deal.pk == Deal.objects.exclude(pk=deal.pk).order_by("-pk").first().pk + 1
    won = Deal.objects.filter(status=DealStatus.WON).first()
    event = won.events.order_by("-occurred_at", "-id").first()
    assert event.type == EventType.WON
    assert event.occurred_at == won.closed_at
    assert event.parameters == {"value": str(won.value_base)}
    assert won.stage_entered_at == won.closed_at

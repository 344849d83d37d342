"""The migrations that introduced stage visits, first responses, daily totals, previous touches, the
collaborator links' deal copies and the daily stage and activity totals fill them from existing history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import Activity, ActivityDayTotal
from dealtrack.activities.services import log_activity
from dealtrack.deals import services
from dealtrack.deals.models import DayTotal, Deal, DealCollaborator, StageDayTotal, StageVisit
from dealtrack.pipelines.choices import StageKind

BEFORE = [("deals", "0006_owner_created_index"), ("activities", "0002_report_index")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def derived_rows():
    visits = sorted(
        StageVisit.objects.values_list("deal_id", "owner_id", "stage_id", "entered_at", "left_at", "moved_on")
    )
    totals = sorted(
        DayTotal.objects.values_list(
            "day", "owner_id", "dimension", "source_id", "deal_type", "created_count", "won_count", "won_value"
        ),
        key=repr,
    )
    touches = dict(Activity.objects.values_list("pk", "previous_touch_at"))
    copies = sorted(
        DealCollaborator.objects.values_list("deal_id", "user_id", "deal_owner_id", "deal_created_at", "deal_closed_at")
    )
    stage_totals = sorted(
        StageDayTotal.objects.values_list("kind", "day", "stage_id", "owner_id", "previous_day", "visits", "seconds"),
        key=repr,
    )
    activity_totals = sorted(
        ActivityDayTotal.objects.values_list(
            "dimension", "day", "user_id", "pipeline_id", "kind", "previous_day", "count"
        ),
        key=repr,
    )
    first_responses = dict(Deal.objects.values_list("pk", "first_response_at"))
    return visits, first_responses, totals, touches, copies, stage_totals, activity_totals


@pytest.mark.django_db(transaction=True)
def test_migrating_an_existing_installation_derives_the_report_rows(org):
    stages = list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))
    deal = services.create_deal(actor=org.rep_a, owner=org.rep_a, name="历史商机", value="1000")
    at = deal.created_at
    for days, stage in ((1, stages[1]), (2, stages[0]), (4, stages[2])):
        deal = services.move_deal_to_stage(deal=deal, stage=stage, actor=org.rep_a, at=at + dt.timedelta(days=days))
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=at + dt.timedelta(days=6))
    services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b)
    log_activity(actor=org.rep_a, kind=ActivityKind.CALL, deal=deal, occurred_at=at + dt.timedelta(hours=3))
    log_activity(actor=org.rep_a, kind=ActivityKind.NOTE, deal=deal, occurred_at=at + dt.timedelta(hours=5))
    services.create_deal(actor=org.rep_b, owner=org.rep_b, name="未跟进", value="5")
    kept = derived_rows()
    assert len(kept[0]) == 6 and kept[1][deal.pk] == at + dt.timedelta(hours=3)
    assert len(kept[2]) >= 5 and at + dt.timedelta(hours=3) in kept[3].values()
    assert kept[4] == [(deal.pk, org.rep_b.pk, org.rep_a.pk, at, at + dt.timedelta(days=6))]
    assert sum(row[5] for row in kept[5] if row[0] == "entered") == len(kept[0])  # an entry per visit
    assert sum(row[6] for row in kept[6] if row[0] == "kind") == 2  # the call and the note

    migrate(BEFORE)  # as an installation of the previous release would be (the table and column dropped)
    migrate(latest())

    assert derived_rows() == kept

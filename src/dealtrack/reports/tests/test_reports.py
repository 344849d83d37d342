"""Funnel, breakdowns, retention, team, forecast and pipeline change on hand-built data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from dealtrack.activities.services import log_activity
from dealtrack.deals import services
from dealtrack.deals.choices import DealType
from dealtrack.goals.services import set_quota
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline
from dealtrack.pipelines.services import create_pipeline
from dealtrack.reports.breakdowns import (
    lost_reasons,
    pipeline_by_stage,
    retention,
    top_customers,
    top_sources,
    won_by_month,
)
from dealtrack.reports.forecast import forecast
from dealtrack.reports.funnel import funnel
from dealtrack.reports.pipeline_change import pipeline_change
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.reports.team import team_table
from dealtrack.reports.tests.conftest import Q2, local, open_stage
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Stage, source and reason names are msgids: compare them untranslated."""
    with translation.override("en"):
        yield


def test_won_by_month_lists_every_month_of_the_period(org, quarter):
    assert won_by_month(org.admin, Q2) == [
        {"month": "2025-04", "won_count": 1, "won_value": Decimal("1000.00")},
        {"month": "2025-05", "won_count": 1, "won_value": Decimal("3000.00")},
        {"month": "2025-06", "won_count": 1, "won_value": Decimal("4000.00")},
    ]


def test_lost_reasons_sources_and_customers(org, quarter):
    assert lost_reasons(org.admin, Q2) == [{"reason": "Price", "count": 1, "value": Decimal("500.00")}]
    assert top_sources(org.admin, Q2) == [
        # d2 won, d3 lost, d4 won (after the quarter, but closed by now), d5 open
        {"source": "Referral", "count": 4, "value": Decimal("6200.00"), "won_count": 2, "win_rate": round(2 / 3, 4)}
    ]
    assert [(c["company"], c["won_count"], c["won_value"]) for c in top_customers(org.admin, Q2)] == [
        ("Acme", 2, Decimal("4000.00")),  # ties on value are ordered by company, Acme first
        ("Beta", 1, Decimal("4000.00")),
    ]


def test_pipeline_by_stage_counts_open_deals_now(org, quarter):
    rows = {r["stage"]: r for r in pipeline_by_stage(org.admin, Q2)}

    assert rows["Evaluating"]["count"] == 1
    assert rows["Evaluating"]["weighted_value"] == Decimal("600.00")
    assert rows["Qualified"]["value"] == Decimal("2000.00")
    assert rows["Qualified"]["weighted_value"] == Decimal("500.00")


def test_funnel_conversion_time_in_stage_and_bottleneck(org):
    s0, s1, s2 = (open_stage(org, i) for i in range(3))

    def deal(created):
        return services.create_deal(actor=org.rep_a, name="f", value="100", created_at=created)

    # Four deals enter stage 0 in April; three move on to stage 1 (after 2, 4 and 6 days); one of those
    # reaches stage 2 (after 10 days), one is won straight from stage 1; the fourth stays.
    a, b, c, d = (deal(local(2025, 4, day)) for day in (1, 2, 3, 4))
    services.move_deal_to_stage(deal=a, stage=s1, actor=org.rep_a, at=local(2025, 4, 3))
    services.move_deal_to_stage(deal=b, stage=s1, actor=org.rep_a, at=local(2025, 4, 6))
    services.move_deal_to_stage(deal=c, stage=s1, actor=org.rep_a, at=local(2025, 4, 9))
    services.move_deal_to_stage(deal=a, stage=s2, actor=org.rep_a, at=local(2025, 4, 13))
    services.mark_deal_won(deal=b, actor=org.rep_a, at=local(2025, 4, 20))

    result = funnel(org.admin, Q2)

    steps = {s["stage"]: s for s in result["steps"]}
    assert (steps["Evaluating"]["entered"], steps["Evaluating"]["moved_on"]) == (4, 3)
    assert steps["Evaluating"]["conversion"] == 0.75
    assert steps["Evaluating"]["avg_days_in_stage"] == 4.0  # (2 + 4 + 6) / 3
    assert (steps["Qualified"]["entered"], steps["Qualified"]["moved_on"]) == (3, 2)  # a → stage 2, b → won
    assert steps["Qualified"]["avg_days_in_stage"] == 12.0  # a 10 days, b 14 days
    assert (steps["Building proposal"]["entered"], steps["Building proposal"]["moved_on"]) == (1, 0)
    assert result["bottleneck"]["stage"] == "Building proposal"
    assert "Building proposal" in result["bottleneck"]["text"]
    assert result["slowest"]["stage"] == "Qualified"
    assert d.pk  # d entered stage 0 only


def test_funnel_counts_a_deal_once_per_stage_however_often_it_entered(org):
    s0, s1, s2 = (open_stage(org, i) for i in range(3))
    # e entered stage 0 in March (before the period) and again twice in April; it moved on only after the
    # last of those entries, which still makes it one deal that entered stage 0 and moved on.
    e = services.create_deal(actor=org.rep_a, name="e", value="100", created_at=local(2025, 3, 20))
    for day, stage in ((1, s1), (2, s0), (5, s1), (6, s0), (9, s2)):
        e = services.move_deal_to_stage(deal=e, stage=stage, actor=org.rep_a, at=local(2025, 4, day))
    # f was created in stage 0 in April, moved on, came back and stayed.
    f = services.create_deal(actor=org.rep_a, name="f", value="100", created_at=local(2025, 4, 10))
    f = services.move_deal_to_stage(deal=f, stage=s1, actor=org.rep_a, at=local(2025, 4, 11))
    services.move_deal_to_stage(deal=f, stage=s0, actor=org.rep_a, at=local(2025, 4, 12))

    steps = {s["stage_id"]: s for s in funnel(org.admin, Q2)["steps"]}

    assert (steps[s0.pk]["entered"], steps[s0.pk]["moved_on"]) == (2, 2)  # e twice, f twice: two deals
    assert (steps[s1.pk]["entered"], steps[s1.pk]["moved_on"]) == (2, 1)  # e reached s2 later; f went back
    assert steps[s0.pk]["visits_ended"] == 4  # e's stays from March 20, April 2 and 6; f's first


def test_funnel_respects_visibility(org):
    services.create_deal(actor=org.rep_b, name="east", value="1", created_at=local(2025, 4, 2))

    entered = {s["stage"]: s["entered"] for s in funnel(org.rep_a, Q2)["steps"]}

    assert entered["Evaluating"] == 0


def test_funnel_runs_on_the_filtered_the_default_or_else_the_first_pipeline(org):
    renewals = create_pipeline(name="续约管道")
    renewal_stages = list(renewals.stages.filter(kind=StageKind.OPEN).order_by("position").values_list("pk", flat=True))
    default_stages = list(
        org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position").values_list("pk", flat=True)
    )

    def shown(filters):
        result = funnel(org.admin, filters)
        return result["pipeline_id"], [s["stage_id"] for s in result["steps"]]

    assert shown(Q2) == (org.pipeline.pk, default_stages)
    assert shown(replace(Q2, pipeline_id=renewals.pk)) == (renewals.pk, renewal_stages)
    Pipeline.objects.update(is_default=False)  # only the admin could leave none; the first one then
    assert shown(Q2) == (org.pipeline.pk, default_stages)
    assert funnel(org.admin, replace(Q2, pipeline_id=renewals.pk + 1000))["steps"] == []


def test_retention_by_deal_type(org):
    reason = LostReasonFactory(name="Churn")

    def closed(deal_type, value, won):
        deal = services.create_deal(
            actor=org.rep_a, name="r", value=str(value), deal_type=deal_type, created_at=local(2025, 3, 1)
        )
        if won:
            services.mark_deal_won(deal=deal, actor=org.rep_a, at=local(2025, 5, 1))
        else:
            services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=reason, at=local(2025, 5, 1))

    closed(DealType.RENEWAL, 100, True)
    closed(DealType.RENEWAL, 300, True)
    closed(DealType.RENEWAL, 50, False)
    closed(DealType.EXPANSION, 70, True)
    closed(DealType.NEW, 1000, False)

    result = retention(org.admin, Q2)

    assert result["renewal_rate"] == round(2 / 3, 4)
    assert result["renewal_rate_by_value"] == round(400 / 450, 4)
    assert (result["churned_value"], result["churned_count"]) == (Decimal("50.00"), 1)
    assert (result["expansion_value"], result["expansion_count"]) == (Decimal("70.00"), 1)


def test_team_table_per_rep(org, quarter):
    set_quota(actor=org.manager_a, year=2025, owner=org.rep_a, target="16000")  # 4000 in Q2
    log_activity(actor=org.rep_a, kind="call", deal=quarter.d2, occurred_at=local(2025, 4, 1, 15))  # 6 h after
    log_activity(actor=org.rep_a, kind="visit", deal=quarter.d2, occurred_at=local(2025, 4, 3))
    log_activity(actor=org.rep_a, kind="email", deal=quarter.d3, occurred_at=local(2025, 4, 21, 10))  # 24 h
    log_activity(actor=org.rep_a, kind="call", deal=quarter.d7, occurred_at=local(2025, 3, 1))  # before Q2

    rows = {r["name"]: r for r in team_table(org.manager_a, Q2)}

    assert set(rows) == {org.manager_a.name, org.rep_a.name, org.rep_a2.name, org.rep_north.name}
    rep = rows[org.rep_a.name]
    assert (rep["calls"], rep["emails"], rep["visits"], rep["meetings"], rep["notes"]) == (1, 1, 1, 0, 0)
    assert rep["follow_ups_per_deal"] == 1.5  # 3 activities on 2 deals
    assert (rep["won_count"], rep["lost_count"], rep["win_rate"]) == (2, 1, round(2 / 3, 4))
    assert rep["won_value"] == Decimal("4000.00")
    assert rep["quota"] == Decimal("4000.00")
    assert rep["attainment"] == 1.0
    assert rep["lead_response_hours"] == 15.0  # d2 6 h, d3 24 h; d4 never answered
    assert rep["leads_unanswered"] == 1
    assert rows[org.rep_a2.name]["won_count"] == 0


def test_follow_ups_count_each_deal_once_whatever_order_activities_arrive_in(org, quarter):
    log_activity(actor=org.rep_a, kind="call", deal=quarter.d7, occurred_at=local(2025, 3, 1))  # before Q2
    log_activity(actor=org.rep_a, kind="call", deal=quarter.d7, occurred_at=local(2025, 5, 10))
    log_activity(actor=org.rep_a, kind="call", deal=quarter.d2, occurred_at=local(2025, 4, 3))
    log_activity(actor=org.rep_a, kind="note", deal=quarter.d2, occurred_at=local(2025, 4, 1, 12))  # backdated
    log_activity(actor=org.rep_a, kind="email", deal=quarter.d2, occurred_at=local(2025, 4, 2))
    log_activity(actor=org.rep_a2, kind="call", deal=quarter.d2, occurred_at=local(2025, 4, 2))  # another person

    rows = {r["name"]: r for r in team_table(org.manager_a, Q2)}

    assert rows[org.rep_a.name]["follow_ups_per_deal"] == 2.0  # 4 activities on 2 deals (d2, d7)
    assert rows[org.rep_a2.name]["follow_ups_per_deal"] == 1.0


def test_team_table_sorts_and_a_rep_sees_only_self(org, quarter):
    rows = team_table(org.admin, Q2, sort="-won_value")

    assert [r["won_value"] for r in rows][:2] == [Decimal("4000.00"), Decimal("4000.00")]
    assert [r["name"] for r in team_table(org.rep_a, Q2)] == [org.rep_a.name]


def test_forecast_by_month_with_categories_quota_and_accuracy(org):
    set_quota(actor=org.admin, year=2025, owner=org.rep_a, target="12000")  # 1000 a month
    april = services.create_deal(
        actor=org.rep_a, name="a", value="1000", expected_close_date="2025-04-20", created_at=local(2025, 3, 1)
    )
    may = services.create_deal(
        actor=org.rep_a,
        name="m",
        value="2000",
        expected_close_date="2025-05-10",
        created_at=local(2025, 3, 1),
        forecast_category="commit",
    )
    take_pipeline_snapshot(day=dt.date(2025, 4, 1))  # the April forecast: april 10 % of 1000 = 100
    services.mark_deal_won(deal=april, actor=org.rep_a, at=local(2025, 4, 25))
    services.override_forecast_category(deal=may, actor=org.manager_a, category="best_case")

    months = {m["month"]: m for m in forecast(org.admin, Q2, today=dt.date(2025, 5, 15))["months"]}

    assert months["2025-04"]["won_value"] == Decimal("1000.00")
    assert months["2025-04"]["forecast_at_start"] == Decimal("100.00")
    assert months["2025-04"]["accuracy"] == 0.1
    assert months["2025-04"]["quota"] == Decimal("1000.00")
    assert months["2025-04"]["attainment"] == 1.0
    assert months["2025-05"]["best_case"] == Decimal("2000.00")  # the manager's call counts
    assert months["2025-05"]["commit"] == Decimal("0.00")
    assert months["2025-05"]["weighted_value"] == Decimal("200.00")
    assert months["2025-05"]["forecast_at_start"] is None  # no snapshot on 05-01
    assert months["2025-06"]["open_count"] == 0


def test_pipeline_change_bridge_adds_up(org):
    reason = LostReasonFactory(name="x")

    def deal(value, **fields):
        return services.create_deal(actor=org.rep_a, name="p", value=str(value), created_at=local(2025, 3, 1), **fields)

    grows = deal(100, expected_close_date="2025-05-01")
    shrinks = deal(200)
    wins = deal(300)
    loses = deal(400)
    leaves = deal(500)
    take_pipeline_snapshot(day=dt.date(2025, 4, 1))
    services.update_deal(
        deal=grows, actor=org.rep_a, version=None, changes={"value": "150", "expected_close_date": "2025-06-01"}
    )
    services.update_deal(deal=shrinks, actor=org.rep_a, version=None, changes={"value": "120"})
    services.move_deal_to_stage(deal=shrinks, stage=open_stage(org, 1), actor=org.rep_a)
    services.mark_deal_won(deal=wins, actor=org.rep_a, at=local(2025, 5, 1))
    services.mark_deal_lost(deal=loses, actor=org.rep_a, reason=reason, at=local(2025, 5, 2))
    services.reassign_deal(deal=leaves, actor=org.manager_a, owner=org.rep_a2)
    services.create_deal(actor=org.rep_a, name="new", value="50", created_at=local(2025, 4, 10))
    take_pipeline_snapshot(day=dt.date(2025, 7, 1))

    result = pipeline_change(org.admin, replace(Q2, owner_id=org.rep_a.pk))

    values = {s["key"]: (s["count"], s["value"]) for s in result["steps"] + result["moves"]}
    assert values["opening"] == (5, Decimal("1500.00"))
    assert values["new"] == (1, Decimal("50.00"))
    assert values["increased"] == (1, Decimal("50.00"))
    assert values["decreased"] == (1, Decimal("80.00"))
    assert values["won"] == (1, Decimal("300.00"))
    assert values["lost"] == (1, Decimal("400.00"))
    assert values["out"] == (1, Decimal("500.00"))
    assert values["closing"] == (3, Decimal("320.00"))  # 150 + 120 + 50
    assert 1500 + 50 + 0 + 50 - 80 - 300 - 400 - 500 == 320
    assert values["advanced"] == (1, Decimal("120.00"))
    assert values["slipped"] == (1, Decimal("150.00"))


def test_pipeline_change_without_snapshots_is_unavailable(org):
    assert pipeline_change(org.admin, Q2)["available"] is False


def test_stage_kind_fridge_counts_as_dropped(org, quarter):
    from dealtrack.pipelines.services import add_stage

    fridge = add_stage(pipeline=org.pipeline, name="Fridge", kind=StageKind.FRIDGE, probability=0)
    services.move_deal_to_stage(deal=quarter.d7, stage=fridge, actor=org.rep_a, at=local(2025, 5, 5))

    rows = {r["name"]: r for r in team_table(org.admin, Q2)}

    assert rows[org.rep_a.name]["dropped"] == 1

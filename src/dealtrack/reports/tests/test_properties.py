"""Property tests: per-owner figures add up to the team's, the teams' to the organisation's, and every rate
stays within 0–1, for random deal histories built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealtrack.deals import services
from dealtrack.deals.models import Deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.reports.funnel import funnel
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.reports.summary import by_owner, summary
from dealtrack.reports.tests.conftest import Q2, local
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db

ADDITIVE = [
    "won_count",
    "lost_count",
    "won_value",
    "lost_value",
    "new_deals",
    "new_deals_value",
    "open_count",
    "pipeline_value",
    "weighted_pipeline_value",
]
RATES = ["win_rate", "win_rate_by_value"]

deal_plans = st.lists(
    st.tuples(
        st.sampled_from(["rep_a", "rep_a2", "rep_north", "rep_b", "manager_a"]),
        st.integers(min_value=1, max_value=2_000_000),  # whole yuan, so sums are exact on both databases
        st.integers(min_value=0, max_value=150),  # created, days after 2025-03-01
        st.sampled_from(["open", "won", "lost"]),
        st.integers(min_value=0, max_value=90),  # closed, days after creation
        st.integers(min_value=0, max_value=3),  # open stage
        st.one_of(st.none(), st.integers(min_value=0, max_value=100)),  # probability override
    ),
    max_size=14,
)


def build(org, plans):
    Deal.objects.all().delete()
    reason = LostReasonFactory(name="p")
    stages = list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))
    for owner, value, created, outcome, closed, stage, override in plans:
        start = local(2025, 3, 1) + dt.timedelta(days=created, hours=created % 24)
        user = getattr(org, owner)
        deal = services.create_deal(
            actor=user,
            owner=user,
            name="p",
            value=str(value),
            created_at=start,
            stage=stages[stage],
            probability_override=override,
            expected_close_date=dt.date(2025, 6, 1),
        )
        end = start + dt.timedelta(days=closed, minutes=closed * 7)
        if outcome == "won":
            services.mark_deal_won(deal=deal, actor=user, at=end)
        elif outcome == "lost":
            services.mark_deal_lost(deal=deal, actor=user, reason=reason, at=end)
    take_pipeline_snapshot(day=dt.date(2025, 7, 1))


def total(rows, key):
    return sum((row[key] or 0 for row in rows), Decimal(0))


def assert_adds_up(parts, whole):
    for key in ADDITIVE:
        assert total(parts, key) == (whole[key] or 0), key


hypothesis_settings = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@hypothesis_settings
@given(plans=deal_plans)
def test_owner_rows_add_up_to_the_team_and_teams_to_the_organisation(org, plans):
    build(org, plans)
    everyone = summary(org.admin, Q2)
    sales = summary(org.admin, replace(Q2, team_id=org.sales.pk))  # includes the nested north team
    east = summary(org.admin, replace(Q2, team_id=org.east.pk))

    assert_adds_up(by_owner(org.admin, replace(Q2, team_id=org.sales.pk)), sales)
    assert_adds_up(
        [summary(org.admin, replace(Q2, owner_id=u.pk)) for u in (org.rep_a, org.rep_a2, org.rep_north, org.manager_a)],
        sales,
    )
    assert_adds_up([sales, east], everyone)
    assert_adds_up(by_owner(org.admin, Q2), everyone)
    assert summary(org.manager_a, Q2) == sales  # a manager sees exactly the team's figures
    assert summary(org.rep_b, Q2) == summary(org.admin, replace(Q2, owner_id=org.rep_b.pk))


@hypothesis_settings
@given(plans=deal_plans)
def test_rates_stay_within_zero_and_one(org, plans):
    build(org, plans)

    for figures in [summary(org.admin, Q2), *by_owner(org.admin, Q2)]:
        for key in RATES:
            assert figures[key] is None or 0 <= figures[key] <= 1
    for step in funnel(org.admin, Q2)["steps"]:
        assert step["conversion"] is None or 0 <= step["conversion"] <= 1
        assert step["moved_on"] <= step["entered"]

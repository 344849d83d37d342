"""The reports router: fields the issue names, visibility per user, bad input answered with 422."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from ninja.testing import TestClient

from dealtrack.core import side_by_side as side_by_side_module
from dealtrack.reports.api import router

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Stage, source and reason names are msgids: compare them untranslated."""
    with translation.override("en"):
        yield


client = TestClient(router)
Q2 = "from=2025-04-01&to=2025-06-30"
SUMMARY_FIELDS = {
    "won_count",
    "lost_count",
    "win_rate",
    "won_value",
    "avg_won_value",
    "avg_cycle_days",
    "median_cycle_days",
    "new_deals",
    "open_count",
    "pipeline_value",
    "weighted_pipeline_value",
}


def test_summary_has_the_named_fields_and_the_previous_period(org, quarter):
    response = client.get(f"/summary?{Q2}", user=org.admin)

    assert response.status_code == 200
    body = response.json()
    assert SUMMARY_FIELDS <= set(body)
    assert (body["won_count"], Decimal(body["won_value"]), body["median_cycle_days"]) == (3, Decimal("8000"), 36.0)
    assert body["period"] == {"from": "2025-04-01", "to": "2025-06-30", "pipeline": None, "team": None, "owner": None}
    assert body["previous"]["new_deals"] == 3  # Q1: d1, d6, d7


def test_by_owner_rows_name_the_owner_and_carry_the_fields(org, quarter):
    rows = client.get(f"/by-owner?{Q2}", user=org.manager_a).json()["rows"]

    assert {r["owner"] for r in rows} == {org.rep_a.name, org.rep_a2.name}
    assert all(SUMMARY_FIELDS | {"owner_id"} <= set(r) for r in rows)


def test_rep_gets_only_own_figures_through_the_api(org, quarter):
    body = client.get(f"/summary?{Q2}", user=org.rep_b).json()

    assert (body["won_count"], Decimal(body["won_value"])) == (1, Decimal("4000"))


def test_funnel_forecast_and_team_answer(org, quarter):
    funnel = client.get(f"/funnel?{Q2}", user=org.admin).json()
    forecast = client.get(f"/forecast?{Q2}", user=org.admin).json()
    team = client.get(f"/team?{Q2}&team={org.east.pk}", user=org.admin).json()

    assert [s["stage"] for s in funnel["steps"]][:2] == ["Evaluating", "Qualified"]
    assert [m["month"] for m in forecast["months"]] == ["2025-04", "2025-05", "2025-06"]
    assert [(r["name"], r["won_count"]) for r in team["rows"]] == [(org.rep_b.name, 1), (org.manager_b.name, 0)]


@pytest.mark.parametrize(
    "query",
    ["from=2025-07-01&to=2025-06-30", "owner=999999", "from=2025-13-01", "team=abc", "from=2000-01-01&to=2020-01-01"],
)
def test_bad_filters_are_answered_with_422_not_500(org, query):
    response = client.get(f"/summary?{query}", user=org.admin)

    assert response.status_code == 422


def test_anonymous_is_refused(org):
    assert client.get("/summary").status_code == 401


def test_a_collaborators_figures_through_the_whole_stack(org, quarter):
    # Through the middleware, which memoises per request what the reports share (here: the totals of
    # deals seen only as a collaborator, read once for the period and the one before).
    from django.test import Client

    from dealtrack.deals import services

    services.add_collaborator(deal=quarter.d6, actor=org.rep_b, user=org.rep_a)
    web = Client()
    web.force_login(org.rep_a)

    body = web.get(f"/api/v1/reports/summary?{Q2}").json()

    assert (body["won_count"], body["won_value"], body["new_deals"]) == (3, "8000.00", 3)
    assert (body["previous"]["won_count"], body["previous"]["new_deals"]) == (0, 3)  # d1, d7 and d6 created


@pytest.mark.django_db(transaction=True)  # parallel reads only happen outside a transaction
@pytest.mark.parametrize("who", ["admin", "manager_a", "rep_a"])
def test_summary_and_by_owner_read_side_by_side_equal_the_same_read_in_turn(org, quarter, settings, monkeypatch, who):
    offloaded = []
    on_own_connection = side_by_side_module._on_own_connection
    monkeypatch.setattr(
        side_by_side_module, "_on_own_connection", lambda *args: offloaded.append(1) or on_own_connection(*args)
    )
    answers = {}
    for reads in (1, 2):
        settings.PARALLEL_READS = reads
        user = getattr(org, who)
        answers[reads] = [client.get(f"/{path}?{Q2}", user=user).json() for path in ("summary", "by-owner")]

    assert len(offloaded) == 2  # the previous period's summary, and the per-owner pipeline
    assert answers[2] == answers[1]
    assert answers[1][0]["won_count"] == sum(row["won_count"] for row in answers[1][1]["rows"]) > 0

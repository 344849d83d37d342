"""The Maven CRM sample (8,800 real opportunities): per-agent win rate, won value and sales cycle from the
reports match figures computed here directly from the CSV.

The deals go in the way the deals importer brings in new rows: each validated by `prepare_imported_deal`
(created in the first stage at the engage date, moved to Won or Lost at the close date) and all written
by `import_deals_bulk`, which derives their visits and daily totals. Only the 6,711 closed opportunities
(all 35 agents) are imported: the 2,089 open ones (Prospecting, Engaging) enter none of the figures checked
here.
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from dealtrack.core.choices import Role
from dealtrack.deals import services
from dealtrack.deals.models import Deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.summary import by_owner, summary
from dealtrack.testing.factories import LostReasonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The repository's parent holds shared/ (here and in CI, where the clone has shared/ beside it).
MAVEN = Path(__file__).resolve().parents[4] / ".." / "shared" / "datasets" / "maven-crm"
WHOLE_SET = ReportFilters(start=dt.date(2016, 10, 1), end=dt.date(2017, 12, 31))


def noon(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=timezone.get_current_timezone())


def expected_per_agent(rows: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    """Win rate, won value and cycle per agent, straight from the CSV rows."""
    won: dict[str, list[dict[str, str]]] = defaultdict(list)
    lost: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["deal_stage"] == "Won":
            won[row["sales_agent"]].append(row)
        elif row["deal_stage"] == "Lost":
            lost[row["sales_agent"]] += 1
    expected = {}
    for agent in {r["sales_agent"] for r in rows}:
        cycles = [
            (dt.date.fromisoformat(r["close_date"]) - dt.date.fromisoformat(r["engage_date"])).days for r in won[agent]
        ]
        count = len(won[agent])
        expected[agent] = {
            "won_count": count,
            "lost_count": lost[agent],
            "win_rate": round(count / (count + lost[agent]), 4) if count + lost[agent] else None,
            "won_value": sum((Decimal(r["close_value"]) for r in won[agent]), Decimal(0)),
            "avg_cycle_days": round(sum(cycles) / count, 1) if count else None,
            "median_cycle_days": round(float(statistics.median(cycles)), 1) if count else None,
        }
    return expected


@pytest.fixture
def maven(org):
    """Every closed opportunity of sales_pipeline.csv, owned by a user per sales agent."""
    with (MAVEN / "sales_pipeline.csv").open(encoding="utf-8") as handle:
        everything = list(csv.DictReader(handle))
    assert len(everything) == 8800
    rows = [r for r in everything if r["deal_stage"] in ("Won", "Lost")]
    agents = {
        name: UserFactory(username=f"maven{i}", display_name=name, role=Role.REP)
        for i, name in enumerate(sorted({r["sales_agent"] for r in rows}))
    }
    reason = LostReasonFactory(name="Maven lost")
    won, lost = (org.pipeline.stages.get(kind=kind) for kind in (StageKind.WON, StageKind.LOST))
    now = timezone.now()
    items = [
        services.prepare_imported_deal(
            actor=org.admin,
            now=now,
            owner=agents[row["sales_agent"]],
            pipeline=org.pipeline,
            stage=won if row["deal_stage"] == "Won" else lost,
            name=row["opportunity_id"],
            external_id=row["opportunity_id"],
            value=row["close_value"] if row["deal_stage"] == "Won" else "0",
            created_at=noon(row["engage_date"]),
            closed_at=noon(row["close_date"]),
            lost_reason=None if row["deal_stage"] == "Won" else reason,
        )
        for row in rows
    ]
    services.import_deals_bulk(actor=org.admin, deals=items)
    return rows


def test_per_agent_win_rate_won_value_and_cycle_match_the_csv(org, maven):
    expected = expected_per_agent(maven)

    rows = {r["owner"]: r for r in by_owner(org.admin, WHOLE_SET)}

    assert Deal.objects.count() == len(maven) == 6711
    assert set(rows) == set(expected)
    for agent, figures in expected.items():
        got = rows[agent]
        assert {key: got[key] for key in figures} == figures, agent
    everything = summary(org.admin, WHOLE_SET)
    assert everything["won_count"] == sum(f["won_count"] for f in expected.values())
    assert everything["won_value"] == sum((f["won_value"] for f in expected.values()), Decimal(0))

"""Summary and per-owner figures on the hand-built quarter, with the answers worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.deals.day_totals import FIGURES, compute_totals, dimension_field
from dealtrack.deals.models import DayTotal
from dealtrack.deals.queries import deals_visible_to
from dealtrack.reports import scope
from dealtrack.reports.breakdowns import top_customers
from dealtrack.reports.forecast import forecast
from dealtrack.reports.funnel import funnel
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.reports.summary import by_owner, summary
from dealtrack.reports.tests.conftest import Q2, local
from dealtrack.reports.totals import period_totals
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def test_admin_summary_of_the_quarter(org, quarter):
    figures = summary(org.admin, Q2)

    assert figures == {
        "won_count": 3,  # d1, d2, d6 (d4 closed 07-01 00:10 local, after the quarter)
        "lost_count": 1,  # d3 at 06-30 23:30 local, still inside
        "win_rate": 0.75,
        "win_rate_by_value": round(8000 / 8500, 4),
        "won_value": Decimal("8000.00"),
        "lost_value": Decimal("500.00"),
        "avg_won_value": Decimal("2666.67"),
        "avg_cycle_days": 65.0,  # (36 + 30 + 129) / 3
        "median_cycle_days": 36.0,
        "new_deals": 4,  # d2, d3, d4, d5
        "new_deals_value": Decimal("6200.00"),
        "open_count": 2,  # d5, d7 in the 07-01 snapshot
        "pipeline_value": Decimal("3000.00"),
        "weighted_pipeline_value": Decimal("1100.00"),  # 2000 × 25 % + 1000 × 60 %
        "pipeline_as_of": dt.date(2025, 7, 1),
    }


def test_rep_sees_only_own_figures(org, quarter):
    figures = summary(org.rep_a, Q2)

    assert (figures["won_count"], figures["won_value"], figures["lost_count"]) == (2, Decimal("2000.00") * 2, 1)
    assert figures["avg_cycle_days"] == 33.0  # (36 + 30) / 2
    assert figures["median_cycle_days"] == 33.0
    assert (figures["new_deals"], figures["open_count"], figures["pipeline_value"]) == (3, 1, Decimal("1000.00"))


def test_manager_sees_the_team_and_not_the_other_team(org, quarter):
    assert summary(org.manager_a, Q2)["won_value"] == Decimal("4000.00")  # d1 + d2
    assert summary(org.manager_a, Q2)["open_count"] == 2
    assert summary(org.manager_b, Q2)["won_value"] == Decimal("4000.00")  # d6
    assert summary(org.manager_b, Q2)["open_count"] == 0


def test_a_deal_the_reader_collaborates_on_counts_in_every_figure(org, quarter):
    # d6 belongs to rep_b of the other team; rep_a sees it as a collaborator, so the reports count it too.
    ended_before = sum(step["visits_ended"] for step in funnel(org.rep_a, Q2)["steps"])
    services.add_collaborator(deal=quarter.d6, actor=org.rep_b, user=org.rep_a)

    assert sum(step["visits_ended"] for step in funnel(org.rep_a, Q2)["steps"]) == ended_before + 1  # d6 won
    figures = summary(org.rep_a, Q2)
    assert (figures["won_count"], figures["won_value"]) == (3, Decimal("8000.00"))
    assert figures["avg_cycle_days"] == 65.0  # (36 + 30 + 129) / 3
    assert figures["median_cycle_days"] == 36.0
    assert figures["new_deals"] == 3  # d2, d3, d4: d6 was created in February
    assert summary(org.rep_a, Q2.previous())["new_deals"] == 3  # d1, d7 and d6
    rows = {row["owner_id"]: row for row in by_owner(org.rep_a, Q2)}
    assert rows[org.rep_b.pk]["won_value"] == Decimal("4000.00")
    assert summary(org.manager_a, Q2)["won_value"] == Decimal("4000.00")  # the manager does not collaborate
    customers = {row["company"]: row["won_value"] for row in top_customers(org.rep_a, Q2)}
    assert customers == {"Acme": Decimal("4000.00"), "Beta": Decimal("4000.00")}  # d1 + d2; d6


def test_a_collaborated_deal_counts_once_as_it_moves_in_and_out_of_the_readers_scope(org, quarter):
    # manager_a collaborates on d6 of the other team; reassigned into manager_a's team it counts as the
    # team's deal, reassigned back as a collaboration, never twice and never lost.
    services.add_collaborator(deal=quarter.d6, actor=org.rep_b, user=org.manager_a)
    expected = (4, Decimal("8000.00"), 36.0)  # d1, d2 and the collaboration-only d6; cycles 36, 30, 129
    for owner in (org.rep_b, org.rep_a, org.rep_b):
        services.reassign_deal(deal=quarter.d6, actor=org.admin, owner=owner)
        figures = summary(org.manager_a, Q2)

        assert (figures["won_count"] + figures["lost_count"], figures["won_value"], figures["median_cycle_days"]) == (
            expected
        )
        assert sum(row["won_value"] for row in by_owner(org.manager_a, Q2)) == Decimal("8000.00")
        customers = {row["company"]: row["won_value"] for row in top_customers(org.manager_a, Q2)}
        assert customers == {"Acme": Decimal("4000.00"), "Beta": Decimal("4000.00")}


def test_an_open_deal_seen_as_a_collaborator_counts_in_the_live_and_the_recorded_pipeline(org, quarter, make_deal):
    today = timezone.localdate()
    this_quarter = replace(Q2, start=today.replace(day=1), end=today)
    before = summary(org.manager_a, this_quarter)["pipeline_value"]
    deal = make_deal(owner=org.rep_b, value="700")
    services.add_collaborator(deal=deal, actor=org.rep_b, user=org.manager_a)

    assert summary(org.manager_a, this_quarter)["pipeline_value"] == before + Decimal("700.00")
    assert summary(org.manager_b, this_quarter)["pipeline_value"] == Decimal("700.00")
    # The snapshot of 07-01 holds the state at the end of Q2: d5 and d7, and now this deal too.
    services.add_collaborator(deal=quarter.d5, actor=org.rep_a, user=org.manager_b)

    take_pipeline_snapshot(day=dt.date(2025, 7, 1))
    assert (summary(org.manager_a, Q2)["open_count"], summary(org.manager_a, Q2)["pipeline_value"]) == (
        3,
        Decimal("3700.00"),
    )
    assert summary(org.manager_b, Q2)["pipeline_value"] == Decimal("2700.00")  # its own deal and d5
    rows = {row["owner_id"]: row["open_count"] for row in by_owner(org.manager_b, Q2)}
    assert rows == {org.rep_b.pk: 1, org.rep_a2.pk: 1}


@pytest.mark.parametrize("reader", ["rep_a", "rep_b", "manager_a", "manager_b"])
def test_reading_in_parts_gives_what_one_ored_read_gives(org, quarter, monkeypatch, reader):
    # SQLite reads a reader's deals, visits and snapshots in two parts; PostgreSQL in one. Both ways must
    # agree on every figure, whichever database runs the test.
    services.add_collaborator(deal=quarter.d6, actor=org.rep_b, user=org.manager_a)
    services.add_collaborator(deal=quarter.d5, actor=org.rep_a2, user=org.manager_b)
    services.add_collaborator(deal=quarter.d1, actor=org.rep_a, user=org.rep_b)
    services.add_collaborator(deal=quarter.d4, actor=org.rep_a, user=org.manager_b)
    services.reassign_deal(deal=quarter.d3, actor=org.admin, owner=org.rep_b)
    for deal, closing in ((quarter.d5, dt.date(2025, 6, 20)), (quarter.d7, dt.date(2025, 5, 31))):
        services.update_deal(deal=deal, actor=org.admin, changes={"expected_close_date": closing}, version=None)
    take_pipeline_snapshot(day=dt.date(2025, 5, 1))
    take_pipeline_snapshot(day=dt.date(2025, 6, 1))
    user = getattr(org, reader)

    def figures(split: bool) -> tuple:
        monkeypatch.setattr(scope, "_parts_pay_off", lambda: split)
        return (
            summary(user, Q2),
            summary(user, Q2.previous()),
            sorted(by_owner(user, Q2), key=lambda row: row["owner_id"]),
            funnel(user, Q2),
            top_customers(user, Q2),
            forecast(user, Q2, today=dt.date(2025, 6, 15)),
        )

    in_parts = figures(split=True)
    assert in_parts == figures(split=False)
    assert in_parts[0]["won_count"] + in_parts[0]["lost_count"] > 0
    if reader != "rep_b":  # whoever sees d5 or d7 has a live and a recorded forecast to compare
        months = in_parts[-1]["months"]
        assert sum(m["open_count"] for m in months) > 0 and any(m["forecast_at_start"] for m in months)


def funnel_from_visits(user, filters) -> list[tuple]:
    """The funnel's counts straight from the visible visits, without the daily stage totals."""
    visits = scope.report_visits(user, filters)
    rows = []
    for step in funnel(user, filters)["steps"]:
        mine = visits.filter(stage_id=step["stage_id"])
        first = mine.filter(
            Q(previous_entry_at__isnull=True) | Q(previous_entry_at__lt=filters.start_at),
            entered_at__gte=filters.start_at,
            entered_at__lt=filters.end_before,
        )
        ended = mine.filter(left_at__gte=filters.start_at, left_at__lt=filters.end_before)
        days = sum(ended.values_list("seconds", flat=True)) / ended.count() / 86400 if ended.exists() else None
        rows.append((first.count(), first.filter(moved_on=True).count(), ended.count(), days and round(days, 1)))
    return rows


@pytest.mark.parametrize("reader", ["admin", "rep_a", "rep_b", "manager_a", "manager_b"])
def test_the_funnel_from_daily_stage_totals_counts_what_the_visible_visits_hold(org, quarter, reader):
    # Deals seen only as a collaborator are counted from their visits beside the owners' daily totals.
    stages = list(org.pipeline.stages.filter(kind="open").order_by("position"))
    services.add_collaborator(deal=quarter.d5, actor=org.rep_a2, user=org.manager_b)
    services.add_collaborator(deal=quarter.d7, actor=org.rep_a, user=org.rep_b)
    for deal, stage, day in ((quarter.d5, stages[2], 20), (quarter.d7, stages[1], 25), (quarter.d7, stages[0], 28)):
        services.move_deal_to_stage(deal=deal, stage=stage, actor=org.admin, at=local(2025, 6, day, 23, 30))
    services.reassign_deal(deal=quarter.d5, actor=org.admin, owner=org.rep_b)
    user = getattr(org, reader)
    steps = funnel(user, Q2)["steps"]

    assert [(s["entered"], s["moved_on"], s["visits_ended"], s["avg_days_in_stage"]) for s in steps] == (
        funnel_from_visits(user, Q2)
    )
    assert any(s["entered"] for s in steps) and any(s["visits_ended"] for s in steps)
    if reader == "admin":
        assert sum(s["visits_ended"] for s in steps) >= 3


def test_owner_and_team_filters_narrow_the_admins_figures(org, quarter):
    assert summary(org.admin, replace(Q2, owner_id=org.rep_b.pk))["won_count"] == 1
    assert summary(org.admin, replace(Q2, team_id=org.sales.pk))["won_value"] == Decimal("4000.00")
    assert summary(org.admin, replace(Q2, team_id=org.north.pk))["won_count"] == 0


def test_by_owner_rows_name_the_owner_and_add_up(org, quarter):
    rows = {r["owner"]: r for r in by_owner(org.admin, Q2)}

    assert set(rows) == {org.rep_a.name, org.rep_a2.name, org.rep_b.name}
    assert rows[org.rep_b.name]["won_value"] == Decimal("4000.00")
    assert rows[org.rep_b.name]["median_cycle_days"] == 129.0
    assert rows[org.rep_a2.name]["weighted_pipeline_value"] == Decimal("500.00")
    assert sum(r["won_count"] for r in rows.values()) == 3
    assert sum(r["pipeline_value"] for r in rows.values()) == Decimal("3000.00")


def test_a_past_period_without_a_snapshot_reports_the_pipeline_as_unknown(org, quarter):
    figures = summary(org.admin, replace(Q2, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)))

    assert (figures["open_count"], figures["pipeline_value"], figures["pipeline_as_of"]) == (None, None, None)
    assert figures["new_deals"] == 3  # d1, d6, d7


def test_a_period_reaching_today_counts_the_live_pipeline(org, quarter):
    today = timezone.localdate()
    figures = summary(org.admin, replace(Q2, end=today + dt.timedelta(days=1)))

    assert (figures["open_count"], figures["weighted_pipeline_value"]) == (2, Decimal("1100.00"))


def test_cycle_days_use_local_dates_in_a_zone_with_daylight_saving(org, settings):
    settings.TIME_ZONE = "Europe/Berlin"  # summer time starts 2025-03-30
    berlin = timezone.get_current_timezone()
    from dealtrack.deals import services

    deal = services.create_deal(
        actor=org.rep_a, name="dst", value="10", created_at=dt.datetime(2025, 3, 29, 23, 30, tzinfo=berlin)
    )
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=dt.datetime(2025, 3, 31, 0, 30, tzinfo=berlin))

    figures = summary(org.admin, replace(Q2, start=dt.date(2025, 3, 31), end=dt.date(2025, 3, 31)))

    assert (figures["won_count"], figures["avg_cycle_days"], figures["median_cycle_days"]) == (1, 2.0, 2.0)


@pytest.mark.parametrize(
    ("by", "dimension"),
    [
        ((), DayTotal.Dimension.ALL),
        (("day",), DayTotal.Dimension.ALL),
        (("owner_id",), DayTotal.Dimension.ALL),
        (("source_id",), DayTotal.Dimension.SOURCE),
        (("deal_type",), DayTotal.Dimension.TYPE),
        (("lost_reason_id",), DayTotal.Dimension.REASON),
    ],
)
def test_roll_ups_plus_collaborations_equal_totals_of_the_visible_deals(org, quarter, by, dimension):
    # The daily totals of the reader's people plus the collaboration-only deals totalled on the fly must give
    # what totalling every deal the reader sees would give, for every grouping a report sums by.
    services.add_collaborator(deal=quarter.d6, actor=org.rep_b, user=org.manager_a)
    services.add_collaborator(deal=quarter.d3, actor=org.rep_a, user=org.manager_b)
    services.reassign_deal(deal=quarter.d3, actor=org.admin, owner=org.rep_b)
    services.mark_deal_lost(deal=quarter.d5, actor=org.rep_a2, reason=LostReasonFactory(), at=local(2025, 6, 20))
    for reader in (org.manager_a, org.manager_b, org.rep_a, org.admin):
        for period in (Q2, Q2.previous()):
            created = Q(created_at__gte=period.start_at, created_at__lt=period.end_before)
            closed = Q(closed_at__gte=period.start_at, closed_at__lt=period.end_before)
            visible = deals_visible_to(reader)
            expected: dict = {}
            for (day, owner_id, pipeline_id, slot_dimension, value), figures in compute_totals(
                visible.filter(created), visible.filter(closed)
            ).items():
                if slot_dimension != dimension:
                    continue
                split = dimension_field(dimension) or "-"
                fields = {"day": day, "owner_id": owner_id, "pipeline_id": pipeline_id, split: value}
                row = expected.setdefault(tuple(fields[k] for k in by), dict.fromkeys(FIGURES, 0))
                for name, figure in figures.items():
                    row[name] += figure

            assert period_totals(reader, period, by, dimension) == expected, (reader.username, period)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_top_customers_with_collaborations_are_the_top_ten_of_every_visible_deal(org, monkeypatch, seed):
    # More than ten companies, won through the manager's people and through deals they only collaborate on
    # (owned in another team), so the owners' ten and the collaborations' companies must be merged exactly.
    import random

    from dealtrack.testing.factories import CompanyFactory

    monkeypatch.setattr(scope, "_parts_pay_off", lambda: True)
    rng = random.Random(seed)
    companies = [CompanyFactory(name=f"客户 {n}") for n in range(16)]
    for n in range(40):
        owner = rng.choice([org.rep_a, org.rep_a2, org.rep_b])
        deal = services.create_deal(
            actor=owner, owner=owner, name=f"d{n}", value=str(rng.choice([100, 300, 1000, 2500])),
            company=rng.choice(companies), created_at=local(2025, 4, 2),
        )  # fmt: skip
        if owner == org.rep_b and rng.random() < 0.7:
            services.add_collaborator(deal=deal, actor=org.rep_b, user=org.manager_a)
        services.mark_deal_won(deal=deal, actor=owner, at=local(2025, 5, rng.randint(1, 28)))
    won = deals_visible_to(org.manager_a).filter(
        status="won", closed_at__gte=Q2.start_at, closed_at__lt=Q2.end_before, company__isnull=False
    )
    expected = sorted(
        won.values("company_id")
        .annotate(count=Count("*"), value=Sum("value_base"))
        .values_list("company_id", "count", "value"),
        key=lambda row: (-row[2], row[0]),
    )[:10]

    found = [(r["company_id"], r["won_count"], r["won_value"]) for r in top_customers(org.manager_a, Q2)]

    assert found == expected
    assert len(found) == 10


def test_prefetched_collaboration_totals_give_every_split_the_direct_read_gives(org, quarter):
    # The dashboard totals a reader's collaborations once, split by day, lost reason and source; each
    # figure then adds those rows up instead of reading the deals again.
    from dealtrack.core.queries import remember_for_request
    from dealtrack.reports.totals import prefetch_collaboration_totals

    for deal in (quarter.d3, quarter.d6, quarter.d1):
        services.add_collaborator(deal=deal, actor=org.admin, user=org.manager_b)
    splits = [((), DayTotal.Dimension.ALL), (("day",), DayTotal.Dimension.ALL)]
    splits += [(("lost_reason_id",), DayTotal.Dimension.REASON), (("source_id",), DayTotal.Dimension.SOURCE)]
    direct = [period_totals(org.manager_b, Q2, by, dimension) for by, dimension in splits]
    assert direct[0][()]["won_count"] >= 2 and direct[2]  # collaborations counted, a lost reason among them

    remember_for_request(org.manager_b)
    prefetch_collaboration_totals(org.manager_b, Q2, {"day", "lost_reason_id", "source_id"})
    with CaptureQueriesContext(connection) as queries:
        prefetched = [period_totals(org.manager_b, Q2, by, dimension) for by, dimension in splits]

    assert prefetched == direct
    assert not any("deals_deal" in query["sql"] for query in queries.captured_queries)

"""Build a large synthetic data set for the reports benchmark, straight into the database in DATABASE_URL.

    DATABASE_URL=sqlite:////tmp/dt-bench/bench.sqlite3 .venv/bin/python bench/make_report_data.py --deals 1000000

Rows are written with bulk INSERTs, not through the services (a million deals through the services would
take hours); they have the shape the services give them: a `created` event in the first stage, a
`stage_changed` event (with seconds_in_stage) for each stage passed, `won`/`lost` events, activities, and
the daily pipeline snapshots (taken by the real snapshot service) for the first morning of each month of
the current quarter. Deals spread over the three years up to today. Or use the demo set,
`dealtrack demo --deals 1000000`, and run only `--snapshots-only` on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtrack.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dealtrack.core.choices import Role  # noqa: E402
from dealtrack.core.models import Team, User  # noqa: E402
from dealtrack.customers.models import Company  # noqa: E402
from dealtrack.deals.models import LostReason, Source  # noqa: E402
from dealtrack.deals.services import rebuild_derived_report_data, refresh_planner_statistics  # noqa: E402
from dealtrack.pipelines.models import Pipeline  # noqa: E402
from dealtrack.reports.filters import quarter_of  # noqa: E402
from dealtrack.reports.services import take_pipeline_snapshot  # noqa: E402

BATCH = 20_000


def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    q = connection.ops.quote_name
    sql = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def people(teams: int, reps_per_team: int) -> list[User]:
    User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN, "is_superuser": True})
    reps = []
    for t in range(teams):
        manager, _ = User.objects.get_or_create(username=f"bench-manager{t}", defaults={"role": Role.MANAGER})
        team, _ = Team.objects.get_or_create(name=f"Bench team {t}", defaults={"manager": manager})
        sub, _ = Team.objects.get_or_create(name=f"Bench team {t}b", defaults={"parent": team})
        manager.team = team
        manager.save()
        for r in range(reps_per_team):
            rep, _ = User.objects.get_or_create(
                username=f"bench-rep{t}-{r}", defaults={"role": Role.REP, "team": team if r % 2 else sub}
            )
            reps.append(rep)
    return reps


def build(deal_count: int, seed: int) -> None:
    rng = random.Random(seed)
    ops = connection.ops
    reps = people(teams=20, reps_per_team=10)
    rep_ids = [r.pk for r in reps]
    pipeline = Pipeline.objects.get(is_default=True)
    stages = list(pipeline.stages.order_by("position"))
    open_stages = [s for s in stages if s.kind == "open"]
    won_stage = next(s for s in stages if s.kind == "won")
    lost_stage = next(s for s in stages if s.kind == "lost")
    sources = list(Source.objects.values_list("pk", flat=True))
    reasons = list(LostReason.objects.values_list("pk", flat=True))
    Company.objects.bulk_create(
        [Company(name=f"Bench company {i}", normalised_name=f"bench company {i}") for i in range(20_000)],
        batch_size=5000,
    )
    companies = list(Company.objects.values_list("pk", flat=True))
    now = timezone.now()
    first = now - dt.timedelta(days=3 * 365)
    span = (now - first).total_seconds()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM deals_deal")
        next_id = cursor.fetchone()[0] + 1
    deal_cols = [
        "id",
        "external_id",
        "name",
        "owner_id",
        "pipeline_id",
        "stage_id",
        "status",
        "value",
        "currency",
        "value_base",
        "expected_close_date",
        "closed_at",
        "priority",
        "source_id",
        "lead_grade",
        "deal_type",
        "next_step",
        "probability_override",
        "lost_reason_id",
        "lost_note",
        "custom",
        "health",
        "forecast_category",
        "forecast_category_override",
        "stage_entered_at",
        "last_activity_at",
        "created_by_id",
        "version",
        "created_at",
        "updated_at",
        "company_id",
        "primary_contact_id",
    ]
    event_cols = ["deal_id", "type", "actor_id", "occurred_at", "from_stage_id", "to_stage_id", "parameters"]
    activity_cols = [
        "kind",
        "subject",
        "outcome",
        "occurred_at",
        "duration_minutes",
        "user_id",
        "deal_id",
        "company_id",
        "contact_id",
        "created_at",
        "updated_at",
    ]
    kinds = ["call", "email", "meeting", "visit", "note"]
    categories = ["pipeline", "best_case", "commit"]
    types = ["new"] * 7 + ["renewal"] * 2 + ["expansion"]
    started = time.monotonic()
    deals, events, activities = [], [], []

    def flush() -> None:
        with transaction.atomic():
            insert("deals_deal", deal_cols, deals)
            insert("deals_dealevent", event_cols, events)
            insert("activities_activity", activity_cols, activities)
        deals.clear()
        events.clear()
        activities.clear()

    stamp = ops.adapt_datetimefield_value
    for n in range(deal_count):
        deal_id = next_id + n
        owner = rng.choice(rep_ids)
        created = first + dt.timedelta(seconds=rng.random() * span)
        value = Decimal(rng.randrange(1_000, 1_000_000))
        # How far the deal got: 0..3 open stages passed, then won, lost or still open.
        reached = min(int(rng.expovariate(0.9)), len(open_stages) - 1)
        moment = created
        history = [(None, open_stages[0], created, None)]
        for index in range(1, reached + 1):
            stay = dt.timedelta(days=rng.uniform(1, 30))
            moment = moment + stay
            history.append((open_stages[index - 1], open_stages[index], moment, int(stay.total_seconds())))
        end_roll = rng.random()
        stay = dt.timedelta(days=rng.uniform(1, 40))
        close_at = moment + stay
        status = "open"
        stage = history[-1][1]
        if close_at < now and end_roll < 0.8:
            status = "won" if end_roll < 0.25 + 0.1 * reached else "lost"
            stage = won_stage if status == "won" else lost_stage
            history.append((history[-1][1], stage, close_at, int(stay.total_seconds())))
        if history[-1][2] > now:  # nothing happens in the future
            history = [h for h in history if h[2] <= now]
            stage = history[-1][1]
            status = "open"
        stage_entered = history[-1][2]
        deals.append(
            (
                deal_id,
                "",
                f"Bench deal {deal_id}",
                owner,
                pipeline.pk,
                stage.pk,
                status,
                str(value),
                "CNY",
                str(value),
                ops.adapt_datefield_value((created + dt.timedelta(days=rng.randint(20, 200))).date()),
                stamp(stage_entered) if status != "open" else None,
                "normal",
                rng.choice(sources),
                "",
                rng.choice(types),
                "",
                rng.choice([None] * 9 + [rng.randint(0, 100)]),
                rng.choice(reasons) if status == "lost" else None,
                "",
                "{}",
                "green",
                {"won": "closed", "lost": "omitted"}.get(status, rng.choice(categories)),
                "",
                stamp(stage_entered),
                None,
                owner,
                1,
                stamp(created),
                stamp(stage_entered),
                rng.choice(companies),
                None,
            )
        )
        for from_stage, to_stage, at, seconds in history:
            if from_stage is None:
                events.append(
                    (
                        deal_id,
                        "created",
                        owner,
                        stamp(at),
                        None,
                        to_stage.pk,
                        json.dumps({"value": str(value), "owner": owner}),
                    )
                )
            else:
                events.append(
                    (
                        deal_id,
                        "stage_changed",
                        owner,
                        stamp(at),
                        from_stage.pk,
                        to_stage.pk,
                        json.dumps({"seconds_in_stage": seconds}),
                    )
                )
        if status in ("won", "lost"):
            events.append(
                (deal_id, status, owner, stamp(stage_entered), None, stage.pk, json.dumps({"value": str(value)}))
            )
        for _a in range(rng.choice([0, 1, 1, 2])):
            at = created + dt.timedelta(hours=rng.expovariate(1 / 30))
            if at < now:
                activities.append(
                    (rng.choice(kinds), "", "", stamp(at), None, owner, deal_id, None, None, stamp(at), stamp(at))
                )
        if len(deals) >= BATCH:
            flush()
            done = n + 1
            print(f"{done:>9,} deals  {time.monotonic() - started:6.0f} s", flush=True)
    flush()


def snapshots() -> None:
    start, end = quarter_of(timezone.localdate())
    month = start
    while month <= min(end, timezone.localdate()):
        count = take_pipeline_snapshot(day=month)
        print(f"snapshot {month}: {count:,} open deals", flush=True)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--snapshots-only", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not args.snapshots_only:
        build(args.deals, args.seed)
        # The rows above bypassed the services that keep these. Each step commits on its own: in one
        # transaction over the whole set, SQLite's daily totals step stalled (33 minutes in statement
        # savepoints on the synthetic set; 133 s alone).
        rebuild_derived_report_data(statistics=False)  # statistics below, with the snapshots
    snapshots()
    refresh_planner_statistics(sampled=False)


if __name__ == "__main__":
    main()

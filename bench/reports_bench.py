"""Server time of the report dashboard and each report endpoint for a quarter, beside the best hand-written
SQL for the same figures measured in the same run.

    DATABASE_URL=sqlite:////tmp/dt-bench/bench1m.sqlite3 .venv/bin/python bench/reports_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dt_reports .venv/bin/python bench/reports_bench.py

Build the data first with bench/make_report_data.py (or use the demo set plus `--snapshots-only`).
Every request goes through the whole Django stack as a signed-in session (middleware, API authentication,
rendering or JSON), with the shipped PARALLEL_READS (independent parts of a page on their own connections,
see dealtrack.core.side_by_side); the "one at a time" column is the same request with PARALLEL_READS=1.
Each figure is the median of --runs rounds in which the endpoint, the same request one part at a
time and both SQL versions take turns, each run twice in a row with the second timed. The baseline is the
faster of two hand-written versions: one reading the roll-ups (daily deal, stage, activity and snapshot
totals), one the rows themselves (the deals' covering indexes, the stage visits, the activities, the
snapshot rows). The ratio is endpoint ÷ SQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtrack.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from reports_sql import HandWrittenSql  # noqa: E402

from dealtrack.core.models import User  # noqa: E402
from dealtrack.reports.filters import ReportFilters, quarter_of  # noqa: E402


def timed(action: Callable[[], object], runs: int) -> float:
    """Median milliseconds of `runs` calls, each after an untimed one."""
    return timed_in_turns([(action, {})], runs)[0]


def timed_in_turns(actions: list[tuple[Callable[[], object], dict[str, object]]], runs: int) -> list[float]:
    """Median milliseconds of each action (run under its settings) over `runs` rounds. Within a round the
    actions take turns, so that a slower spell of the machine weighs on an endpoint and its SQL alike (on
    PostgreSQL here the same SQL took 21 ms in one minute and 30 in the next); each runs twice in a row
    and the second is timed, so that none is timed on the caches another one left (the SQL reading the
    rows themselves reads far more pages than the roll-ups the endpoint reads).
    """
    samples: list[list[float]] = [[] for _action in actions]
    for _round in range(runs):
        for (action, settings_), taken in zip(actions, samples, strict=True):
            with override_settings(**settings_):
                action()
                started = time.perf_counter()
                action()
                taken.append((time.perf_counter() - started) * 1000)
    return [statistics.median(taken) for taken in samples]


def check(response: object) -> object:
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise SystemExit(f"request failed with {status}: {getattr(response, 'content', b'')[:500]!r}")
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reader", default="bench-admin", help="username whose visibility applies")
    parser.add_argument("--only", default="", help="comma-separated figures to time, e.g. by_owner,funnel")
    args = parser.parse_args()
    start, end = quarter_of(timezone.localdate())
    filters = ReportFilters(start=start, end=end)
    query = f"from={start}&to={end}"
    user = User.objects.get(username=args.reader)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM deals_deal")
        deals = cursor.fetchone()[0]
    print(f"{connection.vendor}, {deals:,} deals, reader {user.username} ({user.role}), period {start}..{end}")
    web = Client()
    web.force_login(user)
    sql = {True: HandWrittenSql(filters, user, rollup=True), False: HandWrittenSql(filters, user, rollup=False)}
    cases = [
        ("dashboard /reports/", lambda: check(web.get(f"/reports/?{query}")), "dashboard"),
        ("GET /summary", lambda: check(web.get(f"/api/v1/reports/summary?{query}")), "summary"),
        ("GET /by-owner", lambda: check(web.get(f"/api/v1/reports/by-owner?{query}")), "by_owner"),
        ("GET /funnel", lambda: check(web.get(f"/api/v1/reports/funnel?{query}")), "funnel"),
        ("GET /forecast", lambda: check(web.get(f"/api/v1/reports/forecast?{query}")), "forecast"),
        ("GET /team", lambda: check(web.get(f"/api/v1/reports/team?{query}")), "team"),
    ]
    if args.only:
        cases = [case for case in cases if case[2] in args.only.split(",")]
    reads = settings.PARALLEL_READS
    print(f"PARALLEL_READS={reads}; one at a time: the same request with PARALLEL_READS=1")
    print(f"{'endpoint':<22}{'server ms':>11}{'one at a time':>15}{'SQL ms':>10}{'ratio':>8}  SQL reads totals from")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, DEBUG=False):
        # What any signed-in request costs before its figures: the session, the user, the middleware and
        # the API layer. An endpoint whose SQL takes less than about twice this cannot be within 1.5×.
        floor = timed(lambda: check(web.get("/api/v1/me")), args.runs)
        print(f"{'GET /me (the floor)':<22}{floor:>11.1f}")
        for name, endpoint, figures in cases:
            server, serial, from_totals, from_deals = timed_in_turns(
                [
                    (endpoint, {}),
                    (endpoint, {"PARALLEL_READS": 1}),
                    (getattr(sql[True], figures), {}),
                    (getattr(sql[False], figures), {}),
                ],
                args.runs,
            )
            # The baseline is the faster of the two ways to read created/won/lost figures.
            hand, source = min((from_totals, "daily totals"), (from_deals, "deals"))
            print(f"{name:<22}{server:>11.1f}{serial:>15.1f}{hand:>10.1f}{server / hand:>8.2f}  {source}", flush=True)


if __name__ == "__main__":
    main()

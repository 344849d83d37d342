"""Benchmark: the deals API beside a bare Django view returning the same JSON from one query, in one run.

    DATABASE_URL=sqlite:////tmp/dt-bench/dealtrack.sqlite3 .venv/bin/python bench/api_deals.py --build 200000
    DATABASE_URL=... .venv/bin/python bench/api_deals.py --requests 500

Measures, through the full Django stack (middleware, URL routing) in this process, requests per second and the
95th percentile latency of

    GET /api/v1/deals?owner=<rep>      (token auth, rate limit, visibility, FilterSet, keyset page, schemas)
    GET /api/v1/deals/{id}
    the same two answers from bare views: one SQL query each, no auth, no visibility, json.dumps

and prints the API/bare ratio. The four are measured in interleaved rounds, so a busy machine slows them
alike. `--build N` first fills an empty, migrated database with N deals through bulk
inserts (100 reps in 10 teams, companies, contacts, tags, collaborators); without it the data present is used
(e.g. the demo's 1,000,000-deal set). Requests are sequential: the figures are per-core service times, the
ratio is what to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import types
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtrack.settings")
os.environ.setdefault("DEALTRACK_DATA_DIR", "/tmp/dt-bench")  # noqa: S108 - a scratch directory for a benchmark
os.environ.setdefault("API_RATE_LIMIT", "100000000")  # measure the work, not the refusals

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402

from dealtrack.core.choices import Role  # noqa: E402
from dealtrack.core.models import Team, User  # noqa: E402
from dealtrack.core.tokens import create_api_token  # noqa: E402
from dealtrack.customers.models import Company, Contact  # noqa: E402
from dealtrack.deals.models import Deal, DealCollaborator, Tag  # noqa: E402
from dealtrack.pipelines.choices import StageKind  # noqa: E402
from dealtrack.pipelines.models import Pipeline  # noqa: E402

# The bare views' one query: the deal's columns plus its tags, contacts and collaborators aggregated in SQL.
_AGG = {"sqlite": "group_concat({col})", "postgresql": "string_agg({col}::text, ',')"}


def _bare_sql(where: str) -> str:
    agg = _AGG[connection.vendor]
    # Only fixed SQL fragments are interpolated; values go as parameters.
    return f"""
        SELECT d.id, d.external_id, d.name, d.company_id, d.primary_contact_id, d.owner_id, d.pipeline_id,
               d.stage_id, d.status, d.value, d.currency, d.value_base, s.probability, d.probability_override,
               d.expected_close_date, d.closed_at, d.priority, d.source_id, d.lead_grade, d.deal_type, d.next_step,
               d.lost_reason_id, d.lost_note, d.custom, d.health, d.forecast_category, d.stage_entered_at,
               d.last_activity_at, d.created_at, d.updated_at, d.version,
               (SELECT {agg.format(col="c.contact_id")} FROM deals_deal_contacts c WHERE c.deal_id = d.id),
               (SELECT {agg.format(col="u.user_id")} FROM deals_dealcollaborator u WHERE u.deal_id = d.id),
               (SELECT {agg.format(col="t.name")} FROM deals_deal_tags dt JOIN deals_tag t ON t.id = dt.tag_id
                 WHERE dt.deal_id = d.id)
        FROM deals_deal d JOIN pipelines_stage s ON s.id = d.stage_id
        WHERE {where}
    """  # noqa: S608


def _row_json(row: tuple) -> dict:
    (pk, external_id, name, company, contact, owner, pipeline, stage, status, value, currency, value_base,
     stage_probability, override, close, closed_at, priority, source, grade, deal_type, next_step, lost_reason,
     lost_note, custom, health, forecast, entered, last_activity, created, updated, version,
     contacts, collaborators, tags) = row  # fmt: skip
    probability = override if override is not None else stage_probability
    value_base = Decimal(str(value_base))
    return {
        "id": pk, "external_id": external_id, "name": name, "company": company, "primary_contact": contact,
        "contacts": [int(x) for x in contacts.split(",")] if contacts else [], "owner": owner,
        "collaborators": [int(x) for x in collaborators.split(",")] if collaborators else [],
        "pipeline": pipeline, "stage": stage, "status": status, "value": str(value), "currency": currency,
        "value_base": str(value_base), "probability": probability, "probability_override": override,
        "weighted_value": str((value_base * probability / 100).quantize(Decimal("0.01"))),
        "expected_close_date": str(close) if close else None, "closed_at": str(closed_at) if closed_at else None,
        "priority": priority, "source": source, "lead_grade": grade or None, "deal_type": deal_type,
        "next_step": next_step, "lost_reason": lost_reason, "lost_note": lost_note,
        "tags": tags.split(",") if tags else [],
        "custom": json.loads(custom) if isinstance(custom, str) else custom, "health": health,
        "forecast_category": forecast, "stage_entered_at": str(entered) if entered else None,
        "last_activity_at": str(last_activity) if last_activity else None, "created_at": str(created),
        "updated_at": str(updated), "version": version, "included": None,
    }  # fmt: skip


def bare_list(request: HttpRequest) -> HttpResponse:
    sql = _bare_sql("d.owner_id = %s ORDER BY d.created_at DESC, d.id DESC LIMIT 50")
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(request.GET["owner"])])
        rows = [_row_json(r) for r in cursor.fetchall()]
    body = {"results": rows, "next_cursor": None, "next": None, "count": None}
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


def bare_detail(request: HttpRequest, deal_id: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(_bare_sql("d.id = %s"), [deal_id])
        row = cursor.fetchone()
    return HttpResponse(json.dumps(_row_json(row), ensure_ascii=False), content_type="application/json")


bench_urls = types.ModuleType("bench_urls")
bench_urls.urlpatterns = [  # type: ignore[attr-defined]
    path("bare/deals", bare_list),
    path("bare/deals/<int:deal_id>", bare_detail),
    path("", include("dealtrack.urls")),
]
sys.modules["bench_urls"] = bench_urls
settings.ROOT_URLCONF = "bench_urls"


def build(n: int, seed: int = 7) -> None:
    """Fill an empty database with `n` deals by bulk inserts (no events: the endpoints measured do not read them)."""
    if Deal.objects.exists():
        sys.exit("--build needs a database without deals")
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        teams = [Team.objects.create(name=f"bench team {i}") for i in range(10)]
        reps = User.objects.bulk_create(
            User(username=f"bench_rep{i}", role=Role.REP, team=teams[i % 10], password="!")  # noqa: S106 - unusable
            for i in range(100)
        )
        tags = Tag.objects.bulk_create(Tag(name=f"bench tag {i}") for i in range(10))
    pipeline = Pipeline.objects.get(is_default=True)
    stages = list(pipeline.stages.filter(kind=StageKind.OPEN))
    companies_n = max(1, n // 20)
    companies = Company.objects.bulk_create(
        (Company(name=f"公司{i}", normalised_name=f"公司{i}", owner=rng.choice(reps)) for i in range(companies_n)),
        batch_size=5000,
    )
    contacts = Contact.objects.bulk_create(
        (Contact(name=f"联系人{i}", company=companies[i]) for i in range(companies_n)), batch_size=5000
    )
    batch = 10000
    for start in range(0, n, batch):
        with transaction.atomic():
            deals = Deal.objects.bulk_create(
                Deal(
                    name=f"项目 {i}",
                    owner=rng.choice(reps),
                    pipeline=pipeline,
                    stage=rng.choice(stages),
                    company=companies[(i // 20) % companies_n],
                    primary_contact=contacts[(i // 20) % companies_n] if i % 2 else None,
                    value=Decimal(rng.randrange(1000, 5_000_000)),
                    value_base=Decimal(rng.randrange(1000, 5_000_000)),
                    priority=rng.choice(["low", "normal", "high"]),
                )
                for i in range(start, min(n, start + batch))
            )
            Deal.tags.through.objects.bulk_create(
                Deal.tags.through(deal_id=d.pk, tag_id=rng.choice(tags).pk) for d in deals if rng.random() < 0.3
            )
            DealCollaborator.objects.bulk_create(
                DealCollaborator(deal=d, user=rng.choice(reps)) for d in deals if rng.random() < 0.05
            )
        print(f"  {min(n, start + batch):>9,} deals", file=sys.stderr, flush=True)
    print(f"built {n:,} deals in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(client: Client, cases: list[tuple[str, str, dict[str, str]]], requests: int) -> dict[str, list[float]]:
    """Latencies (s) of `requests` sequential calls per case, interleaved in rounds so load hits all alike."""
    rounds = 10
    latencies: dict[str, list[float]] = {label: [] for label, _url, _h in cases}
    for _label, url, headers in cases:  # warm-up
        for _ in range(max(5, requests // 20)):
            client.get(url, headers=headers)
    for _round in range(rounds):
        for label, url, headers in cases:
            for _ in range(max(1, requests // rounds)):
                start = time.perf_counter()
                response = client.get(url, headers=headers)
                latencies[label].append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=int, default=0, help="first create this many deals (empty database)")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per endpoint")
    args = parser.parse_args()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    if args.build:
        build(args.build)

    total = Deal.objects.count()
    owner_id = Deal.objects.order_by("-id").values_list("owner_id", flat=True).first()
    if owner_id is None:
        sys.exit("no deals: run with --build N")
    owner = User.objects.get(pk=owner_id)
    owned = Deal.objects.filter(owner=owner).count()
    deal_id = Deal.objects.filter(owner=owner).order_by("-id").values_list("id", flat=True).first()
    _token, raw = create_api_token(user=owner, name="bench")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client(HTTP_HOST="localhost")

    api_ids = [d["id"] for d in client.get(f"/api/v1/deals?owner={owner.pk}", headers=headers).json()["results"]]
    bare_ids = [d["id"] for d in client.get(f"/bare/deals?owner={owner.pk}").json()["results"]]
    assert api_ids == bare_ids, "the API and the bare view must answer the same deals"

    print(f"database: {connection.vendor}, {total:,} deals; owner {owner.username} has {owned:,}; "
          f"{args.requests} sequential requests per endpoint")  # fmt: skip
    print(f"{'endpoint':<40}{'req/s':>10}{'p95 ms':>10}")
    cases = [
        ("GET /api/v1/deals?owner=…", f"/api/v1/deals?owner={owner.pk}", headers),
        ("bare list view (1 query)", f"/bare/deals?owner={owner.pk}", {}),
        ("GET /api/v1/deals/{id}", f"/api/v1/deals/{deal_id}", headers),
        ("bare detail view (1 query)", f"/bare/deals/{deal_id}", {}),
    ]
    results = {}
    for label, times in measure(client, cases, args.requests).items():
        rps, p95 = len(times) / sum(times), statistics.quantiles(times, n=20)[18] * 1000
        results[label] = (rps, p95)
        print(f"{label:<40}{rps:>10.0f}{p95:>10.1f}")
    for api_label, bare_label in [(cases[0][0], cases[1][0]), (cases[2][0], cases[3][0])]:
        slower = results[bare_label][0] / results[api_label][0]
        print(f"{api_label}: {slower:.2f}× the bare view's time per request "
              f"(p95 {results[api_label][1] / results[bare_label][1]:.2f}×)")  # fmt: skip


if __name__ == "__main__":
    main()

"""Server time of the main pages on a big data set, with a same-run baseline of bare single-query views.

    DATABASE_URL=sqlite:////tmp/dt-demo-1m/dealtrack.sqlite3 .venv/bin/python bench/ui_pages.py --repeat 30

Pages (through the full middleware stack, with Django's test client, so no network is timed):
  board  - the default pipeline, all owners (an administrator's view)
  list   - the deal list, first page sorted by value
  deal   - one deal page (a rep's own deal)
  today  - a rep's Today page
Each is compared with a bare view doing the one obvious query for the same data (GROUP BY per stage,
ORDER BY value LIMIT 50, one deal by pk, the rep's open tasks) and returning JSON, measured in the same run.
`--make-deals N` first fills an empty database with N synthetic deals (bench data only, bulk inserted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtrack.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count, Sum  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from dealtrack.core.choices import Role  # noqa: E402
from dealtrack.core.models import User  # noqa: E402
from dealtrack.deals.models import Deal  # noqa: E402
from dealtrack.pipelines.models import Pipeline  # noqa: E402
from dealtrack.tasks.models import Task  # noqa: E402


def baseline_board(request: HttpRequest) -> JsonResponse:
    pipeline = Pipeline.objects.get(is_default=True)
    rows = list(
        Deal.objects.filter(pipeline=pipeline)
        .order_by()
        .values("stage_id")
        .annotate(n=Count("id"), total=Sum("value_base"))
    )
    return JsonResponse({"rows": rows}, safe=False, json_dumps_params={"default": str})


def baseline_list(request: HttpRequest) -> JsonResponse:
    rows = list(Deal.objects.order_by("-value_base", "-id").values("id", "name", "value_base")[:50])
    return JsonResponse({"rows": rows}, json_dumps_params={"default": str})


def baseline_deal(request: HttpRequest, pk: int) -> JsonResponse:
    deal = Deal.objects.filter(pk=pk).values("id", "name", "value_base", "stage_id").get()
    return JsonResponse(deal, json_dumps_params={"default": str})


def baseline_today(request: HttpRequest, user_id: int) -> JsonResponse:
    rows = list(
        Task.objects.filter(assignee_id=user_id, status__in=["open", "snoozed"])
        .order_by("due_at")
        .values("id", "title", "due_at")[:150]
    )
    return JsonResponse({"rows": rows}, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/board", baseline_board),
    path("bench/list", baseline_list),
    path("bench/deal/<int:pk>", baseline_deal),
    path("bench/today/<int:user_id>", baseline_today),
    path("", include("dealtrack.urls")),
]


def timed(client: Client, url: str, repeat: int) -> list[float]:
    response = client.get(url)  # warm-up (and a check that the page works)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def make_deals(count: int) -> None:
    """Bench-only filler: N deals over 8 reps, one open task on every third, bulk inserted (no events)."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.utils import timezone

    from dealtrack.core.models import Team

    rng = random.Random(1)
    team, _ = Team.objects.get_or_create(name="bench")
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.ADMIN})
    reps = [
        User.objects.get_or_create(username=f"bench_rep{i}", defaults={"role": Role.REP, "team": team})[0]
        for i in range(8)
    ]
    pipeline = Pipeline.objects.get(is_default=True)
    stages = list(pipeline.stages.all())
    now = timezone.now()
    batch: list[Deal] = []
    for i in range(count):
        stage = rng.choice(stages)
        status = {"won": "won", "lost": "lost"}.get(stage.kind, "open")
        value = Decimal(rng.randint(1, 5000) * 1000)
        batch.append(
            Deal(
                name=f"bench deal {i}",
                owner=rng.choice(reps),
                pipeline=pipeline,
                stage=stage,
                status=status,
                value=value,
                value_base=value,
                stage_entered_at=now - dt.timedelta(days=rng.randint(0, 60)),
                expected_close_date=(now + dt.timedelta(days=rng.randint(-30, 90))).date(),
            )
        )
        if len(batch) == 5000:
            _flush(batch, now, rng)
            batch = []
    if batch:
        _flush(batch, now, rng)
    print(f"made {count} deals; admin user {admin.username}")


def _flush(batch: list[Deal], now, rng) -> None:  # noqa: ANN001
    import datetime as dt

    created = Deal.objects.bulk_create(batch)
    Task.objects.bulk_create(
        Task(
            title="follow up",
            due_at=now + dt.timedelta(days=rng.randint(-5, 20)),
            assignee_id=deal.owner_id,
            deal_id=deal.pk,
        )
        for deal in created[::3]
        if deal.pk
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--make-deals", type=int, default=0)
    options = parser.parse_args()
    if options.make_deals:
        make_deals(options.make_deals)

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    rep = (
        User.objects.filter(role=Role.REP, is_active=True)
        .annotate(n=Count("owned_deals"))
        .filter(n__gt=0)
        .order_by("id")
        .first()
    )
    if admin is None or rep is None:
        raise SystemExit("needs an administrator and a rep with deals (run `dealtrack demo` or --make-deals N)")
    deal = Deal.objects.filter(owner=rep).order_by("-id").first()
    total = Deal.objects.count()
    print(f"database: {django.db.connection.vendor}, {total} deals; rep {rep.username}, deal {deal.pk}")

    pages: list[tuple[str, User, str, str]] = [
        ("board", admin, "/board/", "/bench/board"),
        ("list", admin, "/deals/?sort=-value", "/bench/list"),
        ("deal", rep, f"/deals/{deal.pk}/", f"/bench/deal/{deal.pk}"),
        ("today", rep, "/today/", f"/bench/today/{rep.pk}"),
    ]
    print(f"{'page':<7} {'median ms':>10} {'p95 ms':>8} {'baseline median':>16} {'ratio':>7}")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], DEBUG=False, STORAGES=storages):
        for name, user, url, baseline_url in pages:
            client = Client()
            client.force_login(user)
            page_median, page_p95 = summary(timed(client, url, options.repeat))
            base_median, _ = summary(timed(client, baseline_url, options.repeat))
            print(
                f"{name:<7} {page_median:>10.1f} {page_p95:>8.1f} {base_median:>16.1f} "
                f"{page_median / base_median:>7.1f}x"
            )


if __name__ == "__main__":
    main()

"""Benchmark: a 100,000-row deals CSV into SQLite, end to end (parse, validate, deals + history events),
against django-import-export importing the same file into the same model, in the same run.

    DEALTRACK_DATA_DIR=/tmp/dt-bench .venv/bin/python bench/import_deals.py [--rows 100000]

Prints rows per second for both and the ratio, and checks that both stored the same deals (external id,
stage, owner, company, value). Uses a fresh SQLite file in a temporary directory. The baseline is a
default django-import-export setup (a ModelResource with ForeignKeyWidgets, default options).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def setup_django(directory: Path) -> None:
    os.environ["DEALTRACK_DATA_DIR"] = str(directory)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dealtrack.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_file(path: Path, rows: int, owners: list[str], companies: list[str]) -> None:
    rng = random.Random(42)
    stages = ["Evaluating", "Qualified", "Won", "Lost"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "name", "company", "owner", "stage", "value", "created_at", "closed_at"])
        for n in range(rows):
            stage = rng.choice(stages)
            # date-times, the format django-import-export reads by default
            created = f"2024-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d} 09:30:00"
            closed = (
                f"2024-{rng.randint(7, 12):02d}-{rng.randint(1, 28):02d} 17:00:00" if stage in ("Won", "Lost") else ""
            )
            writer.writerow([f"B{n:07d}", f"商机 {n}", rng.choice(companies), rng.choice(owners), stage,
                             rng.randint(1000, 2_000_000), created, closed])  # fmt: skip


def reference_data() -> tuple[list[str], list[str]]:
    from dealtrack.core.services import create_user
    from dealtrack.customers.services import create_company

    owners = [create_user(username=f"rep{n}", display_name=f"销售{n}").username for n in range(50)]
    companies = [create_company(actor=None, name=f"客户公司{n}").name for n in range(1000)]
    return owners, companies


def fingerprint() -> list[tuple]:
    """What both importers must agree on for every deal of the file."""
    from dealtrack.deals.models import Deal

    return sorted(Deal.objects.values_list("external_id", "stage_id", "owner_id", "company_id", "value"))


def run_dealtrack(path: Path) -> tuple[float, int, int]:
    from dealtrack.deals.models import Deal, DealEvent
    from dealtrack.imports.parsing import read_table
    from dealtrack.imports.services import import_table

    start = time.perf_counter()
    result = import_table(entity="deals", table=read_table(path), actor=None)
    elapsed = time.perf_counter() - start
    assert result.written and not result.errors, result.errors[:5]
    return elapsed, Deal.objects.count(), DealEvent.objects.count()


def run_import_export(path: Path) -> tuple[float, int]:
    import tablib
    from import_export import fields, resources, widgets

    from dealtrack.core.models import User
    from dealtrack.customers.models import Company
    from dealtrack.deals.models import Deal
    from dealtrack.pipelines.models import Pipeline, Stage

    pipeline = Pipeline.objects.get(is_default=True)

    class DealResource(resources.ModelResource):
        company = fields.Field("company", "company", widgets.ForeignKeyWidget(Company, "name"))
        owner = fields.Field("owner", "owner", widgets.ForeignKeyWidget(User, "username"))
        stage = fields.Field(
            "stage",
            "stage",
            widgets.ForeignKeyWidget(Stage, "name"),  # a single pipeline here
        )

        class Meta:
            model = Deal
            fields = ("external_id", "name", "company", "owner", "stage", "value", "created_at", "closed_at")
            import_id_fields = ("external_id",)

        def before_save_instance(self, instance, row, **kwargs):  # noqa: ANN001, ANN003, ANN201
            instance.pipeline = pipeline

    Deal.objects.all().delete()
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    start = time.perf_counter()
    result = DealResource().import_data(dataset, raise_errors=True)
    elapsed = time.perf_counter() - start
    assert not result.has_errors()
    return elapsed, Deal.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory))
        owners, companies = reference_data()
        path = Path(directory) / "deals.csv"
        make_file(path, args.rows, owners, companies)
        load_before = os.getloadavg()[0]
        ours, deals, events = run_dealtrack(path)
        our_deals = fingerprint()
        theirs, their_deals = run_import_export(path)
        assert fingerprint() == our_deals, "the two importers stored different deals"
    import sqlite3

    print(f"rows: {args.rows:,} (SQLite {sqlite3.sqlite_version}; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after)")  # fmt: skip
    ours_rate, their_rate = args.rows / ours, args.rows / theirs
    print(f"dealtrack import:      {ours:8.2f} s  {ours_rate:10,.0f} rows/s  ({deals:,} deals, {events:,} events)")
    print(f"django-import-export:  {theirs:8.2f} s  {their_rate:10,.0f} rows/s  ({their_deals:,} deals, no events)")
    print(f"ratio: {theirs / ours:.1f}x faster")


if __name__ == "__main__":
    main()

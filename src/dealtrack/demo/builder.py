"""`build_demo`: the whole demo organisation, through the services or (for big sets) in bulk."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from dealtrack.activities.models import Activity
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.models import Deal, DealEvent, StageVisit
from dealtrack.deals.services import rebuild_derived_report_data, refresh_planner_statistics
from dealtrack.demo import constants
from dealtrack.demo.bulk_insert import DbValues, checkpoint, indexes_rebuilt_after, reset_sequences
from dealtrack.demo.bulk_loader import BULK_MODELS, BulkLoader
from dealtrack.demo.customers import (
    company_count,
    company_specs,
    write_customers_in_bulk,
    write_customers_through_services,
)
from dealtrack.demo.organisation import build_organisation
from dealtrack.demo.plans import DealPlanner
from dealtrack.demo.service_loader import ServiceLoader, refresh_open_deals_health
from dealtrack.demo.timeline import Timeline
from dealtrack.tasks.models import Task

# Deals per transaction in bulk mode: bounds memory (about 70 MB of rows) and the SQLite WAL.
BULK_CHUNK = 5000


@dataclass(frozen=True)
class DemoSummary:
    deals: int
    events: int
    activities: int
    tasks: int
    companies: int
    contacts: int
    seconds: float
    bulk: bool


def uses_bulk(deals: int, *, forced: bool = False) -> bool:
    """Bulk inserts above BULK_THRESHOLD deals (or when asked): the services would take hours there."""
    return forced or deals > constants.BULK_THRESHOLD


def build_demo(*, deals: int, seed: int, today: dt.date, bulk: bool, progress: bool = True) -> DemoSummary:
    """Build the demo organisation with `deals` deals whose history ends at the start of `today`.

    Normal mode is one transaction: it all lands or nothing does. Bulk mode commits every BULK_CHUNK
    deals so memory stays bounded; an interrupted run leaves the deals committed so far.
    """
    started = time.monotonic()
    timeline = Timeline.ending(today)
    if bulk:
        _build_in_bulk(deals=deals, seed=seed, timeline=timeline, progress=progress)
    else:
        _build_through_services(deals=deals, seed=seed, timeline=timeline, progress=progress)
    return DemoSummary(
        deals=Deal.objects.count(),
        events=DealEvent.objects.count(),
        activities=Activity.objects.count(),
        tasks=Task.objects.count(),
        companies=Company.objects.count(),
        contacts=Contact.objects.count(),
        seconds=time.monotonic() - started,
        bulk=bulk,
    )


@transaction.atomic
def _build_through_services(*, deals: int, seed: int, timeline: Timeline, progress: bool) -> None:
    org = build_organisation()
    specs = company_specs(count=company_count(deals), seed=seed, rep_count=len(org.reps))
    customers = write_customers_through_services(specs, org)
    loader = ServiceLoader(timeline, [c.company_id for c in customers])
    planner = DealPlanner(org=org, customers=customers, timeline=timeline, seed=seed, total=deals)
    for plan in tqdm(planner.plans(), total=deals, unit="deal", disable=None if progress else True):
        loader.write(plan)
    refresh_open_deals_health(timeline)


def _build_in_bulk(*, deals: int, seed: int, timeline: Timeline, progress: bool) -> None:
    with transaction.atomic():
        org = build_organisation()
        specs = company_specs(count=company_count(deals), seed=seed, rep_count=len(org.reps))
        customers = write_customers_in_bulk(specs, org, DbValues())
        reset_sequences([Company, Contact])
    loader = BulkLoader(timeline)
    planner = DealPlanner(org=org, customers=customers, timeline=timeline, seed=seed, total=deals)
    plans = planner.plans()
    with indexes_rebuilt_after(BULK_MODELS):
        with tqdm(total=deals, unit="deal", disable=None if progress else True) as bar:
            while chunk := list(itertools.islice(plans, BULK_CHUNK)):
                with transaction.atomic():
                    loader.write(chunk)
                bar.update(len(chunk))
        if progress:
            tqdm.write(_("Building indexes…"))
    loader.finish()
    with indexes_rebuilt_after([StageVisit]), transaction.atomic():
        rebuild_derived_report_data(statistics=False)
    refresh_planner_statistics(sampled=False)
    checkpoint()

"""A hand-built quarter of deals (Q2 2025) whose figures are worked out by hand in the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.deals.models import Deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.testing.factories import CompanyFactory, LostReasonFactory, SourceFactory


def local(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    """A moment in the organisation's time zone (Asia/Shanghai in tests)."""
    return dt.datetime(y, m, d, h, mi, tzinfo=timezone.get_current_timezone())


Q2 = ReportFilters(start=dt.date(2025, 4, 1), end=dt.date(2025, 6, 30))


@dataclass
class Quarter:
    d1: Deal
    d2: Deal
    d3: Deal
    d4: Deal
    d5: Deal
    d6: Deal
    d7: Deal


def open_stage(org, index):
    return org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[index]


@pytest.fixture
def quarter(org):
    """Seven deals around Q2 2025, including time-zone edges (UTC date ≠ local date).

    d1 rep_a   created 03-10 07:00 (UTC 03-09), won 04-15, 1000  → cycle 36 days
    d2 rep_a   created 04-01 09:00, won 05-01, 3000              → cycle 30 days
    d3 rep_a   created 04-20, lost 06-30 23:30 (inside Q2), 500, reason "Price"
    d4 rep_a   created 05-05, won 07-01 00:10 (outside Q2), 700
    d5 rep_a2  created 06-01, open in stage 2 (25 %), 2000
    d6 rep_b   created 02-01, won 06-10, 4000                    → cycle 129 days
    d7 rep_a   created 01-01 23:30, open in stage 1 with a 60 % override, 1000
    """
    price = LostReasonFactory(name="Price")
    referral = SourceFactory(name="Referral")
    acme = CompanyFactory(name="Acme")

    def make(owner, created, value, **fields):
        return services.create_deal(
            actor=owner,
            owner=owner,
            name=f"deal {value}",
            value=str(value),
            created_at=created,
            company=fields.pop("company", acme),
            source=referral,
            **fields,
        )

    d1 = make(org.rep_a, local(2025, 3, 10, 7), 1000)
    services.mark_deal_won(deal=d1, actor=org.rep_a, at=local(2025, 4, 15))
    d2 = make(org.rep_a, local(2025, 4, 1, 9), 3000)
    services.mark_deal_won(deal=d2, actor=org.rep_a, at=local(2025, 5, 1))
    d3 = make(org.rep_a, local(2025, 4, 20), 500)
    services.mark_deal_lost(deal=d3, actor=org.rep_a, reason=price, at=local(2025, 6, 30, 23, 30))
    d4 = make(org.rep_a, local(2025, 5, 5), 700)
    services.mark_deal_won(deal=d4, actor=org.rep_a, at=local(2025, 7, 1, 0, 10))
    d5 = make(org.rep_a2, local(2025, 6, 1), 2000, stage=open_stage(org, 1))
    d6 = make(org.rep_b, local(2025, 2, 1), 4000, company=CompanyFactory(name="Beta"))
    services.mark_deal_won(deal=d6, actor=org.rep_b, at=local(2025, 6, 10))
    d7 = make(org.rep_a, local(2025, 1, 1, 23, 30), 1000, probability_override=60)
    take_pipeline_snapshot(day=dt.date(2025, 7, 1))
    return Quarter(*(Deal.objects.get(pk=d.pk) for d in (d1, d2, d3, d4, d5, d6, d7)))

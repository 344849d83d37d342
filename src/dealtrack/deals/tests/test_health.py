"""Deal health: the colour alone (for bulk imports) always agrees with the full assessment and its reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from dealtrack.deals.choices import Health
from dealtrack.deals.health import assess_health, health_colour
from dealtrack.deals.models import Deal
from dealtrack.deals.services import mark_deal_won
from dealtrack.tasks.services import create_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def both(deal: Deal, **kwargs: object) -> tuple[str, str, list[str]]:
    colour, reasons = assess_health(deal, **kwargs)
    return health_colour(deal, **kwargs), colour, reasons


def test_stalled_and_overdue_deals_are_red(org, make_deal):
    deal = make_deal(owner=org.rep_a, expected_close_date=timezone.localdate() - dt.timedelta(days=1))
    limit = deal.stage.rotting_days
    later = deal.stage_entered_at + dt.timedelta(days=limit + 3)

    assert both(deal, has_open_task=True, as_of=later) == (
        Health.RED,
        Health.RED,
        [f"No progress for {limit + 3} days (stage limit {limit}).", "Expected close date has passed."],
    )


def test_a_deal_without_next_step_or_close_date_is_yellow(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    assert both(deal) == (Health.YELLOW, Health.YELLOW, ["No next step scheduled.", "No expected close date."])


def test_a_deal_with_a_next_step_and_a_close_date_ahead_is_green(org, make_deal):
    deal = make_deal(owner=org.rep_a, expected_close_date=timezone.localdate() + dt.timedelta(days=30))
    create_task(actor=org.rep_a, title="电话回访", due_at=timezone.now() + dt.timedelta(days=1), deal=deal)

    assert both(deal) == (Health.GREEN, Health.GREEN, [])


def test_a_closed_deal_is_green(org, make_deal):
    deal = mark_deal_won(deal=make_deal(owner=org.rep_a), actor=org.rep_a)

    assert both(deal, has_open_task=False) == (Health.GREEN, Health.GREEN, [])

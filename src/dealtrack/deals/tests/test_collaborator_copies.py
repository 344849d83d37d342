"""Collaborator links carry copies of their deal's owner, creation and close time, kept by every deal write."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest

from dealtrack.deals import services
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.collaborator_copies import COPIES, rebuild_all_collaborator_copies
from dealtrack.deals.models import Deal, DealCollaborator
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def copies() -> list[tuple]:
    return sorted(DealCollaborator.objects.values_list("deal_id", "user_id", *COPIES))


def deal_fields() -> list[tuple]:
    """What every link's copies should say, read from the deals."""
    return sorted(
        (deal_id, user_id, *Deal.objects.filter(pk=deal_id).values_list(*COPIES.values()).get())
        for deal_id, user_id in DealCollaborator.objects.values_list("deal_id", "user_id")
    )


def test_a_new_link_copies_its_deal(org, make_deal):
    deal = make_deal(owner=org.rep_a, created_at=T0)

    link = services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b)

    link.refresh_from_db()
    assert (link.deal_owner_id, link.deal_created_at, link.deal_closed_at) == (org.rep_a.pk, T0, None)


def test_a_link_added_through_a_stale_deal_object_copies_the_stored_deal(org, make_deal):
    deal = make_deal(owner=org.rep_a, created_at=T0)
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=T0 + dt.timedelta(days=1))  # `deal` still says open

    services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b)

    assert copies() == [(deal.pk, org.rep_b.pk, org.rep_a.pk, T0, T0 + dt.timedelta(days=1))]


def test_copies_follow_their_deals_through_random_work(org, make_deal):
    stages = list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))
    won = org.pipeline.stages.get(kind=StageKind.WON)
    reason = LostReasonFactory()
    rng = random.Random(5)
    deals = [
        make_deal(owner=org.rep_a, created_at=T0 + dt.timedelta(hours=7 * i), expected_close_date=dt.date(2026, 6, 30))
        for i in range(6)
    ]
    for deal in deals[:4]:
        services.add_collaborator(deal=deal, actor=org.rep_a, user=org.manager_b)
    services.add_collaborator(deal=deals[0], actor=org.rep_a, user=org.rep_b)
    at = T0 + dt.timedelta(days=2)
    for step in range(60):
        deal = Deal.objects.get(pk=rng.choice(deals).pk)
        at += dt.timedelta(hours=rng.randint(1, 30))
        action = rng.random()
        if step == 30:  # a link added halfway, to a deal that may be closed by now
            services.add_collaborator(deal=deals[5], actor=org.rep_a, user=org.rep_north)
        if action > 0.8:
            owner = rng.choice([org.rep_a, org.rep_a2, org.rep_b])
            services.reassign_deal(deal=deal, actor=org.admin, owner=owner, at=at)
        elif deal.status != DealStatus.OPEN:
            services.reopen_deal(deal=deal, actor=org.rep_a)
        elif action < 0.35:
            services.move_deal_to_stage(deal=deal, stage=rng.choice(stages), actor=org.rep_a, at=at)
        elif action < 0.6:
            services.move_deal_to_stage(deal=deal, stage=won, actor=org.rep_a, at=at)
        else:
            services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=reason, at=at)
    kept = copies()

    assert kept == deal_fields()
    assert rebuild_all_collaborator_copies() == len(kept) == 6
    assert copies() == kept
    assert {row[4] is None for row in kept} == {True, False}  # the walk left links of open and closed deals
    assert len({row[2] for row in kept}) > 1  # and of more than one owner


def test_a_rebuild_fills_links_written_without_their_copies(org, make_deal):
    # Bulk loads and restores insert links as rows, past the model's save.
    deal = make_deal(owner=org.rep_a, created_at=T0)
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=T0 + dt.timedelta(days=3))
    DealCollaborator.objects.bulk_create([DealCollaborator(deal=deal, user=org.rep_b)])
    assert copies() == [(deal.pk, org.rep_b.pk, None, None, None)]

    rebuild_all_collaborator_copies()

    assert copies() == [(deal.pk, org.rep_b.pk, org.rep_a.pk, T0, T0 + dt.timedelta(days=3))]


def test_a_save_that_changes_no_copied_field_writes_no_link(org, make_deal, django_assert_num_queries):
    deal = make_deal(owner=org.rep_a, value="500", created_at=T0)
    services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b)
    deal = Deal.objects.get(pk=deal.pk)
    deal.value_base = 900
    deal.save(update_fields=["value_base"])  # the daily totals change; the copies do not
    deal.next_step = "发报价"

    with django_assert_num_queries(1):  # the UPDATE of the deal only
        deal.save(update_fields=["next_step"])

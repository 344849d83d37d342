"""Fixtures shared by every app's tests: an organisation with two teams, and deal makers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import Deal
from dealtrack.deals.services import (
    create_deal,
    import_deals_bulk,
    mark_deal_lost,
    move_deal_to_stage,
    prepare_imported_deal,
    reassign_deal,
)
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline
from dealtrack.testing.factories import CompanyFactory, LostReasonFactory, TeamFactory, UserFactory


@dataclass
class Org:
    """Admin; sales (managed by manager_a, with north nested below it) and east (manager_b)."""

    admin: User
    manager_a: User
    manager_b: User
    rep_a: User
    rep_a2: User
    rep_north: User
    rep_b: User
    sales: Team
    north: Team
    east: Team
    pipeline: Pipeline


@pytest.fixture
def org(db: Any) -> Org:
    admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    manager_a = UserFactory(username="manager_a", role=Role.MANAGER)
    manager_b = UserFactory(username="manager_b", role=Role.MANAGER)
    sales = TeamFactory(name="华南销售", manager=manager_a)
    north = TeamFactory(name="华南北区", manager=None, parent=sales)
    east = TeamFactory(name="华东销售", manager=manager_b)
    manager_a.team = sales
    manager_a.save()
    manager_b.team = east
    manager_b.save()
    return Org(
        admin=admin,
        manager_a=manager_a,
        manager_b=manager_b,
        rep_a=UserFactory(username="rep_a", team=sales),
        rep_a2=UserFactory(username="rep_a2", team=sales),
        rep_north=UserFactory(username="rep_north", team=north),
        rep_b=UserFactory(username="rep_b", team=east),
        sales=sales,
        north=north,
        east=east,
        pipeline=Pipeline.objects.get(is_default=True),
    )


@pytest.fixture
def make_deal(db: Any) -> Callable[..., Deal]:
    """Create a deal through the service, so its events exist as in production."""

    def make(*, owner: User, name: str = "云平台采购项目", **fields: Any) -> Deal:
        fields.setdefault("company", CompanyFactory(owner=owner))
        fields.setdefault("value", "100000")
        return create_deal(actor=owner, owner=owner, name=name, **fields)

    return make


def import_won_deal(org: Org, *, created: dt.datetime, closed: dt.datetime, value: str = "5000") -> Deal:
    """One won deal of rep_a brought in by the bulk importer, with its imported history."""
    item = prepare_imported_deal(
        actor=org.admin,
        now=closed + dt.timedelta(days=1),
        owner=org.rep_a,
        pipeline=org.pipeline,
        stage=org.pipeline.stages.get(kind=StageKind.WON),
        name="导入的项目",
        value=value,
        created_at=created,
        closed_at=closed,
    )
    (deal,) = import_deals_bulk(actor=org.admin, deals=[item])
    return deal


def walk_deals(org: Org, deals: list[Deal], *, seed: int, steps: int, max_gap_hours: int, start: dt.datetime) -> None:
    """Random work on `deals` through the services, for tests that check derived rows against a rebuild:
    moves back and forth, wins, losses (then reopening moves) and reassignments between rep_a and rep_a2,
    an hour to `max_gap_hours` apart from `start` on."""
    stages = list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))
    won = org.pipeline.stages.get(kind=StageKind.WON)
    reason = LostReasonFactory()
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    at = start
    for _step in range(steps):
        deal = Deal.objects.get(pk=rng.choice(deals).pk)
        at += dt.timedelta(hours=rng.randint(1, max_gap_hours))
        action = rng.random()
        if action > 0.9:  # derived rows follow the deal to its new owner
            owner = org.rep_a2 if deal.owner_id == org.rep_a.pk else org.rep_a
            reassign_deal(deal=deal, actor=org.admin, owner=owner, at=at)
        elif deal.status != DealStatus.OPEN:
            move_deal_to_stage(deal=deal, stage=rng.choice(stages), actor=org.rep_a, at=at)
        elif action < 0.7:
            target = rng.choice([s for s in stages if s.pk != deal.stage_id])
            move_deal_to_stage(deal=deal, stage=target, actor=org.rep_a, at=at)
        elif action < 0.85:
            move_deal_to_stage(deal=deal, stage=won, actor=org.rep_a, at=at)
        else:
            mark_deal_lost(deal=deal, actor=org.rep_a, reason=reason, at=at)

"""Fixtures shared by every app's tests: an organisation with two teams, and deal makers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.deals.models import Deal
from dealtrack.deals.services import create_deal, import_deals_bulk, prepare_imported_deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline
from dealtrack.testing.factories import CompanyFactory, TeamFactory, UserFactory


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

"""`dealtrack demo`: the documented logins, --if-empty, and bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.customers.models import Company
from dealtrack.deals.models import Deal
from dealtrack.demo.builder import uses_bulk
from dealtrack.demo.constants import BULK_THRESHOLD
from dealtrack.demo.tests.fingerprint import database_fingerprint
from dealtrack.pipelines.models import Pipeline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language():
    """The command speaks the active language; pin the site default so the order of tests does not matter."""
    with translation.override("zh-hans"):
        yield


def test_demo_logins_have_their_roles_teams_and_the_demo_password(run_demo):
    output = run_demo("--deals", "5")

    admin = User.objects.get(username="admin")
    assert (admin.role, admin.is_superuser, admin.is_staff, admin.team) == (Role.ADMIN, True, True, None)
    south, east = Team.objects.get(name="华南销售"), Team.objects.get(name="华东销售")
    assert south.manager == User.objects.get(username="manager1", role=Role.MANAGER)
    assert east.manager == User.objects.get(username="manager2", role=Role.MANAGER)
    reps = {u.username: u.team for u in User.objects.filter(role=Role.REP)}
    assert reps == {f"rep{n}": south if n <= 4 else east for n in range(1, 9)}
    users = User.objects.all()
    assert users.count() == 11
    assert all(u.check_password("demo1234") for u in users)
    assert all(u.display_name and not u.display_name.isascii() for u in users)
    assert not User.objects.filter(role=Role.REP, is_staff=True).exists()
    assert "5 个交易" in output


def test_demo_builds_three_pipelines_from_the_shipped_templates(run_demo):
    run_demo("--deals", "5")

    names = list(Pipeline.objects.order_by("position").values_list("name", "is_default"))
    assert names == [("Sales pipeline", True), ("Channel partners", False), ("Key accounts", False)]
    key_accounts = Pipeline.objects.get(name="Key accounts")
    assert list(key_accounts.stages.values_list("name", flat=True))[:2] == ["Customer development", "Needs discovery"]
    channel = Pipeline.objects.get(name="Channel partners")
    assert list(channel.stages.values_list("kind", flat=True)).count("fridge") == 1


def test_if_empty_leaves_a_database_with_deals_unchanged(run_demo):
    run_demo("--deals", "5")
    before = database_fingerprint()

    output = run_demo("--if-empty", "--deals", "50", "--seed", "9")

    assert "已有交易" in output
    assert database_fingerprint() == before


def test_if_empty_builds_into_an_empty_database(run_demo):
    run_demo("--if-empty", "--deals", "5")

    assert Deal.objects.count() == 5


def test_demo_into_a_database_with_deals_is_refused_and_changes_nothing(run_demo):
    run_demo("--deals", "5")
    before = database_fingerprint()

    with pytest.raises(CommandError, match="已有 5 个交易"):
        run_demo("--deals", "5", "--seed", "9")

    assert database_fingerprint() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--today", "2024-02-30"], "YYYY-MM-DD"),
        (["--today", "tomorrow"], "YYYY-MM-DD"),
        (["--deals", "0"], "至少为 1"),
        (["--deals", "-5"], "至少为 1"),
    ],
)
def test_bad_options_are_refused_and_write_nothing(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", *options, "--no-progress")

    assert User.objects.count() == 0
    assert Company.objects.count() == 0


def test_a_day_after_today_is_refused(db):
    later = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    with pytest.raises(CommandError, match="不能晚于今天"):
        call_command("demo", "--today", later, "--no-progress")

    assert User.objects.count() == 0


def test_bulk_mode_starts_above_the_threshold_or_when_asked():
    assert not uses_bulk(BULK_THRESHOLD)
    assert uses_bulk(BULK_THRESHOLD + 1)
    assert uses_bulk(60, forced=True)

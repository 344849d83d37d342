"""Visibility of deals for each role, and the stalled / no-next-step queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.deals.queries import deals_visible_to, deals_without_next_step, get_deal_for, stalled_deals
from dealtrack.tasks.services import create_task
from dealtrack.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(org, make_deal):
    return {
        "a": make_deal(owner=org.rep_a, name="A"),
        "a2": make_deal(owner=org.rep_a2, name="A2"),
        "north": make_deal(owner=org.rep_north, name="N"),
        "b": make_deal(owner=org.rep_b, name="B"),
    }


def visible(user):
    return set(deals_visible_to(user).values_list("name", flat=True))


def test_rep_sees_only_own_deals(org, deals):
    assert visible(org.rep_a) == {"A"}
    assert visible(org.rep_b) == {"B"}


def test_rep_sees_deals_they_collaborate_on(org, deals):
    services.add_collaborator(deal=deals["b"], actor=org.rep_b, user=org.rep_a, role="技术支持")

    assert visible(org.rep_a) == {"A", "B"}
    assert deals_visible_to(org.rep_a).count() == 2


def test_manager_sees_managed_team_and_nested_teams(org, deals):
    assert visible(org.manager_a) == {"A", "A2", "N"}
    assert visible(org.manager_b) == {"B"}


def test_admin_sees_everything(org, deals):
    assert visible(org.admin) == {"A", "A2", "N", "B"}


def test_rep_without_team_sees_only_own(org, deals, make_deal):
    loner = UserFactory(username="loner")
    make_deal(owner=loner, name="L")

    assert visible(loner) == {"L"}


def test_inactive_user_sees_nothing(org, deals):
    org.admin.is_active = False

    assert visible(org.admin) == set()


def test_invisible_deal_is_a_404(org, deals):
    assert get_deal_for(org.rep_a, deals["a"].pk) == deals["a"]
    with pytest.raises(Http404):
        get_deal_for(org.rep_a, deals["b"].pk)
    with pytest.raises(Http404):
        get_deal_for(org.rep_a, "not-a-number")


def test_moving_a_rep_to_another_team_changes_what_managers_see(org, deals):
    org.rep_a.team = org.east
    org.rep_a.save()

    assert visible(org.manager_a) == {"A2", "N"}
    assert visible(org.manager_b) == {"A", "B"}


def test_stalled_deals_are_idle_beyond_the_stage_rotting_limit(org, make_deal):
    now = timezone.now()
    old = make_deal(owner=org.rep_a, name="old", created_at=now - dt.timedelta(days=30))
    make_deal(owner=org.rep_a, name="fresh", created_at=now - dt.timedelta(days=3))
    touched = make_deal(owner=org.rep_a, name="touched", created_at=now - dt.timedelta(days=30))
    from dealtrack.activities.services import log_activity

    log_activity(actor=org.rep_a, kind="call", deal=touched, occurred_at=now - dt.timedelta(days=1))

    assert list(stalled_deals(org.rep_a).values_list("name", flat=True)) == ["old"]
    assert list(stalled_deals(org.rep_b)) == []
    old.refresh_from_db()
    assert old.health == "red"


def test_deals_without_next_step(org, make_deal):
    with_task = make_deal(owner=org.rep_a, name="with")
    make_deal(owner=org.rep_a, name="without")
    create_task(actor=org.rep_a, title="回访", due_at=timezone.now() + dt.timedelta(days=1), deal=with_task)

    assert list(deals_without_next_step(org.rep_a).values_list("name", flat=True)) == ["without"]

"""User and team services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dealtrack.core import services
from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.core.queries import managed_member_ids, managed_team_ids, remember_for_request

pytestmark = pytest.mark.django_db


def test_user_without_password_cannot_log_in():
    user = services.create_user(username="zhangsan", display_name="张三")

    assert not user.has_usable_password()
    assert user.name == "张三"


def test_duplicate_username_weak_password_and_bad_email_are_refused():
    services.create_user(username="lisi")

    with pytest.raises(ValidationError) as exc:
        services.create_user(username="LiSi", email="nope", password="123", role="boss")

    assert set(exc.value.message_dict) == {"username", "email", "password", "role"}
    assert User.objects.count() == 1


def test_last_admin_cannot_be_demoted_or_deactivated():
    admin = services.create_user(username="root", role=Role.ADMIN)

    for changes in ({"role": Role.REP}, {"is_active": False}):
        with pytest.raises(ValidationError):
            services.update_user(user=admin, changes=changes)

    services.create_user(username="root2", role=Role.ADMIN)
    services.update_user(user=admin, changes={"role": Role.REP})
    admin.refresh_from_db()
    assert (admin.role, admin.is_staff) == (Role.REP, False)


def test_nested_teams_and_cycles():
    boss = services.create_user(username="boss", role=Role.MANAGER)
    top = services.save_team(actor=None, name="销售部", manager=boss, parent=None)
    middle = services.save_team(actor=None, name="华南", manager=None, parent=top)
    bottom = services.save_team(actor=None, name="深圳", manager=None, parent=middle)

    assert managed_team_ids(boss) == {top.pk, middle.pk, bottom.pk}
    with pytest.raises(ValidationError):
        services.save_team(actor=None, team=top, name=top.name, manager=boss, parent=bottom)
    top.refresh_from_db()
    assert top.parent is None


def test_a_managers_teams_and_people_are_one_read_per_request(django_assert_num_queries):
    boss = services.create_user(username="boss", role=Role.MANAGER)
    top = services.save_team(actor=None, name="销售部", manager=boss, parent=None)
    south = services.save_team(actor=None, name="华南", manager=None, parent=top)
    services.save_team(actor=None, name="华北", manager=None, parent=None)  # someone else's
    people = [
        services.create_user(username=name, role=Role.REP, team=team)
        for name, team in (("wang", top), ("zhao", south), ("qian", south))
    ]
    services.create_user(username="sun", role=Role.REP, team=Team.objects.get(name="华北"))
    remember_for_request(boss)

    with django_assert_num_queries(1):
        assert managed_team_ids(boss) == {top.pk, south.pk}
        assert managed_member_ids(boss) == sorted(p.pk for p in people)
        assert managed_team_ids(boss) == {top.pk, south.pk}

    rep = people[0]
    assert (managed_team_ids(rep), managed_member_ids(rep)) == (set(), [])


def test_team_names_are_unique_and_required():
    services.save_team(actor=None, name="华东", manager=None, parent=None)

    for name in ("华东", " "):
        with pytest.raises(ValidationError):
            services.save_team(actor=None, name=name, manager=None, parent=None)
    assert Team.objects.count() == 1


def test_username_is_derived_from_the_name_when_missing():
    first = services.create_user(display_name="Moses Frase")
    second = services.create_user(display_name="Moses Frase")

    assert (first.username, second.username) == ("moses.frase", "moses.frase2")


def test_update_user_changes_only_what_is_given(org):
    services.update_user(user=org.rep_a, changes={"language": "zh-hant"})
    org.rep_a.refresh_from_db()
    assert (org.rep_a.language, org.rep_a.team) == ("zh-hant", org.sales)

    services.update_user(user=org.rep_a, changes={"team": None})
    org.rep_a.refresh_from_db()
    assert org.rep_a.team is None
    with pytest.raises(ValidationError):
        services.update_user(user=org.rep_a, changes={"language": "fr", "email": org.rep_b.email})

"""Settings pages: admins edit; managers see their team; reps see only their profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dealtrack.core.models import CustomFieldDefinition, Team, User
from dealtrack.deals.models import LostReason, Tag
from dealtrack.pipelines.models import Pipeline

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("pipelines:pipeline_list", []),
    ("settings_custom_fields", []),
    ("deals:lost_reasons", []),
    ("deals:sources", []),
    ("deals:tags", []),
    ("settings_user_create", []),
]


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_reps_and_managers_get_404_on_admin_pages(client, org, name, args):
    for user in (org.rep_a, org.manager_a):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_admin_opens_every_settings_page(client, org, name, args):
    client.force_login(org.admin)
    assert client.get(reverse(name, args=args)).status_code == 200


def test_settings_home_sends_each_role_to_its_page(client, org):
    expected = {org.admin: "/settings/pipelines/", org.manager_a: "/settings/users/", org.rep_a: "/profile/"}
    for user, target in expected.items():
        client.force_login(user)
        assert client.get(reverse("settings_home"))["Location"] == target


def test_manager_sees_only_their_teams_users(client, org):
    client.force_login(org.manager_a)

    response = client.get(reverse("settings_users"))

    assert sorted(u.username for u in response.context["users"]) == ["manager_a", "rep_a", "rep_a2", "rep_north"]


def test_admin_adds_renames_and_reorders_stages(client, org):
    client.force_login(org.admin)
    pipeline = org.pipeline

    client.post(reverse("pipelines:stage_add", args=[pipeline.pk]), {"new-name": "技术验证", "new-probability": "60"})
    stage = pipeline.stages.get(name="技术验证")
    client.post(
        reverse("pipelines:stage_edit", args=[stage.pk]),
        {
            "name": "POC",
            "probability": "65",
            "rotting_days": "7",
            "required_fields": ["value"],
            "checklist": "演示\n试用",
        },
    )
    stage.refresh_from_db()
    assert (stage.name, stage.probability, stage.rotting_days, stage.required_fields, stage.checklist) == (
        "POC",
        65,
        7,
        ["value"],
        ["演示", "试用"],
    )

    order = list(reversed(pipeline.stages.values_list("pk", flat=True)))
    client.post(reverse("pipelines:stage_order", args=[pipeline.pk]), {"stage": order})
    assert list(pipeline.stages.order_by("position").values_list("pk", flat=True)) == order


def test_stage_with_bad_probability_shows_message_and_changes_nothing(client, org):
    client.force_login(org.admin)
    stage = org.pipeline.stages.first()

    response = client.post(reverse("pipelines:stage_edit", args=[stage.pk]), {"name": stage.name, "probability": "150"})

    assert "probability" in response.context["form"].errors
    assert org.pipeline.stages.get(pk=stage.pk).probability == stage.probability


def test_stage_with_deals_cannot_be_removed(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.admin)

    client.post(reverse("pipelines:stage_edit", args=[deal.stage_id]), {"delete": "1"})

    assert org.pipeline.stages.filter(pk=deal.stage_id).exists()


def test_admin_creates_pipeline_from_template(client, org):
    client.force_login(org.admin)

    client.post(reverse("pipelines:pipeline_list"), {"name": "续约", "template": "process"})

    assert Pipeline.objects.get(name="续约").stages.count() == 8


def test_admin_creates_user_team_and_custom_field(client, org):
    client.force_login(org.admin)

    client.post(reverse("settings_teams"), {"name": "华北销售", "manager": org.manager_b.pk})
    team = Team.objects.get(name="华北销售")
    client.post(
        reverse("settings_user_create"),
        {
            "username": "rep_new",
            "display_name": "新人",
            "role": "rep",
            "team": team.pk,
            "is_active": "on",
            "password": "a-Long-passw0rd",
        },
    )
    client.post(
        reverse("settings_custom_fields"),
        {"entity": "deal", "label": "行业方案", "field_type": "choice", "choices": "制造\n金融"},
    )

    assert User.objects.get(username="rep_new").team == team
    assert CustomFieldDefinition.objects.get(label="行业方案").choices == ["制造", "金融"]


def test_weak_password_is_refused_with_a_message(client, org):
    client.force_login(org.admin)

    response = client.post(reverse("settings_user_create"), {"username": "weak", "role": "rep", "password": "123"})

    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_admin_cannot_demote_themselves(client, org):
    client.force_login(org.admin)

    response = client.post(
        reverse("settings_user_edit", args=[org.admin.pk]), {"username": "admin", "role": "rep", "is_active": "on"}
    )

    assert "role" in response.context["form"].errors
    assert User.objects.get(pk=org.admin.pk).role == "admin"


def test_lost_reasons_and_tags_are_added_and_renamed(client, org):
    client.force_login(org.admin)

    client.post(reverse("deals:lost_reasons"), {"name": "项目取消"})
    reason = LostReason.objects.get(name="项目取消")
    client.post(reverse("deals:lost_reasons"), {"pk": reason.pk, "name": "项目被取消"})
    client.post(reverse("deals:tags"), {"name": "重点", "color": "#ff0000"})
    bad = client.post(reverse("deals:tags"), {"name": "坏颜色", "color": "red"}, follow=True)

    assert LostReason.objects.get(pk=reason.pk).name == "项目被取消"
    assert Tag.objects.get(name="重点").color == "#ff0000"
    assert not Tag.objects.filter(name="坏颜色").exists()
    assert bad.status_code == 200

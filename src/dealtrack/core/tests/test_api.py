"""Users, teams and custom field definitions through the API."""

from __future__ import annotations

import pytest

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition

pytestmark = pytest.mark.django_db


def test_me_and_users_show_role_and_teams(org, api):
    me = api(org.manager_a).get("/me").json()

    assert me["username"] == "manager_a"
    assert me["role"] == "manager"
    assert me["team_id"] == org.sales.pk
    assert me["managed_team_ids"] == [org.sales.pk]


def test_users_filter_by_team_and_role(org, api):
    body = api(org.rep_a).get("/users", {"team": org.sales.pk, "role": "rep"}).json()

    assert [u["username"] for u in body["results"]] == ["rep_a", "rep_a2"]


def test_inactive_users_are_not_listed(org, api):
    org.rep_a2.is_active = False
    org.rep_a2.save()

    assert api(org.rep_a).get(f"/users/{org.rep_a2.pk}").status_code == 404


def test_teams_list(org, api):
    body = api(org.rep_a).get("/teams").json()

    assert {t["name"] for t in body["results"]} == {"华南销售", "华南北区", "华东销售"}
    assert api(org.rep_a).get(f"/teams/{org.north.pk}").json()["parent_id"] == org.sales.pk


def test_custom_field_definitions_by_entity(org, api):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key="budget", label="预算", field_type=CustomFieldType.MONEY
    )
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.COMPANY, key="tier", label="等级", field_type=CustomFieldType.TEXT
    )

    body = api(org.rep_a).get("/custom-fields", {"entity": "deal"}).json()

    assert [d["key"] for d in body["results"]] == ["budget"]

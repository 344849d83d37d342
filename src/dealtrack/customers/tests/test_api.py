"""Company and contact endpoints: customer services behind them, versions on every change."""

from __future__ import annotations

import pytest

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.customers.models import Company, Contact
from dealtrack.customers.services import update_company
from dealtrack.testing.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_create_company_with_custom_field_owned_by_caller(org, api):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.COMPANY, key="credit", label="信用额度", field_type=CustomFieldType.MONEY
    )

    response = api(org.rep_a).post(
        "/companies", {"name": "华为科技有限公司", "size": "1000+", "custom": {"credit": "5e5"}}
    )

    company = Company.objects.get()
    assert response.status_code == 201
    assert response["Location"] == f"/api/v1/companies/{company.pk}"
    assert company.owner == org.rep_a
    assert company.normalised_name == "华为科技"
    assert response.json()["custom"] == {"credit": "500000.00"}


def test_create_company_with_bad_custom_value_is_422_and_creates_nothing(org, api):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.COMPANY, key="credit", label="信用额度", field_type=CustomFieldType.MONEY
    )

    response = api(org.rep_a).post("/companies", {"name": "甲", "custom": {"credit": "很多", "nope": 1}})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"custom.credit", "custom.nope"}
    assert Company.objects.count() == 0


def test_patch_company_checks_version(org, api):
    company = CompanyFactory(owner=org.rep_a, industry="制造业")
    update_company(company=company, actor=org.rep_a, changes={"industry": "零售"}, version=1)
    client = api(org.rep_a)

    stale = client.patch(f"/companies/{company.pk}", {"version": 1, "industry": "金融"})
    fresh = client.patch(f"/companies/{company.pk}", {"version": 2, "industry": "金融"})

    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert fresh.status_code == 200
    assert fresh["ETag"] == '"3"'
    assert Company.objects.get().industry == "金融"


def test_company_cannot_be_its_own_parent(org, api):
    company = CompanyFactory(owner=org.rep_a)

    response = api(org.rep_a).patch(f"/companies/{company.pk}", {"version": 1, "parent": company.pk})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["parent"]


def test_company_list_searches_by_normalised_name(org, api):
    company = CompanyFactory(owner=org.rep_a, name="腾讯科技（深圳）有限公司")
    CompanyFactory(owner=org.rep_a, name="阿里巴巴")

    response = api(org.rep_a).get("/companies", {"q": "腾讯科技"})

    assert [row["id"] for row in response.json()["results"]] == [company.pk]


def test_contact_create_read_and_patch(org, api):
    company = CompanyFactory(owner=org.rep_a)
    client = api(org.rep_a)

    created = client.post("/contacts", {"name": "王经理", "company": company.pk, "email": "wang@example.com"})
    contact_id = created.json()["id"]
    read = client.get(f"/contacts/{contact_id}")
    patched = client.patch(f"/contacts/{contact_id}", {"title": "采购总监"}, headers={"If-Match": read["ETag"]})

    assert created.status_code == 201
    assert read.json()["company"] == company.pk
    assert patched.status_code == 200
    assert Contact.objects.get().title == "采购总监"


def test_contact_with_bad_email_is_422(org, api):
    response = api(org.rep_a).post("/contacts", {"name": "王", "email": "not-an-email"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Enter a valid e-mail address."]}
    assert Contact.objects.count() == 0


def test_contact_list_filters_by_company(org, api):
    company = CompanyFactory(owner=org.rep_a)
    contact = ContactFactory(company=company, owner=org.rep_a)
    ContactFactory(owner=org.rep_a)

    response = api(org.rep_a).get("/contacts", {"company": company.pk})

    assert [row["id"] for row in response.json()["results"]] == [contact.pk]


def test_overlong_text_is_422_not_a_database_error(org, api):
    response = api(org.rep_a).post("/companies", {"name": "甲" * 201})

    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["Enter at most 200 characters."]}


def test_nul_characters_are_422(org, api):
    response = api(org.rep_a).post("/companies", {"name": "a\x00b"})

    assert response.status_code == 422
    assert Company.objects.count() == 0

"""Company and contact services and their visibility."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dealtrack.core.exceptions import StaleVersionError
from dealtrack.customers import services
from dealtrack.customers.models import Company, normalise_company_name
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to, get_company_for
from dealtrack.deals.services import add_collaborator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("华为科技有限公司", "华为科技"),
        ("ＡＢＣ　Co., Ltd.", "abc"),
        ("Acme Corporation", "acme"),
        ("阿里巴巴（中国）", "阿里巴巴中国"),
    ],
)
def test_company_names_normalise_for_deduplication(a, b):
    assert normalise_company_name(a) == normalise_company_name(b)


def test_get_or_create_company_deduplicates_by_normalised_name(org):
    first, created = services.get_or_create_company(actor=org.rep_a, name="华为科技有限公司")
    again, created_again = services.get_or_create_company(actor=org.rep_b, name=" 华为科技 ")

    assert (created, created_again) == (True, False)
    assert again == first
    assert Company.objects.count() == 1


def test_company_requires_a_name_and_writes_nothing(org):
    with pytest.raises(ValidationError) as exc:
        services.create_company(actor=org.rep_a, name="  ")

    assert "name" in exc.value.message_dict
    assert Company.objects.count() == 0


def test_contact_rejects_a_bad_email(org):
    with pytest.raises(ValidationError) as exc:
        services.create_contact(actor=org.rep_a, name="李雷", email="not-an-email")

    assert "email" in exc.value.message_dict


def test_stale_company_edit_is_refused(org):
    company = services.create_company(actor=org.rep_a, name="腾讯")
    services.update_company(company=company, actor=org.rep_a, changes={"industry": "互联网"}, version=1)

    with pytest.raises(StaleVersionError):
        services.update_company(company=company, actor=org.rep_a, changes={"industry": "游戏"}, version=1)

    company.refresh_from_db()
    assert company.industry == "互联网"


def test_company_cannot_be_its_own_parent(org):
    company = services.create_company(actor=org.rep_a, name="腾讯")

    with pytest.raises(ValidationError):
        services.update_company(company=company, actor=org.rep_a, changes={"parent": company}, version=None)


def test_companies_visible_through_ownership_team_and_deals(org, make_deal):
    own = services.create_company(actor=org.rep_a, name="甲公司")
    other = services.create_company(actor=org.rep_b, name="乙公司")
    shared = services.create_company(actor=org.rep_b, name="丙公司")
    deal = make_deal(owner=org.rep_b, company=shared)
    add_collaborator(deal=deal, actor=org.rep_b, user=org.rep_a)

    assert set(companies_visible_to(org.rep_a)) == {own, shared}
    assert set(companies_visible_to(org.manager_a)) >= {own}
    assert other not in companies_visible_to(org.manager_a)
    assert set(companies_visible_to(org.admin)) >= {own, other, shared}
    with pytest.raises(Http404):
        get_company_for(org.rep_a, other.pk)


def test_contacts_follow_their_company_visibility(org):
    own_company = services.create_company(actor=org.rep_a, name="甲公司")
    other_company = services.create_company(actor=org.rep_b, name="乙公司")
    mine = services.create_contact(actor=org.rep_b, name="王五", company=own_company)
    theirs = services.create_contact(actor=org.rep_b, name="赵六", company=other_company)

    assert set(contacts_visible_to(org.rep_a)) == {mine}
    assert set(contacts_visible_to(org.rep_b)) == {mine, theirs}

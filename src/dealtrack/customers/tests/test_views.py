"""Companies and contacts pages, and the search box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dealtrack.customers.models import Company, Contact
from dealtrack.customers.services import create_company, create_contact, update_company
from dealtrack.deals.services import create_deal
from dealtrack.testing.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_company_list_search_matches_chinese_substring(client, org):
    huawei = create_company(actor=org.rep_a, name="华为科技有限公司")
    create_company(actor=org.rep_a, name="阿里巴巴集团")
    client.force_login(org.rep_a)

    response = client.get(reverse("customers:company_list"), {"q": "科技"})

    assert [row["obj"].pk for row in response.context["table"]] == [huawei.pk]


def test_company_detail_of_another_team_is_404(client, org):
    hidden = create_company(actor=org.rep_b, name="华东客户")
    client.force_login(org.rep_a)

    assert client.get(reverse("customers:company_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("customers:company_edit", args=[hidden.pk])).status_code == 404


def test_company_detail_lists_its_visible_deals_and_contacts(client, org, make_deal):
    company = create_company(actor=org.rep_a, name="华为科技有限公司")
    contact = create_contact(actor=org.rep_a, name="张三", company=company)
    mine = make_deal(owner=org.rep_a, company=company)
    make_deal(owner=org.rep_b, company=company)
    client.force_login(org.rep_a)

    response = client.get(reverse("customers:company_detail", args=[company.pk]))

    assert [d.pk for d in response.context["deals"]] == [mine.pk]
    assert [c.pk for c in response.context["contacts"]] == [contact.pk]


def test_company_edit_with_stale_version_keeps_input(client, org):
    company = create_company(actor=org.rep_a, name="旧名字")
    old = company.version
    update_company(company=company, actor=org.manager_a, changes={"industry": "金融"}, version=old)
    client.force_login(org.rep_a)

    response = client.post(reverse("customers:company_edit", args=[company.pk]), {"name": "新名字", "version": old})

    assert Company.objects.get(pk=company.pk).name == "旧名字"
    assert response.context["stale"]
    assert response.context["form"]["name"].value() == "新名字"


def test_contact_create_with_bad_email_shows_message_and_creates_nothing(client, org):
    client.force_login(org.rep_a)

    response = client.post(reverse("customers:contact_create"), {"name": "李四", "email": "not-an-email"})

    assert "email" in response.context["form"].errors
    assert Contact.objects.count() == 0


def test_contact_create_links_company_by_name(client, org):
    client.force_login(org.rep_a)

    client.post(
        reverse("customers:contact_create"), {"name": "李四", "company_name": "华为科技有限公司", "title": "CTO"}
    )

    contact = Contact.objects.get(name="李四")
    assert (contact.company.name, contact.title, contact.owner) == ("华为科技有限公司", "CTO", org.rep_a)


def test_log_activity_on_company_shows_in_its_timeline(client, org):
    company = create_company(actor=org.rep_a, name="华为科技有限公司")
    client.force_login(org.rep_a)

    client.post(reverse("activities:log_on_company", args=[company.pk]), {"kind": "visit", "subject": "上门"})
    response = client.get(reverse("customers:company_detail", args=[company.pk]))

    assert [a.subject for a in response.context["activities"]] == ["上门"]


def test_search_finds_deals_companies_and_contacts_by_chinese_substring(client, org):
    company = create_company(actor=org.rep_a, name="华为科技有限公司")
    contact = create_contact(actor=org.rep_a, name="科技部王工", company=company)
    deal = create_deal(actor=org.rep_a, name="园区项目", company=company)
    create_deal(actor=org.rep_b, name="华东科技项目", company=CompanyFactory(owner=org.rep_b, name="华东科技"))
    client.force_login(org.rep_a)

    response = client.get(reverse("search"), {"q": "科技"})

    assert [d.pk for d in response.context["deals"]] == [deal.pk]
    assert [c.pk for c in response.context["companies"]] == [company.pk]
    assert [c.pk for c in response.context["contacts"]] == [contact.pk]


def test_empty_search_asks_for_input(client, org):
    client.force_login(org.rep_a)

    response = client.get(reverse("search"), {"q": "  "})

    assert response.context["deals"] == [] and response.status_code == 200

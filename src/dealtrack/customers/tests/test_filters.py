"""`CompanyFilterSet` and `ContactFilterSet`, shared by the web lists, their exports and the API: each filter,
bad values, the companies a form offers, and that they only ever narrow what the reader may see."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.customers.filters import CompanyFilterSet, ContactFilterSet
from dealtrack.customers.models import Company, Contact
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.customers.services import create_company, create_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def customers(org):
    """Companies and contacts of rep_a (visible to rep_a and manager_a) and of rep_b (visible to neither)."""
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.COMPANY,
        key="tier",
        label="等级",
        field_type=CustomFieldType.CHOICE,
        choices=["A", "B"],
    )
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.CONTACT, key="hobby", label="爱好", field_type=CustomFieldType.TEXT
    )
    group = create_company(actor=org.rep_a, name="华为集团", industry="通信设备", region="广东深圳", size="1000+")
    huawei = create_company(
        actor=org.rep_a,
        name="华为技术有限公司",
        industry="通信设备",
        region="广东深圳",
        size="1000+",
        parent=group,
        phone="0755-28780808",
        website="https://www.huawei.com",
        external_id="SAP-1",
        custom={"tier": "A"},
    )
    shop = create_company(actor=org.rep_a, name="小米之家", industry="零售", region="北京", size="11-50")
    hidden = create_company(actor=org.rep_b, name="华东秘密客户", industry="通信设备", region="上海")
    zhang = create_contact(
        actor=org.rep_a, name="张伟", company=huawei, title="采购总监", email="zhang@huawei.com",
        phone="0755-1234", mobile="13800000000", wechat="zhangwei_hw", external_id="C-1", custom={"hobby": "登山"},
    )  # fmt: skip
    li = create_contact(actor=org.rep_a, name="李娜", company=shop, title="店长", email="li@mi.com")
    hidden_contact = create_contact(actor=org.rep_b, name="王秘密", company=hidden, title="采购总监")
    Company.objects.filter(pk=shop.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    Contact.objects.filter(pk=li.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    return SimpleNamespace(
        org=org, group=group, huawei=huawei, shop=shop, hidden=hidden, zhang=zhang, li=li, hidden_contact=hidden_contact
    )


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _companies(data, user):
    filterset = CompanyFilterSet(data, queryset=companies_visible_to(user), request=_request(user))
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name", flat=True))


def _contacts(data, user):
    filterset = ContactFilterSet(data, queryset=contacts_visible_to(user), request=_request(user))
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name", flat=True))


COMPANY_NARROWING = [
    ("q on the name", lambda c: {"q": "小米"}, ["小米之家"]),
    ("q on the name written differently", lambda c: {"q": "华为技术 有限公司"}, ["华为技术有限公司"]),
    ("q on the phone", lambda c: {"q": "28780808"}, ["华为技术有限公司"]),
    ("q on the website", lambda c: {"q": "huawei.com"}, ["华为技术有限公司"]),
    ("q of punctuation alone matches no name", lambda c: {"q": "（）"}, []),
    ("industry contains", lambda c: {"industry": "通信"}, ["华东秘密客户", "华为技术有限公司", "华为集团"]),
    ("region contains", lambda c: {"region": "北京"}, ["小米之家"]),
    ("size", lambda c: {"size": "11-50"}, ["小米之家"]),
    ("owner", lambda c: {"owner": c.org.rep_b.pk}, ["华东秘密客户"]),
    ("parent", lambda c: {"parent": c.group.pk}, ["华为技术有限公司"]),
    ("external id", lambda c: {"external_id": "SAP-1"}, ["华为技术有限公司"]),
    ("changed since", lambda c: {"updated_since": (timezone.now() - dt.timedelta(days=1)).isoformat()},
     ["华东秘密客户", "华为技术有限公司", "华为集团"]),
    ("custom field", lambda c: {"custom.tier": "A"}, ["华为技术有限公司"]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), [pytest.param(d, e, id=i) for i, d, e in COMPANY_NARROWING])
def test_each_company_filter_narrows_the_list(customers, data, expected):
    assert _companies(data(customers), customers.org.admin) == expected


CONTACT_NARROWING = [
    ("q on the name", lambda c: {"q": "李"}, ["李娜"]),
    ("q on the e-mail", lambda c: {"q": "HUAWEI.COM"}, ["张伟"]),
    ("q on the phone", lambda c: {"q": "0755-1234"}, ["张伟"]),
    ("q on the mobile", lambda c: {"q": "138000"}, ["张伟"]),
    ("q on the WeChat id", lambda c: {"q": "zhangwei"}, ["张伟"]),
    ("company", lambda c: {"company": c.shop.pk}, ["李娜"]),
    ("company name", lambda c: {"company_name": "华为"}, ["张伟"]),
    ("title", lambda c: {"title": "采购"}, ["张伟", "王秘密"]),
    ("owner", lambda c: {"owner": c.org.rep_b.pk}, ["王秘密"]),
    ("external id", lambda c: {"external_id": "C-1"}, ["张伟"]),
    ("changed since", lambda c: {"updated_since": (timezone.now() - dt.timedelta(days=1)).isoformat()},
     ["张伟", "王秘密"]),
    ("custom field", lambda c: {"custom.hobby": "登"}, ["张伟"]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), [pytest.param(d, e, id=i) for i, d, e in CONTACT_NARROWING])
def test_each_contact_filter_narrows_the_list(customers, data, expected):
    assert _contacts(data(customers), customers.org.admin) == expected


def test_filters_only_narrow_what_the_reader_may_see(customers):
    org = customers.org

    assert _companies({"industry": "通信"}, org.rep_a) == ["华为技术有限公司", "华为集团"]
    assert _companies({"owner": org.rep_b.pk}, org.rep_a) == []
    assert _contacts({"title": "采购"}, org.manager_a) == ["张伟"]
    assert _contacts({"company": customers.hidden.pk}, org.rep_a) == []


def test_several_ids_match_any_of_them(customers):
    assert _contacts({"company": f"{customers.huawei.pk},{customers.shop.pk}"}, customers.org.admin) == ["张伟", "李娜"]


BAD_VALUES = [
    (CompanyFilterSet, {"owner": "me"}, "owner", "Enter whole-number ids."),
    (CompanyFilterSet, {"parent": "1;2"}, "parent", "Enter whole-number ids."),
    (CompanyFilterSet, {"size": "huge"}, "size", "Select a valid choice. huge is not one of the available choices."),
    (CompanyFilterSet, {"updated_since": "2030-13-01"}, "updated_since", "Enter a valid date/time."),
    (CompanyFilterSet, {"custom.tier": "Z"}, "custom.tier", "Choose one of: A, B"),
    (CompanyFilterSet, {"custom.hobby": "x"}, "custom.hobby", "Unknown custom field."),  # a contact's field
    (CompanyFilterSet, {"q": "\x00"}, "q", "Null characters are not allowed."),
    (ContactFilterSet, {"company": "华为"}, "company", "Enter whole-number ids."),
    (ContactFilterSet, {"owner": "0"}, "owner", "Enter whole-number ids."),
    (ContactFilterSet, {"custom.nope": "x"}, "custom.nope", "Unknown custom field."),
    (ContactFilterSet, {"title": "a\x00"}, "title", "Null characters are not allowed."),
]


@pytest.mark.parametrize(("filterset_class", "data", "field", "message"), BAD_VALUES)
def test_bad_values_are_a_clear_error_on_their_field(customers, filterset_class, data, field, message):
    filterset = filterset_class(data, queryset=filterset_class._meta.model.objects.all())

    assert not filterset.is_valid()
    assert filterset.errors == {field: [message]}


def test_the_web_forms_show_their_filters_and_custom_fields(customers):
    user = customers.org.rep_a
    companies = CompanyFilterSet({}, queryset=Company.objects.none(), request=_request(user), all_custom_fields=True)
    contacts = ContactFilterSet({}, queryset=Contact.objects.none(), request=_request(user), all_custom_fields=True)

    assert [f.name for f in companies.form_fields()] == ["q", "industry", "region", "size", "owner", "custom.tier"]
    assert [f.name for f in contacts.form_fields()] == ["q", "company_name", "title", "owner", "custom.hobby"]


def test_company_choices_are_only_the_chosen_visible_companies(customers):
    user = customers.org.rep_a
    data = {"company": [customers.huawei.pk, customers.hidden.pk]}
    contacts = ContactFilterSet(data, queryset=contacts_visible_to(user), request=_request(user))
    companies = CompanyFilterSet(
        {"parent": customers.hidden.pk}, queryset=companies_visible_to(user), request=_request(user)
    )

    company = str(contacts.form["company"])
    parent = str(companies.form["parent"])

    assert f'<option value="{customers.huawei.pk}" selected>华为技术有限公司</option>' in company
    assert "华东秘密客户" not in company
    assert "小米之家" not in company
    assert "华东秘密客户" not in parent


def test_the_contact_list_page_filters_by_company_and_shows_it(client, customers):
    client.force_login(customers.org.rep_a)

    response = client.get(reverse("customers:contact_list"), {"company": customers.shop.pk})

    assert [row["obj"].name for row in response.context["table"]] == ["李娜"]
    assert [f.name for f in response.context["filter_fields"]] == [
        "q", "company_name", "title", "owner", "company", "custom.hobby"
    ]  # fmt: skip


def test_the_company_list_page_shows_a_bad_filter_and_never_fails(client, customers):
    client.force_login(customers.org.rep_a)

    response = client.get(reverse("customers:company_list"), {"size": "huge", "parent": "x"})

    assert response.status_code == 200
    assert set(response.context["filterset"].errors) == {"size", "parent"}
    assert "Enter whole-number ids." in response.content.decode()


def test_the_api_filters_companies_and_contacts_with_the_same_filtersets(api, customers):
    client = api(customers.org.rep_a)

    companies = client.get("/companies", {"industry": "通信", "size": "1000+", "custom.tier": "A"})
    contacts = client.get("/contacts", {"company_name": "小米", "title": "店"})
    bad = client.get("/companies", {"custom.tier": "Z"})

    assert [row["name"] for row in companies.json()["results"]] == ["华为技术有限公司"]
    assert [row["name"] for row in contacts.json()["results"]] == ["李娜"]
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"custom.tier": ["Choose one of: A, B"]}

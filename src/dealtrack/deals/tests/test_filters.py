"""`DealFilterSet`, the one deal filter of the list, the board, exports and the API: each filter, the aliases,
bad values, the choices a form offers, and that it only ever narrows what the reader may see."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.models import Deal
from dealtrack.deals.queries import deals_visible_to
from dealtrack.deals.services import mark_deal_won
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import CompanyFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _custom(key, field_type, choices=()):
    return CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key=key, label=key.title(), field_type=field_type, choices=list(choices)
    )


@pytest.fixture
def deals(org, make_deal):
    """Three deals that differ in every filtered field, custom fields included."""
    _custom("region", CustomFieldType.CHOICE, ["华南", "华北"])
    _custom("modules", CustomFieldType.MULTI_CHOICE, ["CRM", "财务"])
    _custom("note", CustomFieldType.TEXT)
    _custom("seats", CustomFieldType.NUMBER)
    _custom("signed", CustomFieldType.DATE)
    _custom("vip", CustomFieldType.BOOLEAN)
    _custom("buddy", CustomFieldType.USER)
    source, tag, other_tag = SourceFactory(), TagFactory(), TagFactory()
    alpha_co = CompanyFactory(owner=org.rep_a, name="阿尔法科技")
    second = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[1]
    alpha = make_deal(
        owner=org.rep_a,
        name="甲项目",
        company=alpha_co,
        external_id="CRM-7",
        priority="high",
        source=source,
        tags=[tag],
        expected_close_date=dt.date(2030, 1, 10),
        lead_grade="high",
        deal_type="renewal",
        forecast_category="commit",
        custom={"region": "华南", "modules": ["CRM", "财务"], "note": "需要上门演示", "seats": "50",
                "signed": "2030-01-02", "vip": True, "buddy": org.rep_a2.pk},
    )  # fmt: skip
    beta = make_deal(
        owner=org.rep_north,
        name="乙项目",
        stage=second,
        priority="low",
        tags=[other_tag],
        expected_close_date=dt.date(2030, 3, 1),
        custom={"region": "华北", "modules": ["CRM"], "note": "电话", "seats": "5", "vip": False},
    )
    gamma = make_deal(owner=org.rep_b, name="丙项目")
    mark_deal_won(deal=gamma, actor=org.rep_b)
    Deal.objects.filter(pk=beta.pk).update(health="red")
    Deal.objects.filter(pk=gamma.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    return SimpleNamespace(
        alpha=alpha, beta=beta, gamma=gamma, source=source, tag=tag, company=alpha_co, second=second, org=org
    )


def _request(user):
    request = RequestFactory().get("/deals/")
    request.user = user
    return request


def _filterset(data, user, **kwargs):
    return DealFilterSet(data, queryset=deals_visible_to(user), request=_request(user), **kwargs)


def _names(data, user):
    filterset = _filterset(data, user)
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name", flat=True))


def _odd_offset(*, days):
    """An ISO moment `days` ago written at +18:12, a time zone Python accepts and PostgreSQL does not."""
    return (timezone.now() - dt.timedelta(days=days)).astimezone(dt.timezone(dt.timedelta(hours=18, minutes=12)))


NARROWING = [
    ("q on the name", lambda d: {"q": "乙"}, ["乙项目"]),
    ("q on the company name", lambda d: {"q": "阿尔法"}, ["甲项目"]),
    ("q on the external id", lambda d: {"q": "CRM-7"}, ["甲项目"]),
    ("owner", lambda d: {"owner": d.org.rep_north.pk}, ["乙项目"]),
    ("team", lambda d: {"team": d.org.east.pk}, ["丙项目"]),
    ("team with nested teams", lambda d: {"team": d.org.sales.pk}, ["乙项目", "甲项目"]),
    ("nested team alone", lambda d: {"team": d.org.north.pk}, ["乙项目"]),
    ("tag", lambda d: {"tag": d.tag.pk}, ["甲项目"]),
    ("priority", lambda d: {"priority": "high"}, ["甲项目"]),
    ("source", lambda d: {"source": d.source.pk}, ["甲项目"]),
    ("closing from", lambda d: {"expected_close_after": "2030-02-01"}, ["乙项目"]),
    ("closing until", lambda d: {"expected_close_before": "2030-02-01"}, ["甲项目"]),
    ("closing on the bound day",
     lambda d: {"expected_close_after": "2030-01-10", "expected_close_before": "2030-01-10"}, ["甲项目"]),
    ("pipeline", lambda d: {"pipeline": d.org.pipeline.pk}, ["丙项目", "乙项目", "甲项目"]),
    ("stage", lambda d: {"stage": d.second.pk}, ["乙项目"]),
    ("status", lambda d: {"status": "won"}, ["丙项目"]),
    ("health", lambda d: {"health": "red"}, ["乙项目"]),
    ("lead grade", lambda d: {"lead_grade": "high"}, ["甲项目"]),
    ("type", lambda d: {"deal_type": "renewal"}, ["甲项目"]),
    ("forecast category", lambda d: {"forecast_category": "commit"}, ["甲项目"]),
    ("company", lambda d: {"company": d.company.pk}, ["甲项目"]),
    ("changed since", lambda d: {"updated_since": (timezone.now() - dt.timedelta(days=1)).isoformat()},
     ["乙项目", "甲项目"]),
    ("changed since, at an offset PostgreSQL refuses", lambda d: {"updated_since": _odd_offset(days=1).isoformat()},
     ["乙项目", "甲项目"]),
    ("custom choice", lambda d: {"custom.region": "华北"}, ["乙项目"]),
    ("custom multiple choice (not ASCII)", lambda d: {"custom.modules": "财务"}, ["甲项目"]),
    ("custom multiple choice (shared)", lambda d: {"custom.modules": "CRM"}, ["乙项目", "甲项目"]),
    ("custom text contains", lambda d: {"custom.note": "上门"}, ["甲项目"]),
    ("custom number", lambda d: {"custom.seats": "5"}, ["乙项目"]),
    ("custom date", lambda d: {"custom.signed": "2030-01-02"}, ["甲项目"]),
    ("custom yes", lambda d: {"custom.vip": "true"}, ["甲项目"]),
    ("custom no", lambda d: {"custom.vip": "false"}, ["乙项目"]),
    ("custom user", lambda d: {"custom.buddy": d.org.rep_a2.pk}, ["甲项目"]),
    ("an empty value sets no filter", lambda d: {"status": "", "owner": "", "q": " ", "custom.region": ""},
     ["丙项目", "乙项目", "甲项目"]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), [pytest.param(d, e, id=i) for i, d, e in NARROWING])
def test_each_filter_narrows_the_list(deals, data, expected):
    assert _names(data(deals), deals.org.admin) == expected


def test_mine_is_the_readers_own_deals(deals):
    assert _names({"mine": "on"}, deals.org.manager_a) == []
    assert _names({"mine": "true"}, deals.org.rep_a) == ["甲项目"]
    assert _names({"mine": "false"}, deals.org.rep_a) == ["甲项目"]  # rep_a sees only their own anyway
    assert _names({"mine": "false"}, deals.org.manager_a) == ["乙项目", "甲项目"]


def test_mine_without_a_reader_matches_nothing(deals):
    filterset = DealFilterSet({"mine": "true"}, queryset=Deal.objects.all())

    assert filterset.is_valid()
    assert list(filterset.qs) == []


def test_several_values_of_one_filter_match_any_of_them(deals):
    org = deals.org
    repeated = QueryDict(mutable=True)
    repeated.setlist("owner", [str(org.rep_a.pk), str(org.rep_b.pk)])
    repeated.setlist("status", ["open", "won"])

    assert _names(repeated, org.admin) == ["丙项目", "甲项目"]
    assert _names({"owner": f"{org.rep_a.pk},{org.rep_north.pk}"}, org.admin) == ["乙项目", "甲项目"]


def test_filters_combine_with_and(deals):
    org = deals.org

    assert _names({"team": org.sales.pk, "priority": "low"}, org.admin) == ["乙项目"]
    assert _names({"team": org.sales.pk, "status": "won"}, org.admin) == []


def test_filters_only_narrow_what_the_reader_may_see(deals):
    org = deals.org

    assert _names({}, org.rep_a) == ["甲项目"]
    assert _names({"owner": org.rep_b.pk}, org.rep_a) == []
    assert _names({"team": org.east.pk}, org.manager_a) == []
    assert _names({"q": "丙"}, org.manager_a) == []


@pytest.mark.parametrize(
    ("alias", "canonical", "value", "expected"),
    [
        ("close_from", "expected_close_after", "2030-02-01", ["乙项目"]),
        ("close_to", "expected_close_before", "2030-02-01", ["甲项目"]),
        ("cf_region", "custom.region", "华南", ["甲项目"]),
    ],
)
def test_the_web_lists_older_names_are_aliases(deals, alias, canonical, value, expected):
    assert _names({alias: value}, deals.org.admin) == expected == _names({canonical: value}, deals.org.admin)


def test_an_alias_and_its_canonical_name_together_are_refused(deals):
    filterset = _filterset({"close_from": "2030-02-01", "expected_close_after": "2030-01-01"}, deals.org.admin)

    assert not filterset.is_valid()
    assert filterset.errors == {"expected_close_after": ["Use either close_from or expected_close_after, not both."]}


BAD_VALUES = [
    ({"owner": "abc"}, "owner", "Enter whole-number ids."),
    ({"owner": "0"}, "owner", "Enter whole-number ids."),
    ({"team": "-3"}, "team", "Enter whole-number ids."),
    ({"stage": str(2**63)}, "stage", "Enter whole-number ids."),
    ({"tag": ",".join(str(i) for i in range(1, 102))}, "tag", "Give at most 100 values."),
    ({"status": "maybe"}, "status", "Select a valid choice. maybe is not one of the available choices."),
    ({"expected_close_after": "not-a-date"}, "expected_close_after", "Enter a valid date."),
    ({"close_to": "31/02/2030"}, "expected_close_before", "Enter a valid date."),
    ({"updated_since": "yesterday"}, "updated_since", "Enter a valid date/time."),
    ({"updated_since": "0001-01-01T00:00:00"}, "updated_since", "Enter a date between the years 1900 and 9000."),
    ({"mine": "perhaps"}, "mine", "Enter true or false."),
    ({"q": "a\x00b"}, "q", "Null characters are not allowed."),
    ({"custom.nope": "x"}, "custom.nope", "Unknown custom field."),
    ({"cf_nope": "x"}, "custom.nope", "Unknown custom field."),
    ({"custom.region": "火星"}, "custom.region", "Choose one of: 华南, 华北"),
    ({"custom.seats": "many"}, "custom.seats", "Enter a number."),
    ({"custom.signed": "soon"}, "custom.signed", "Enter a date as YYYY-MM-DD."),
    ({"custom.vip": "perhaps"}, "custom.vip", "Enter yes or no."),
    ({"custom.buddy": str(2**64)}, "custom.buddy", "Choose a user."),
    ({"custom.note": "x\x00"}, "custom.note", "Text cannot contain NUL characters."),
    ({"custom.note": "长" * 501}, "custom.note", "Enter at most 500 characters."),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD_VALUES)
def test_bad_values_are_a_clear_error_on_their_field(deals, data, field, message):
    filterset = _filterset(data, deals.org.admin)

    assert not filterset.is_valid()
    assert filterset.errors == {field: [message]}


def test_a_boolean_custom_field_left_at_any_by_an_older_form_sets_no_filter(deals):
    assert _names({"cf_vip": "unknown"}, deals.org.admin) == ["丙项目", "乙项目", "甲项目"]


def test_the_api_reads_no_custom_field_definitions_unless_asked_to_filter_on_one(deals):
    with CaptureQueriesContext(connection) as plain:
        assert _filterset({"owner": deals.org.rep_a.pk}, deals.org.admin).is_valid()
    with CaptureQueriesContext(connection) as custom:
        assert _filterset({"custom.region": "华南"}, deals.org.admin).is_valid()

    assert len(plain) == 0
    assert len(custom) == 1


def test_a_web_form_has_every_custom_field_after_the_list_filters(deals):
    filterset = _filterset({}, deals.org.admin, all_custom_fields=True)

    names = [field.name for field in filterset.form_fields()]

    assert names == [
        "q", "mine", "owner", "team", "tag", "priority", "source", "expected_close_after", "expected_close_before",
        "pipeline", "stage", "status", "health", "lead_grade", "deal_type", "forecast_category",
        "custom.region", "custom.modules", "custom.note", "custom.seats", "custom.signed", "custom.vip", "custom.buddy",
    ]  # fmt: skip


def test_the_board_form_has_its_own_filters(deals):
    filterset = _filterset({"close_from": "2030-01-01"}, deals.org.admin)

    fields = filterset.form_fields(DealFilterSet.BOARD_FILTERS)

    assert [field.name for field in fields] == [
        "q", "mine", "owner", "team", "tag", "priority", "source", "expected_close_after", "expected_close_before",
    ]  # fmt: skip
    assert fields[7].value() == "2030-01-01"


def test_company_choices_are_only_the_chosen_visible_companies(deals):
    org = deals.org
    hidden = CompanyFactory(owner=org.rep_b, name="别人的客户")
    CompanyFactory(owner=org.rep_a, name="没选的客户")
    filterset = _filterset({"company": [deals.company.pk, hidden.pk]}, org.rep_a)

    field = next(f for f in filterset.form_fields() if f.name == "company")
    html = str(field)

    assert "阿尔法科技" in html
    assert "别人的客户" not in html
    assert "没选的客户" not in html


def test_owner_and_team_choices_come_from_the_visibility_queries(deals):
    org = deals.org
    org.rep_b.is_active = False
    org.rep_b.save()
    filterset = _filterset({}, org.rep_a)

    owners, teams = str(filterset.form["owner"]), str(filterset.form["team"])

    assert f'<option value="{org.rep_a.pk}">' in owners
    assert f'<option value="{org.rep_b.pk}">' not in owners  # no longer active
    assert f'<option value="{org.north.pk}">华南北区</option>' in teams


def test_active_count_counts_the_filters_set(deals):
    org = deals.org
    filterset = _filterset({"pipeline": org.pipeline.pk, "priority": "high", "mine": "on", "q": ""}, org.rep_a)

    assert filterset.active_count() == 3
    assert filterset.active_count(ignore=("pipeline",)) == 2
    assert _filterset({"owner": "x"}, org.rep_a).active_count() == 0


def test_the_list_page_shows_a_bad_filter_and_the_unfiltered_list(client, deals):
    client.force_login(deals.org.rep_a)

    response = client.get(reverse("deals:list"), {"custom.region": "火星"})

    assert response.status_code == 200
    assert response.context["filterset"].errors == {"custom.region": ["Choose one of: 华南, 华北"]}
    assert "Choose one of: 华南, 华北" in response.content.decode()
    assert [row["obj"].name for row in response.context["table"]] == ["甲项目"]


def test_an_export_with_a_bad_filter_exports_nothing_and_says_why(client, deals):
    client.force_login(deals.org.rep_a)

    response = client.get(reverse("deals:list"), {"owner": "abc", "export": "csv"}, follow=True)

    assert response.redirect_chain == [(f"{reverse('deals:list')}?owner=abc", 302)]
    assert "Fix the filters first; nothing was exported." in response.content.decode()
    assert "Enter whole-number ids." in response.content.decode()


def test_an_export_has_the_filtered_rows_with_an_older_filter_name(client, deals):
    client.force_login(deals.org.admin)

    response = client.get(reverse("deals:list"), {"close_from": "2030-02-01", "export": "csv", "cols": "name"})

    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["乙项目"]


def test_the_board_counts_filters_but_not_the_pipeline_it_shows(client, deals):
    client.force_login(deals.org.manager_a)

    response = client.get(reverse("deals:board"), {"pipeline": deals.org.pipeline.pk, "team": deals.org.north.pk})

    assert response.context["active_filters"] == 1
    assert sum(column.totals.count for column in response.context["columns"]) == 1


def test_the_api_filters_with_the_same_filterset(api, deals):
    client = api(deals.org.rep_a)

    mine = client.get("/deals", {"mine": "true"})
    bad = client.get("/deals", {"custom.seats": "many"})

    assert [row["name"] for row in mine.json()["results"]] == ["甲项目"]
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"custom.seats": ["Enter a number."]}


def test_the_api_documents_every_filter_of_the_filterset(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/deals"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    descriptions = {p["name"]: p.get("description") for p in operation["parameters"]}

    assert set(DealFilterSet.base_filters) <= names
    assert descriptions["team"] == "Team (with the teams below it) (ids)"

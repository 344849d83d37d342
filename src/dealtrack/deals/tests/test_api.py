"""Deal endpoints: the same services and rules as the web app, versions guarding every write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.services import update_deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import CompanyFactory, ContactFactory, LostReasonFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db


def stage(org, kind=StageKind.OPEN, index=0):
    return org.pipeline.stages.filter(kind=kind).order_by("position")[index]


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_get_deal_returns_fields_and_etag(org, api, make_deal):
    deal = make_deal(owner=org.rep_a, value="120000.50")

    response = api(org.rep_a).get(f"/deals/{deal.pk}")

    body = response.json()
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert body["name"] == deal.name
    assert body["owner"] == org.rep_a.pk
    assert body["stage"] == deal.stage_id
    assert Decimal(body["value"]) == Decimal("120000.50")
    assert body["probability"] == deal.stage.probability
    assert body["version"] == 1
    assert body["included"] is None


def test_unknown_deal_is_404_problem(org, api):
    response = api(org.rep_a).get("/deals/999999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_create_deal_calls_the_service_and_answers_201_with_location(org, api):
    company = CompanyFactory(owner=org.rep_a)
    tag = TagFactory(name="重点")

    response = api(org.rep_a).post(
        "/deals",
        {"name": "数据中心扩容", "company": company.pk, "value": "880000", "tags": [tag.name, "新标签"]},
    )

    assert response.status_code == 201
    deal = Deal.objects.get(name="数据中心扩容")
    assert response["Location"] == f"/api/v1/deals/{deal.pk}"
    assert deal.owner == org.rep_a
    assert deal.company == company
    assert deal.stage == stage(org)
    assert sorted(response.json()["tags"]) == sorted(["重点", "新标签"])
    assert list(DealEvent.objects.filter(deal=deal).values_list("type", flat=True)) == [EventType.CREATED]


def test_create_deal_with_bad_fields_is_422_with_field_errors_and_creates_nothing(org, api):
    response = api(org.rep_a).post("/deals", {"name": "  ", "value": "-5", "probability_override": 120})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"value", "probability_override"}
    assert Deal.objects.count() == 0


def test_create_deal_refused_by_service_is_422_with_its_message(org, api):
    response = api(org.rep_a).post("/deals", {"name": "  "})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["errors"] == {"name": ["This field is required."]}
    assert Deal.objects.count() == 0


def test_unknown_body_field_is_refused(org, api):
    response = api(org.rep_a).post("/deals", {"name": "x", "stagee": 1})

    assert response.status_code == 422
    assert response.json()["errors"] == {"stagee": ["Unknown field."]}


def test_malformed_json_is_400_problem_not_500(org, api):
    response = api(org.rep_a).raw("POST", "/deals", "{not json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["The request body is not valid JSON."]}
    assert response["Content-Type"] == "application/problem+json"
    assert Deal.objects.count() == 0


def test_patch_with_current_version_changes_only_sent_fields(org, api, make_deal):
    deal = make_deal(owner=org.rep_a, next_step="电话回访")

    response = api(org.rep_a).patch(f"/deals/{deal.pk}", {"version": 1, "value": "5000"})

    deal.refresh_from_db()
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert deal.value == Decimal("5000.00")
    assert deal.next_step == "电话回访"
    assert deal.version == 2


def test_patch_with_if_match_works_like_version(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)
    etag = client.get(f"/deals/{deal.pk}")["ETag"]

    response = client.patch(f"/deals/{deal.pk}", {"next_step": "报价"}, headers={"If-Match": etag})

    assert response.status_code == 200
    assert response.json()["next_step"] == "报价"


def test_stale_version_is_409_with_current_version_and_nothing_overwritten(org, api, make_deal):
    deal = make_deal(owner=org.rep_a, next_step="旧")
    update_deal(deal=deal, actor=org.rep_a2, changes={"next_step": "同事改的"}, version=1)

    response = api(org.rep_a).patch(f"/deals/{deal.pk}", {"version": 1, "next_step": "我改的"})

    deal.refresh_from_db()
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == 2
    assert response["ETag"] == '"2"'
    assert deal.next_step == "同事改的"


def test_stale_if_match_is_409(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    update_deal(deal=deal, actor=org.rep_a, changes={"next_step": "x"}, version=1)

    response = api(org.rep_a).post(f"/deals/{deal.pk}/won", {}, headers={"If-Match": '"1"'})

    deal.refresh_from_db()
    assert response.status_code == 409
    assert deal.status == DealStatus.OPEN


def test_write_without_version_is_428_and_changes_nothing(org, api, make_deal):
    deal = make_deal(owner=org.rep_a, next_step="旧")

    response = api(org.rep_a).patch(f"/deals/{deal.pk}", {"next_step": "新"})

    deal.refresh_from_db()
    assert response.status_code == 428
    assert response.json()["code"] == "version_required"
    assert deal.next_step == "旧"


def test_if_match_star_writes_over_any_version(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    update_deal(deal=deal, actor=org.rep_a, changes={"next_step": "x"}, version=1)

    response = api(org.rep_a).patch(f"/deals/{deal.pk}", {"next_step": "覆盖"}, headers={"If-Match": "*"})

    assert response.status_code == 200
    assert response.json()["version"] == 3


def test_malformed_if_match_is_422(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).patch(f"/deals/{deal.pk}", {"next_step": "x"}, headers={"If-Match": "banana"})

    assert response.status_code == 422
    assert "If-Match" in response.json()["errors"]


def test_move_to_stage_requiring_fields_is_422_listing_them(org, api, make_deal):
    target = stage(org, index=2)
    target.required_fields = ["expected_close_date"]
    target.save()
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).post(f"/deals/{deal.pk}/move", {"stage": target.pk, "version": 1})

    deal.refresh_from_db()
    assert response.status_code == 422
    assert response.json()["code"] == "missing_required_fields"
    assert response.json()["missing"] == ["expected_close_date"]
    assert deal.stage == stage(org)


def test_move_fills_values_then_moves(org, api, make_deal):
    target = stage(org, index=2)
    target.required_fields = ["expected_close_date"]
    target.save()
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).post(
        f"/deals/{deal.pk}/move",
        {"stage": target.pk, "version": 1, "values": {"expected_close_date": "2030-06-30"}},
    )

    deal.refresh_from_db()
    assert response.status_code == 200
    assert deal.stage == target
    assert deal.expected_close_date == dt.date(2030, 6, 30)


def test_move_to_stage_of_another_pipeline_is_422(org, api, make_deal):
    from dealtrack.pipelines.services import create_pipeline

    other = create_pipeline(name="续约").stages.first()
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).post(f"/deals/{deal.pk}/move", {"stage": other.pk, "version": 1})

    assert response.status_code == 422
    assert "stage" in response.json()["errors"]


def test_won_lost_reopen_reassign(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    reason = LostReasonFactory()
    client = api(org.rep_a)

    won = client.post(f"/deals/{deal.pk}/won", {"version": 1})
    reopened = client.post(f"/deals/{deal.pk}/reopen", {"version": won.json()["version"]})
    lost = client.post(f"/deals/{deal.pk}/lost", {"version": reopened.json()["version"], "reason": reason.pk})
    reassigned = client.post(f"/deals/{deal.pk}/reassign", {"version": lost.json()["version"], "owner": org.rep_a2.pk})

    assert [won.status_code, reopened.status_code, lost.status_code, reassigned.status_code] == [200] * 4
    assert won.json()["status"] == "won"
    assert reopened.json()["status"] == "open"
    assert lost.json()["status"] == "lost"
    assert lost.json()["lost_reason"] == reason.pk
    assert reassigned.json()["owner"] == org.rep_a2.pk
    types = list(DealEvent.objects.filter(deal=deal).order_by("occurred_at", "id").values_list("type", flat=True))
    assert types.count(EventType.WON) == 1
    assert types.count(EventType.LOST) == 1
    assert types[-1] == EventType.OWNER_CHANGED


def test_lost_without_reason_is_422_and_deal_stays_open(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)

    response = api(org.rep_a).post(f"/deals/{deal.pk}/lost", {"version": 1})

    deal.refresh_from_db()
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    assert deal.status == DealStatus.OPEN


def test_winning_a_won_deal_is_422_not_500(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)
    client.post(f"/deals/{deal.pk}/won", {"version": 1})

    response = client.post(f"/deals/{deal.pk}/won", {}, headers={"If-Match": "*"})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_events_list_the_deal_log_newest_first(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    api(org.rep_a).post(f"/deals/{deal.pk}/won", {"version": 1})

    response = api(org.rep_a).get(f"/deals/{deal.pk}/events")

    assert [e["type"] for e in response.json()["results"]] == ["won", "stage_changed", "created"]


def test_list_filters_like_the_web_list(org, api, make_deal):
    source = SourceFactory()
    tag = TagFactory()
    mine = make_deal(owner=org.rep_a, name="甲", source=source, expected_close_date=dt.date(2030, 1, 10))
    north = make_deal(owner=org.rep_north, name="乙", priority="high", expected_close_date=dt.date(2030, 3, 1))
    make_deal(owner=org.rep_a2, name="丙", tags=[tag])
    client = api(org.manager_a)

    assert ids(client.get("/deals", {"owner": org.rep_a.pk})) == [mine.pk]
    assert ids(client.get("/deals", {"team": org.north.pk})) == [north.pk]
    assert len(ids(client.get("/deals", {"team": org.sales.pk}))) == 3  # the team with the one nested below it
    assert ids(client.get("/deals", {"priority": "high"})) == [north.pk]
    assert ids(client.get("/deals", {"source": source.pk})) == [mine.pk]
    assert ids(client.get("/deals", {"tag": tag.pk})) == [Deal.objects.get(name="丙").pk]
    assert ids(client.get("/deals", {"q": "乙"})) == [north.pk]
    assert ids(client.get("/deals", {"expected_close_after": "2030-02-01"})) == [north.pk]
    assert ids(client.get("/deals", {"expected_close_before": "2030-02-01"})) == [mine.pk]
    assert ids(client.get("/deals", {"stage": stage(org).pk, "status": "open", "order": "name"})) == [
        d.pk for d in sorted(Deal.objects.all(), key=lambda d: d.name)
    ]


def test_list_filters_on_custom_fields(org, api, make_deal):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL,
        key="region",
        label="区域",
        field_type=CustomFieldType.CHOICE,
        choices=["华南", "华北"],
    )
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL,
        key="modules",
        label="模块",
        field_type=CustomFieldType.MULTI_CHOICE,
        choices=["CRM", "ERP", "财务"],
    )
    south = make_deal(owner=org.rep_a, custom={"region": "华南", "modules": ["CRM", "财务"]})
    make_deal(owner=org.rep_a, custom={"region": "华北", "modules": ["ERP"]})
    client = api(org.rep_a)

    assert ids(client.get("/deals", {"custom.region": "华南"})) == [south.pk]
    assert ids(client.get("/deals", {"custom.modules": "财务"})) == [south.pk]
    assert ids(client.get("/deals", {"custom.modules": "CRM"})) == [south.pk]
    unknown = client.get("/deals", {"custom.nope": "x"})
    bad = client.get("/deals", {"custom.region": "火星"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"custom.nope": ["Unknown custom field."]}
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["custom.region"]


def test_updated_since_returns_only_changed_deals(org, api, make_deal):
    old = make_deal(owner=org.rep_a, name="旧")
    Deal.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    recent = make_deal(owner=org.rep_a, name="新")
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()

    response = api(org.rep_a).get("/deals", {"updated_since": since, "order": "updated_at"})

    assert ids(response) == [recent.pk]


def test_include_embeds_company_and_visible_contacts(org, api, make_deal):
    company = CompanyFactory(owner=org.rep_a)
    contact = ContactFactory(company=company)
    deal = make_deal(owner=org.rep_a, company=company, primary_contact=contact)

    response = api(org.rep_a).get(f"/deals/{deal.pk}", {"include": ["company", "contacts"]})

    included = response.json()["included"]
    assert included["company"]["id"] == company.pk
    assert [c["id"] for c in included["contacts"]] == [contact.pk]


def test_list_query_count_does_not_grow_with_rows(org, api, make_deal):
    client = api(org.rep_a)
    for i in range(3):
        make_deal(owner=org.rep_a, name=f"a{i}", tags=["t"], collaborators=[org.rep_a2])
    client.get("/deals")  # warm: token last-used write happens once a minute
    with CaptureQueriesContext(connection) as few:
        client.get("/deals", {"include": ["company", "contacts"]})
    for i in range(6):
        make_deal(owner=org.rep_a, name=f"b{i}", tags=["t"], collaborators=[org.rep_a2])
    with CaptureQueriesContext(connection) as many:
        client.get("/deals", {"include": ["company", "contacts"]})

    assert len(many) == len(few)
    assert len(few) <= 10

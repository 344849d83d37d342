"""Idempotency-Key: a retried POST gets the first answer and creates nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dealtrack.api.models import IdempotencyRecord
from dealtrack.api.tasks import purge_idempotency_records
from dealtrack.deals.models import Deal

pytestmark = pytest.mark.django_db


def test_retry_with_same_key_replays_first_answer_and_creates_once(org, api):
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "3f1c2a9e-retry"}

    first = client.post("/deals", {"name": "幂等项目"}, headers=headers)
    second = client.post("/deals", {"name": "幂等项目"}, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Deal.objects.filter(name="幂等项目").count() == 1


def test_same_key_with_another_body_is_refused_and_creates_nothing(org, api):
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "k1"}
    client.post("/deals", {"name": "甲"}, headers=headers)

    response = client.post("/deals", {"name": "乙"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Deal.objects.filter(name="乙").exists()


def test_keys_belong_to_their_user(org, api):
    headers = {"Idempotency-Key": "shared"}
    api(org.rep_a).post("/deals", {"name": "甲"}, headers=headers)

    response = api(org.rep_b).post("/deals", {"name": "甲"}, headers=headers)

    assert response.status_code == 201
    assert Deal.objects.filter(name="甲").count() == 2


def test_a_refused_request_does_not_use_up_its_key(org, api):
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "fix-and-retry"}

    refused = client.post("/deals", {"name": "  "}, headers=headers)
    accepted = client.post("/deals", {"name": "  "}, headers=headers)

    assert refused.status_code == accepted.status_code == 422
    assert IdempotencyRecord.objects.count() == 0


def test_json_key_order_and_spacing_do_not_make_a_different_request(org, api):
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "order"}
    client.raw("POST", "/deals", '{"name": "甲", "value": "5"}', headers=headers)

    again = client.raw("POST", "/deals", '{"value":"5","name":"甲"}', headers=headers)

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Deal.objects.count() == 1


def test_expired_key_may_be_used_afresh(org, api, settings):
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "old"}
    client.post("/deals", {"name": "甲"}, headers=headers)
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1))

    response = client.post("/deals", {"name": "乙"}, headers=headers)

    assert response.status_code == 201
    assert Deal.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_unusable_keys_are_422(org, api, key):
    response = api(org.rep_a).post("/deals", {"name": "甲"}, headers={"Idempotency-Key": key})

    assert response.status_code == 422
    assert Deal.objects.count() == 0


def test_action_endpoints_are_idempotent_too(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)
    headers = {"Idempotency-Key": "win-once"}

    first = client.post(f"/deals/{deal.pk}/won", {"version": 1}, headers=headers)
    second = client.post(f"/deals/{deal.pk}/won", {"version": 1}, headers=headers)

    assert first.status_code == second.status_code == 200
    assert second.json()["version"] == first.json()["version"]


def test_purge_deletes_only_expired_records(org, api, settings):
    client = api(org.rep_a)
    client.post("/deals", {"name": "甲"}, headers={"Idempotency-Key": "a"})
    client.post("/deals", {"name": "乙"}, headers={"Idempotency-Key": "b"})
    IdempotencyRecord.objects.filter(key="a").update(
        created_at=timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)
    )

    purge_idempotency_records.call()

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["b"]


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "big"}])
def test_oversized_body_is_413_problem(org, api, settings, headers):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api(org.rep_a).post("/deals", {"name": "大" * 2000}, headers=headers)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert Deal.objects.count() == 0

"""Who may call: tokens (hashed, scoped, revocable, last use recorded), sessions with CSRF, nobody else."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dealtrack.core.models import ApiToken
from dealtrack.core.tokens import create_api_token, revoke_api_token
from dealtrack.customers.models import Company
from dealtrack.testing.api import API, ApiClient

pytestmark = pytest.mark.django_db


def test_no_credentials_get_401_problem_with_bearer_challenge(org, api):
    response = api(None).get("/me")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="dealtrack"'
    assert response.json()["code"] == "not_authenticated"


def test_token_authenticates_its_user(org, api):
    response = api(org.rep_a).get("/me")

    assert response.status_code == 200
    assert response.json()["username"] == "rep_a"


def test_unknown_token_is_refused(org, api):
    response = ApiClient("dt_not-a-token").get("/me")

    assert response.status_code == 401


def test_revoked_token_is_refused(org):
    token, raw = create_api_token(user=org.rep_a)
    revoke_api_token(token=token)

    assert ApiClient(raw).get("/me").status_code == 401


def test_token_of_inactive_user_is_refused(org):
    _token, raw = create_api_token(user=org.rep_a)
    org.rep_a.is_active = False
    org.rep_a.save()

    assert ApiClient(raw).get("/me").status_code == 401


def test_use_records_last_used_time(org):
    token, raw = create_api_token(user=org.rep_a)

    ApiClient(raw).get("/me")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_read_token_reads_but_cannot_write(org, api):
    client = api(org.rep_a, scope=ApiToken.Scope.READ)

    assert client.get("/companies").status_code == 200
    response = client.post("/companies", {"name": "只读公司"})

    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert not Company.objects.filter(name="只读公司").exists()


def test_session_reads_without_csrf(org):
    client = Client()
    client.force_login(org.rep_a)

    response = client.get(f"{API}/me")

    assert response.status_code == 200
    assert response.json()["username"] == "rep_a"


def test_session_write_without_csrf_token_is_refused(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep_a)

    response = client.post(f"{API}/companies", json.dumps({"name": "跨站公司"}), content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Company.objects.filter(name="跨站公司").exists()


def test_session_write_with_csrf_token_is_accepted(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep_a)
    client.get("/login/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value

    response = client.post(
        f"{API}/companies",
        json.dumps({"name": "本站公司"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 201
    assert Company.objects.get(name="本站公司").owner == org.rep_a


def test_messages_follow_accept_language(org, api):
    response = api(org.rep_a, language="en").get("/users", {"team": "abc"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"team": ["Enter a whole number."]}


def test_messages_default_to_the_site_language(org, api, settings):
    settings.LANGUAGE_CODE = "zh-hans"

    response = api(org.rep_a, language="").get("/users", {"team": "abc"})

    assert response.json()["errors"] == {"team": ["输入整数。"]}


def test_messages_follow_the_token_owners_language_without_accept_language(org, api, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    org.rep_a.language = "en"
    org.rep_a.save()

    response = api(org.rep_a, language="").get("/users", {"team": "abc"})

    assert response.json()["errors"] == {"team": ["Enter a whole number."]}

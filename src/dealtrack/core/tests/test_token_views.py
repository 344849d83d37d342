"""The profile page where people create (see once) and revoke their API tokens."""

from __future__ import annotations

import re

import pytest

from dealtrack.core.models import ApiToken
from dealtrack.core.tokens import create_api_token, hash_token, user_for_token

pytestmark = pytest.mark.django_db

URL = "/profile/tokens/"


def test_page_needs_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_create_shows_the_token_once_and_stores_only_its_hash(org, client):
    client.force_login(org.rep_a)

    created = client.post(URL, {"name": "ERP 同步", "scope": "read"})
    raw = re.search(r'<code id="new-token">([^<]+)</code>', created.content.decode()).group(1)
    later = client.get(URL)

    token = ApiToken.objects.get(user=org.rep_a)
    assert created.status_code == 200
    assert token.name == "ERP 同步"
    assert token.scope == ApiToken.Scope.READ
    assert token.token_hash == hash_token(raw)
    assert user_for_token(raw)[0] == org.rep_a
    assert raw not in later.content.decode()
    assert token.prefix in later.content.decode()


def test_bad_scope_creates_nothing(org, client):
    client.force_login(org.rep_a)

    response = client.post(URL, {"name": "x", "scope": "admin"})

    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


def test_revoke_own_token(org, client):
    token, raw = create_api_token(user=org.rep_a)
    client.force_login(org.rep_a)

    response = client.post(f"{URL}{token.pk}/revoke/")

    token.refresh_from_db()
    assert response.status_code == 302
    assert token.revoked_at is not None
    assert user_for_token(raw) is None


def test_cannot_revoke_someone_elses_token(org, client):
    token, raw = create_api_token(user=org.rep_b)
    client.force_login(org.rep_a)

    response = client.post(f"{URL}{token.pk}/revoke/")

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_lists_only_own_tokens(org, client):
    mine, _raw = create_api_token(user=org.rep_a, name="mine")
    other, _raw = create_api_token(user=org.rep_b, name="theirs")
    client.force_login(org.rep_a)

    page = client.get(URL).content.decode()

    assert mine.prefix in page
    assert other.prefix not in page

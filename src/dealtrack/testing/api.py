"""Fixtures for API tests: a client that speaks JSON with a personal token, as an integrator would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from dealtrack.core.models import ApiToken, User
from dealtrack.core.tokens import create_api_token

API = "/api/v1"


class ApiClient:
    """`get/post/patch` against /api/v1 with `Authorization: Bearer <token>`; answers have `.json()`."""

    def __init__(self, token: str | None, language: str = "en") -> None:
        self.token = token
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language} if language else {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**self.headers, **(extra or {})}

    def get(self, path: str, params: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        data = json.dumps(body if body is not None else {})
        return self.client.post(API + path, data, content_type="application/json", headers=self._headers(headers))

    def patch(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        data = json.dumps(body if body is not None else {})
        return self.client.patch(API + path, data, content_type="application/json", headers=self._headers(headers))

    def raw(self, method: str, path: str, data: str, headers: dict[str, str] | None = None) -> Any:
        send = getattr(self.client, method.lower())
        return send(API + path, data, content_type="application/json", headers=self._headers(headers))


@pytest.fixture
def api(db: Any) -> Callable[..., ApiClient]:
    """`api(user)` → a client with a fresh read-write token for `user`; `api(user, scope="read")`; `api(None)`."""
    caches["default"].clear()  # rate-limit counters are keyed by token id, which a rolled-back test may reuse

    def for_user(user: User | None, *, scope: str = ApiToken.Scope.READ_WRITE, language: str = "en") -> ApiClient:
        if user is None:
            return ApiClient(None, language)
        _token, raw = create_api_token(user=user, name="test", scope=scope)
        return ApiClient(raw, language)

    return for_user

"""Per-token rate limit: a sliding window over Django's cache, answered with 429 and Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from dealtrack.api.ratelimit import hit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()


def test_allows_the_limit_then_refuses_within_the_window():
    decisions = [hit("t", limit=3, window=10, now=1000.0 + i) for i in range(4)]

    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    assert 1 <= decisions[3].retry_after <= 2 * 10  # the full window must slide past the burst


def test_refused_requests_are_not_counted():
    for i in range(3):
        hit("t", limit=3, window=10, now=1000.0 + i * 0.1)
    refused = [hit("t", limit=3, window=10, now=1001.0) for _ in range(5)]

    assert not any(d.allowed for d in refused)
    assert hit("t", limit=3, window=10, now=1020.5).allowed


def test_previous_window_weighs_in_then_decays():
    for i in range(3):
        hit("t", limit=3, window=10, now=1009.0 + i * 0.1)  # late in window 100

    early_next = hit("t", limit=3, window=10, now=1011.0)  # 90 % of the previous window still counts
    late_next = hit("t", limit=3, window=10, now=1018.0)  # only 20 % does

    assert not early_next.allowed
    assert late_next.allowed


def test_retry_after_is_when_a_request_fits_again():
    for i in range(3):
        hit("t", limit=3, window=10, now=1000.0 + i)
    refused = hit("t", limit=3, window=10, now=1005.0)

    too_early = hit("t", limit=3, window=10, now=1005.0 + refused.retry_after - 1)
    later = hit("t", limit=3, window=10, now=1005.0 + refused.retry_after)

    assert not too_early.allowed
    assert later.allowed


def test_buckets_are_independent():
    for i in range(3):
        hit("a", limit=3, window=10, now=1000.0 + i)

    assert not hit("a", limit=3, window=10, now=1003.0).allowed
    assert hit("b", limit=3, window=10, now=1003.0).allowed


def test_api_answers_429_with_retry_after_per_token(org, api, settings):
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_LIMIT_WINDOW = 60
    client = api(org.rep_a)

    statuses = [client.get("/me").status_code for _ in range(3)]
    refused = client.get("/me")

    assert statuses == [200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 2 * 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    assert api(org.rep_a).get("/me").status_code == 200  # another token has its own budget

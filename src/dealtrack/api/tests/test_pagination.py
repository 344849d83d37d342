"""Cursor pagination: every row exactly once in every allowed order, stable while rows change."""

from __future__ import annotations

import datetime as dt

import pytest

from dealtrack.deals.models import Deal
from dealtrack.deals.services import update_deal

pytestmark = pytest.mark.django_db


def walk(client, path, params):
    """All pages of a list; returns the ids in the order they came and the number of pages."""
    seen, pages, cursor = [], 0, None
    while True:
        response = client.get(path, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert body["next"] is None
            return seen, pages


@pytest.fixture
def seven_deals(org, make_deal):
    closes = [dt.date(2030, 1, 1), None, dt.date(2030, 1, 1), dt.date(2029, 5, 5), None, dt.date(2031, 1, 1), None]
    values = ["100", "100", "300", "50", "100", "700", "100"]
    return [
        make_deal(owner=org.rep_a, name=f"deal {i % 3}", expected_close_date=close, value=value)
        for i, (close, value) in enumerate(zip(closes, values, strict=True))
    ]


@pytest.mark.parametrize(
    "order",
    ["created_at", "-created_at", "value", "-value", "expected_close_date", "-expected_close_date", "name", "-name"],
)
def test_pages_hold_every_row_once_in_order(org, api, seven_deals, order):
    field = {"value": "value_base"}.get(order.lstrip("-"), order.lstrip("-"))
    descending = order.startswith("-")
    rows = list(Deal.objects.all())

    def key(deal):
        value = getattr(deal, field)
        return (value is None, value if value is not None else 0, deal.pk)

    expected = sorted(rows, key=key)
    if descending:
        nulls = [d for d in expected if getattr(d, field) is None]
        expected = sorted([d for d in expected if getattr(d, field) is not None], key=key, reverse=True)
        expected += sorted(nulls, key=lambda d: d.pk, reverse=True)

    seen, pages = walk(api(org.rep_a), "/deals", {"order": order, "limit": 2})

    assert seen == [d.pk for d in expected]
    assert pages == 4


def test_rows_changed_while_paging_are_neither_repeated_nor_skipped(org, api, seven_deals):
    client = api(org.rep_a)
    first = client.get("/deals", {"order": "id", "limit": 3}).json()
    update_deal(deal=seven_deals[0], actor=org.rep_a, changes={"next_step": "改"}, version=1)
    Deal.objects.filter(pk=seven_deals[1].pk).delete()

    rest, _pages = walk(client, "/deals", {"order": "id", "limit": 3, "cursor": first["next_cursor"]})

    assert [row["id"] for row in first["results"]] == [d.pk for d in seven_deals[:3]]
    assert rest == [d.pk for d in seven_deals[3:]]


def test_count_is_given_when_asked(org, api, seven_deals):
    body = api(org.rep_a).get("/deals", {"limit": 2, "count": "true"}).json()

    assert body["count"] == 7
    assert api(org.rep_a).get("/deals", {"limit": 2}).json()["count"] is None


def test_next_is_the_full_url_with_filters_kept(org, api, seven_deals):
    body = api(org.rep_a).get("/deals", {"limit": 2, "status": "open"}).json()

    assert body["next"].startswith("http://testserver/api/v1/deals?")
    assert "status=open" in body["next"]
    assert f"cursor={body['next_cursor']}" in body["next"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "WyJpZCIsMSwtNV0", "W10"])
def test_broken_cursors_are_422(org, api, seven_deals, cursor):
    response = api(org.rep_a).get("/deals", {"cursor": cursor, "order": "id"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["cursor"]


def test_cursor_of_another_order_is_refused(org, api, seven_deals):
    cursor = api(org.rep_a).get("/deals", {"order": "name", "limit": 2}).json()["next_cursor"]

    response = api(org.rep_a).get("/deals", {"order": "value", "cursor": cursor})

    assert response.status_code == 422


@pytest.mark.parametrize("limit", ["0", "201", "abc"])
def test_limit_out_of_range_is_422(org, api, limit):
    assert api(org.rep_a).get("/deals", {"limit": limit}).status_code == 422

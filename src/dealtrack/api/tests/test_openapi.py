"""The schema at /api/v1/openapi.json and the docs page at /api/v1/docs, which needs no internet."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from dealtrack.deals.models import Deal

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_declares_problem_answers(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    assert "Problem" in schema["components"]["schemas"]
    patch = schema["paths"]["/api/v1/deals/{deal_id}"]["patch"]
    for status in ("401", "403", "404", "409", "422", "428", "429"):
        assert list(patch["responses"][status]["content"]) == ["application/problem+json"]
    assert {p["name"] for p in patch["parameters"] if p["in"] == "header"} == {"If-Match"}
    post = schema["paths"]["/api/v1/deals"]["post"]
    assert {p["name"] for p in post["parameters"] if p["in"] == "header"} == {"Idempotency-Key"}


def test_schema_documents_the_list_filters(client):
    schema = client.get("/api/v1/openapi.json").json()

    names = {p["name"] for p in schema["paths"]["/api/v1/deals"]["get"]["parameters"]}

    assert {"owner", "team", "stage", "pipeline", "status", "tag", "priority", "source", "q"} <= names
    assert {"expected_close_after", "expected_close_before", "updated_since", "order", "cursor", "limit"} <= names


def test_schema_names_both_authentication_schemes(client):
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]

    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_docs_page_loads_only_local_assets(client):
    html = client.get("/api/v1/docs").content.decode()

    assert "//cdn" not in html
    assert "https://" not in html
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {"ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"} <= set(assets)
    assert all(finders.find(asset) for asset in assets)


def test_unknown_api_urls_and_methods_answer_problems(org, api, make_deal):
    deal = make_deal(owner=org.rep_a)
    client = api(org.rep_a)

    unknown = client.get("/no-such-thing")
    wrong_method = client.raw("DELETE", f"/deals/{deal.pk}", "")

    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"] == "application/problem+json"
    assert set(wrong_method["Allow"].split(", ")) == {"GET", "PATCH"}
    assert Deal.objects.filter(pk=deal.pk).exists()

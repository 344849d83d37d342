"""Templates import as their entity; an export re-imported unchanged changes nothing and restores the same data."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from dealtrack.customers.models import Company
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.services import mark_deal_lost, mark_deal_won
from dealtrack.imports.fields import auto_mapping
from dealtrack.imports.importers import ImportOptions
from dealtrack.imports.parsing import read_table
from dealtrack.imports.services import import_table
from dealtrack.imports.spreadsheet_templates import TEMPLATES
from dealtrack.testing.factories import LostReasonFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_every_template_column_is_recognised_and_the_example_row_imports(client, org, tmp_path, key):
    client.force_login(org.admin)
    template = TEMPLATES[key]

    response = client.get(reverse("imports:template", args=[key]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    table = read_table(path)
    result = import_table(
        entity=template.entity,
        table=table,
        actor=org.admin,
        options=ImportOptions(create_missing=True),
    )

    assert table.headers == list(template.headers)
    assert set(auto_mapping(template.entity, table.headers)) == set(template.headers)
    assert result.errors == []
    assert (result.created, result.written) == (1, True)


def _seconds(value):
    return value.replace(microsecond=0) if hasattr(value, "microsecond") else value


def _field_values() -> list[tuple]:
    """The deals as a spreadsheet shows them (times to the second)."""
    return sorted(
        tuple(_seconds(v) for v in row)
        for row in Deal.objects.values_list(
            "external_id", "name", "company__name", "owner__username", "stage__name", "status", "value",
            "created_at", "closed_at", "expected_close_date", "lost_reason__name", "priority",
            "line_items__product__name",
        )
    )  # fmt: skip


@pytest.fixture
def deals(org, make_deal):
    product = ProductFactory(name="云服务器", price=5000)
    first = make_deal(owner=org.rep_a, name="云平台", value="120000.50", expected_close_date="2024-06-30")
    second = make_deal(owner=org.rep_b, name="数据中心", external_id="D-2")
    third = make_deal(owner=org.rep_a, name="=SUM(A1)", value="9")
    mark_deal_won(deal=second, actor=org.rep_b)
    mark_deal_lost(deal=third, actor=org.rep_a, reason=LostReasonFactory(name="Price too high"))
    first.line_items.create(product=product, unit_price=product.price)
    return [first, second, third]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimported_unchanged_changes_nothing(client, org, deals, tmp_path, fmt):
    client.force_login(org.admin)
    path = tmp_path / f"deals.{fmt}"
    path.write_bytes(client.get(reverse("imports:export", args=["deals", fmt])).content)
    before = (_field_values(), DealEvent.objects.count(), Company.objects.count())

    result = import_table(entity="deals", table=read_table(path), actor=org.admin)

    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 3, [])
    assert (_field_values(), DealEvent.objects.count(), Company.objects.count()) == before


def test_export_imported_into_an_empty_pipeline_gives_the_same_deals(client, org, deals, tmp_path):
    client.force_login(org.admin)
    path = tmp_path / "deals.xlsx"
    path.write_bytes(client.get(reverse("imports:export", args=["deals", "xlsx"])).content)
    before = _field_values()
    Deal.objects.all().delete()

    result = import_table(entity="deals", table=read_table(path), actor=org.admin)

    assert (result.created, result.errors) == (3, [])
    assert _field_values() == before
    assert Deal.objects.get(value=9).name == "=SUM(A1)"


def test_exports_respect_visibility(client, org, deals):
    client.force_login(org.rep_b)

    body = client.get(reverse("imports:export", args=["deals", "csv"])).content.decode("utf-8-sig")

    assert "数据中心" in body
    assert "云平台" not in body
    assert client.get(reverse("imports:export", args=["users", "csv"])).status_code == 404


def test_export_neutralises_formulas(client, org, deals):
    client.force_login(org.admin)

    response = client.get(reverse("imports:export", args=["deals", "csv"]), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode("utf-8-sig")

    assert "'=SUM(A1)" in body
    assert io.StringIO(body).readline().startswith("external id,deal name,company")

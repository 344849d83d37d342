"""Typed custom fields: validation per type, required fields, filtering by value."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.custom_fields import clean_custom_values
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.deals.models import Deal
from dealtrack.deals.services import update_deal

pytestmark = pytest.mark.django_db


def define(key, field_type, **extra):
    return CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key=key, label=key, field_type=field_type, **extra
    )


@pytest.mark.parametrize(
    ("field_type", "extra", "raw", "clean"),
    [
        (CustomFieldType.TEXT, {}, "华东", "华东"),
        (CustomFieldType.NUMBER, {}, "1,200.5", "1200.5"),
        (CustomFieldType.MONEY, {}, "99", "99.00"),
        (CustomFieldType.DATE, {}, "2026-03-01", "2026-03-01"),
        (CustomFieldType.CHOICE, {"choices": ["A", "B"]}, "B", "B"),
        (CustomFieldType.MULTI_CHOICE, {"choices": ["A", "B", "C"]}, "A, C", ["A", "C"]),
        (CustomFieldType.BOOLEAN, {}, "是", True),
    ],
)
def test_values_are_typed(field_type, extra, raw, clean):
    define("f", field_type, **extra)

    assert clean_custom_values(CustomFieldEntity.DEAL, {"f": raw}) == {"f": clean}


@pytest.mark.parametrize(
    ("field_type", "extra", "raw"),
    [
        (CustomFieldType.NUMBER, {}, "abc"),
        (CustomFieldType.NUMBER, {}, "NaN"),
        (CustomFieldType.DATE, {}, "03/01/2026"),
        (CustomFieldType.CHOICE, {"choices": ["A"]}, "Z"),
        (CustomFieldType.MULTI_CHOICE, {"choices": ["A"]}, ["A", "Q"]),
        (CustomFieldType.USER, {}, "999999"),
        (CustomFieldType.BOOLEAN, {}, "maybe"),
    ],
)
def test_bad_values_are_refused_per_field(field_type, extra, raw):
    define("f", field_type, **extra)

    with pytest.raises(ValidationError) as exc:
        clean_custom_values(CustomFieldEntity.DEAL, {"f": raw})

    assert list(exc.value.message_dict) == ["custom.f"]


def test_user_field_takes_an_existing_user(org):
    define("engineer", CustomFieldType.USER)

    assert clean_custom_values(CustomFieldEntity.DEAL, {"engineer": str(org.rep_a.pk)}) == {"engineer": org.rep_a.pk}


def test_unknown_and_missing_required_fields(org):
    define("budget", CustomFieldType.MONEY, required=True)

    with pytest.raises(ValidationError) as exc:
        clean_custom_values(CustomFieldEntity.DEAL, {"nope": 1})

    assert set(exc.value.message_dict) == {"custom.nope", "custom.budget"}


def test_custom_values_are_saved_through_the_service_and_filterable(org, make_deal):
    define("region", CustomFieldType.CHOICE, choices=["华东", "华南"])
    define("budget", CustomFieldType.MONEY)
    east = make_deal(owner=org.rep_a, name="east", custom={"region": "华东", "budget": "5000"})
    make_deal(owner=org.rep_a, name="south", custom={"region": "华南"})

    update_deal(deal=east, actor=org.rep_a, version=1, changes={"custom": {"budget": ""}})

    east.refresh_from_db()
    assert east.custom == {"region": "华东"}
    assert list(Deal.objects.filter(custom__region="华东").values_list("name", flat=True)) == ["east"]


def test_stage_can_require_a_custom_field(org, make_deal):
    from dealtrack.deals.exceptions import MissingRequiredFieldsError
    from dealtrack.deals.services import move_deal_to_stage

    define("budget", CustomFieldType.MONEY)
    qualified = org.pipeline.stages.get(position=1)
    qualified.required_fields = ["custom.budget"]
    qualified.save()
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(MissingRequiredFieldsError) as exc:
        move_deal_to_stage(deal=deal, stage=qualified, actor=org.rep_a)
    assert exc.value.missing == ["custom.budget"]

    move_deal_to_stage(deal=deal, stage=qualified, actor=org.rep_a, values={"custom": {"budget": "80000"}})
    deal.refresh_from_db()
    assert (deal.stage, deal.custom) == (qualified, {"budget": "80000.00"})

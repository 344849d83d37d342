"""Pipelines: the default from the first migration, templates, stage ordering."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dealtrack.pipelines import services
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline

pytestmark = pytest.mark.django_db


def test_migration_creates_the_default_pipeline_ending_in_won_and_lost():
    pipeline = Pipeline.objects.get(is_default=True)

    assert [s.name for s in pipeline.stages.all()] == [
        "Evaluating",
        "Qualified",
        "Building proposal",
        "Negotiating",
        "Won",
        "Lost",
    ]
    assert [s.kind for s in pipeline.stages.all()][-2:] == [StageKind.WON, StageKind.LOST]


@pytest.mark.parametrize(
    ("template", "stages"),
    [
        ("salesflare", ["Lead", "Contacted", "Qualified lead", "Proposal", "Won", "Lost"]),
        (
            "process",
            [
                "Customer development",
                "Needs discovery",
                "Solution design",
                "Business negotiation",
                "Contract signing",
                "After-sales service",
                "Won",
                "Lost",
            ],
        ),
    ],
)
def test_pipeline_templates(template, stages):
    pipeline = services.create_pipeline(name=f"p-{template}", template=template)

    assert [s.name for s in pipeline.stages.all()] == stages


def test_unknown_template_and_duplicate_name_are_refused():
    with pytest.raises(ValidationError):
        services.create_pipeline(name="x", template="nope")
    services.create_pipeline(name="续约")
    with pytest.raises(ValidationError):
        services.create_pipeline(name="续约")
    assert Pipeline.objects.filter(name="续约").count() == 1


def test_added_stage_goes_before_won_and_lost():
    pipeline = Pipeline.objects.get(is_default=True)

    services.add_stage(pipeline=pipeline, name="Verbal yes", probability=90)

    assert [s.name for s in pipeline.stages.all()][-3:] == ["Verbal yes", "Won", "Lost"]


def test_a_second_won_stage_is_refused():
    with pytest.raises(ValidationError):
        services.add_stage(pipeline=Pipeline.objects.get(is_default=True), name="Won again", kind=StageKind.WON)


def test_reorder_requires_every_stage_once():
    pipeline = Pipeline.objects.get(is_default=True)
    ids = list(pipeline.stages.values_list("id", flat=True))

    with pytest.raises(ValidationError):
        services.reorder_stages(pipeline=pipeline, stage_ids=ids[:-1])
    services.reorder_stages(pipeline=pipeline, stage_ids=[ids[1], ids[0], *ids[2:]])

    assert list(pipeline.stages.values_list("id", flat=True))[:2] == [ids[1], ids[0]]


def test_stage_names_show_in_the_reader_language_when_catalogs_have_them():
    stage = Pipeline.objects.get(is_default=True).stages.first()

    with translation.override("en"):
        assert stage.display_name == "Evaluating"

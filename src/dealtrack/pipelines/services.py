"""Writes to pipelines and stages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.pipelines.templates_catalog import PIPELINE_TEMPLATES

MAX_STAGES = 12


@transaction.atomic
def create_pipeline(*, name: str, template: str = "slack", is_default: bool = False) -> Pipeline:
    """Create a pipeline with the stages of a shipped template (always ending in Won and Lost)."""
    if template not in PIPELINE_TEMPLATES:
        raise ValidationError({"template": [_("Unknown pipeline template.")]})
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Pipeline.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("A pipeline with this name already exists.")]})
    position = (Pipeline.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    if is_default:
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline = Pipeline.objects.create(name=name, position=position, is_default=is_default)
    Stage.objects.bulk_create(
        Stage(
            pipeline=pipeline,
            name=s.name,
            position=i,
            kind=s.kind,
            probability=s.probability,
            rotting_days=s.rotting_days,
            required_fields=list(s.required_fields),
        )
        for i, s in enumerate(PIPELINE_TEMPLATES[template].stages)
    )
    return pipeline


@transaction.atomic
def add_stage(
    *,
    pipeline: Pipeline,
    name: str,
    probability: int = 10,
    kind: str = StageKind.OPEN,
    rotting_days: int | None = None,
    required_fields: list[str] | None = None,
) -> Stage:
    """Add an open (or fridge) stage before the closing stages."""
    if pipeline.stages.count() >= MAX_STAGES:
        raise ValidationError({"name": [_("A pipeline has at most %(n)d stages.") % {"n": MAX_STAGES}]})
    if pipeline.stages.filter(name=name).exists():
        raise ValidationError({"name": [_("A stage with this name already exists in this pipeline.")]})
    if kind in (StageKind.WON, StageKind.LOST):
        raise ValidationError({"kind": [_("A pipeline has exactly one Won and one Lost stage.")]})
    if not 0 <= probability <= 100:
        raise ValidationError({"probability": [_("Enter a probability from 0 to 100.")]})
    first_closed = pipeline.stages.filter(kind__in=[StageKind.WON, StageKind.LOST]).order_by("position").first()
    position = first_closed.position if first_closed else pipeline.stages.count()
    pipeline.stages.filter(position__gte=position).update(position=F("position") + 1)
    return Stage.objects.create(
        pipeline=pipeline,
        name=name,
        position=position,
        kind=kind,
        probability=probability,
        rotting_days=rotting_days,
        required_fields=required_fields or [],
    )


@transaction.atomic
def reorder_stages(*, pipeline: Pipeline, stage_ids: list[int]) -> None:
    """Put the pipeline's stages in the given order; the list must name each stage exactly once."""
    current = set(pipeline.stages.values_list("id", flat=True))
    if set(stage_ids) != current or len(stage_ids) != len(current):
        raise ValidationError(_("The new order must list every stage of the pipeline once."))
    for position, stage_id in enumerate(stage_ids):
        Stage.objects.filter(pk=stage_id).update(position=position)


def stage_for_kind(pipeline: Pipeline, kind: str) -> Stage:
    stage = pipeline.stages.filter(kind=kind).order_by("position").first()
    if stage is None:
        raise ValidationError(_("This pipeline has no %(kind)s stage.") % {"kind": StageKind(kind).label})
    return stage


def first_open_stage(pipeline: Pipeline) -> Stage:
    return stage_for_kind(pipeline, StageKind.OPEN)


WON_NAMES = ("won", "win", "closed won", "赢单", "成交", "已成交", "签约", "贏單", "簽約")
LOST_NAMES = ("lost", "lose", "closed lost", "丢单", "输单", "失败", "丟單", "輸單", "失敗")


def kind_for_stage_name(name: str) -> str:
    """Won or Lost for a stage named like one (Won/赢单/成交, Lost/丢单/输单), else open."""
    key = "".join(name.split()).casefold()
    if key in {"".join(n.split()) for n in WON_NAMES}:
        return StageKind.WON
    if key in {"".join(n.split()) for n in LOST_NAMES}:
        return StageKind.LOST
    return StageKind.OPEN


@transaction.atomic
def create_pipeline_from_names(*, name: str, stage_names: list[str]) -> Pipeline:
    """A pipeline whose stages are named by the caller, in order (e.g. from an import file).

    Stages named like Won or Lost close deals; the pipeline always ends in exactly one Won and one Lost
    stage (added with the English msgids when the names do not include them). Open stages get rising
    probabilities.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Pipeline.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("A pipeline with this name already exists.")]})
    opened = [n.strip() for n in dict.fromkeys(stage_names) if n.strip() and kind_for_stage_name(n) == StageKind.OPEN]
    opened = opened or ["Lead"]
    won = next((n for n in stage_names if kind_for_stage_name(n) == StageKind.WON), "Won")
    lost = next((n for n in stage_names if kind_for_stage_name(n) == StageKind.LOST), "Lost")
    if len(opened) + 2 > MAX_STAGES:
        raise ValidationError({"stage": [_("A pipeline has at most %(n)d stages.") % {"n": MAX_STAGES}]})
    position = (Pipeline.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    pipeline = Pipeline.objects.create(name=name, position=position)
    stages = [(n, StageKind.OPEN, 10 + (80 * i) // max(len(opened), 1)) for i, n in enumerate(opened)]
    stages += [(won, StageKind.WON, 100), (lost, StageKind.LOST, 0)]
    Stage.objects.bulk_create(
        Stage(pipeline=pipeline, name=stage_name[:100], position=i, kind=kind, probability=probability)
        for i, (stage_name, kind, probability) in enumerate(stages)
    )
    return pipeline

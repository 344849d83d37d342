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


def _clean_stage_values(
    pipeline: Pipeline, name: str, probability: int, rotting_days: int | None, stage: Stage | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    clash = pipeline.stages.filter(name=name.strip())
    if stage is not None:
        clash = clash.exclude(pk=stage.pk)
    if clash.exists():
        errors["name"] = [_("A stage with this name already exists in this pipeline.")]
    if not 0 <= probability <= 100:
        errors["probability"] = [_("Enter a probability from 0 to 100.")]
    if rotting_days is not None and rotting_days < 0:
        errors["rotting_days"] = [_("Enter zero or more days.")]
    return errors


@transaction.atomic
def update_stage(
    *,
    stage: Stage,
    name: str,
    probability: int,
    rotting_days: int | None,
    required_fields: list[str],
    checklist: list[str],
) -> Stage:
    """Rename a stage and set its probability, rotting limit, required fields and checklist (SOP)."""
    errors = _clean_stage_values(stage.pipeline, name, probability, rotting_days, stage)
    if stage.kind in (StageKind.WON, StageKind.LOST) and probability != (100 if stage.kind == StageKind.WON else 0):
        errors["probability"] = [_("Won is always 100% and Lost always 0%.")]
    if errors:
        raise ValidationError(errors)
    stage.name = name.strip()
    stage.probability = probability
    stage.rotting_days = rotting_days
    stage.required_fields = [f for f in required_fields if f]
    stage.checklist = [item.strip() for item in checklist if item.strip()]
    stage.save(update_fields=["name", "probability", "rotting_days", "required_fields", "checklist", "updated_at"])
    return stage


@transaction.atomic
def delete_stage(*, stage: Stage) -> None:
    """Remove an open stage that holds no deals; Won and Lost stay."""
    if stage.kind in (StageKind.WON, StageKind.LOST):
        raise ValidationError(_("A pipeline has exactly one Won and one Lost stage."))
    if stage.deals.exists():
        raise ValidationError(_("Move the deals out of this stage before removing it."))
    stage.delete()


@transaction.atomic
def update_pipeline(*, pipeline: Pipeline, name: str, is_default: bool, is_archived: bool) -> Pipeline:
    """Rename, make default (only one is) or archive a pipeline; the default one cannot be archived."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Pipeline.objects.filter(name=name).exclude(pk=pipeline.pk).exists():
        raise ValidationError({"name": [_("A pipeline with this name already exists.")]})
    if is_archived and (is_default or pipeline.is_default):
        raise ValidationError({"is_archived": [_("The default pipeline cannot be archived.")]})
    if is_default and not pipeline.is_default:
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline.name, pipeline.is_default, pipeline.is_archived = name, is_default or pipeline.is_default, is_archived
    pipeline.save(update_fields=["name", "is_default", "is_archived", "updated_at"])
    return pipeline

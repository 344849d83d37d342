"""API: pipelines and their stages (read only; an admin shapes them in the web app)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from dealtrack.api.inputs import Id
from dealtrack.api.list_params import list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.references import get_or_404
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage

router = Router(tags=["pipelines"])


class StageOut(Schema):
    id: int
    pipeline_id: int
    name: str = Field(description="In the caller's language for shipped stage names.")
    position: int
    kind: StageKind
    probability: int
    rotting_days: int | None
    required_fields: list[str]
    checklist: list[Any]

    @staticmethod
    def resolve_name(stage: Stage) -> str:
        return stage.display_name


class PipelineOut(Schema):
    id: int
    name: str
    position: int
    is_default: bool
    is_archived: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_name(pipeline: Pipeline) -> str:
        return pipeline.display_name

    @staticmethod
    def resolve_stages(pipeline: Pipeline) -> list[Stage]:
        return list(pipeline.stages.all())


PipelinePage = page_schema(PipelineOut, "PipelinePage")
StagePage = page_schema(StageOut, "StagePage")
PIPELINE_ORDERINGS = {"position": "position", "id": "id"}
PipelineListParams = list_params(
    "PipelineListParams",
    filterset=None,
    orderings=PIPELINE_ORDERINGS,
    default_order="position",
    extra={"archived": (bool | None, Field(None, description="Only archived (true) or active (false) ones"))},
)
STAGE_ORDERINGS = {"position": "position", "id": "id"}
StageListParams = list_params(
    "StageListParams",
    filterset=None,
    orderings=STAGE_ORDERINGS,
    default_order="position",
    extra={
        "pipeline": (list[Id], Field(default_factory=list, max_length=100, description="Pipeline (ids)")),
        "kind": (list[StageKind], Field(default_factory=list, max_length=4, description="Kind")),
    },
)


def _pipelines() -> Any:
    return Pipeline.objects.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position", "id")))


@router.get("/pipelines", response=PipelinePage, summary="List pipelines with their stages")
def list_pipelines(request: HttpRequest, params: Query[PipelineListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    pipelines = _pipelines()
    if params.archived is not None:
        pipelines = pipelines.filter(is_archived=params.archived)
    return page(request, pipelines, params, PIPELINE_ORDERINGS)


@router.get("/pipelines/{pipeline_id}", response=PipelineOut, summary="One pipeline with its stages")
def get_pipeline(request: HttpRequest, pipeline_id: Id) -> Pipeline:
    return get_or_404(_pipelines(), pipeline_id)


@router.get("/stages", response=StagePage, summary="List stages")
def list_stages(request: HttpRequest, params: Query[StageListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    stages = Stage.objects.all()
    if params.pipeline:
        stages = stages.filter(pipeline_id__in=params.pipeline)
    if params.kind:
        stages = stages.filter(kind__in=params.kind)
    return page(request, stages, params, STAGE_ORDERINGS)


@router.get("/stages/{stage_id}", response=StageOut, summary="One stage")
def get_stage(request: HttpRequest, stage_id: Id) -> Stage:
    return get_or_404(Stage.objects.all(), stage_id)

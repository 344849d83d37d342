"""The pipeline board (看板): columns per stage with SQL totals, cards paged as the reader scrolls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render

from dealtrack.deals.board import Column, StageTotals, board_columns, card_page, stage_totals
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.queries import deals_visible_to
from dealtrack.pipelines.models import Pipeline, Stage


def pipeline_from(params: QueryDict) -> Pipeline:
    """The pipeline named by `?pipeline=`, else the default one (else the first)."""
    pipelines = Pipeline.objects.filter(is_archived=False)
    raw = params.get("pipeline", "")
    if raw.isdigit():
        return get_object_or_404(pipelines, pk=raw)
    return pipelines.filter(is_default=True).first() or get_object_or_404(pipelines[:1])


def board_filterset(request: HttpRequest, params: QueryDict, pipeline: Pipeline) -> DealFilterSet:
    """The board's filters over the reader's visible deals of one pipeline (invalid filters are ignored)."""
    visible = deals_visible_to(request.user).filter(pipeline=pipeline)
    return DealFilterSet(params, queryset=visible, request=request)


def board_deals(filterset: DealFilterSet):  # noqa: ANN201 - a Deal queryset
    # An invalid filter value (a typo in the URL) shows a field error and the unfiltered board, never a 500.
    return filterset.qs if filterset.is_valid() else filterset.queryset


@login_required
def board(request: HttpRequest) -> HttpResponse:
    pipeline = pipeline_from(request.GET)
    filterset = board_filterset(request, request.GET, pipeline)
    columns = board_columns(board_deals(filterset), pipeline)
    query = request.GET.copy()
    query["pipeline"] = str(pipeline.pk)
    context = {
        "pipeline": pipeline,
        "pipelines": Pipeline.objects.filter(is_archived=False),
        "columns": columns,
        "filterset": filterset,
        "active_filters": filterset.active_count(ignore=("pipeline",)),  # the pipeline is chosen, not filtered
        "board_fields": filterset.form_fields(DealFilterSet.BOARD_FILTERS),
        "query": query.urlencode(),
    }
    if request.htmx and not request.htmx.boosted and request.htmx.target == "board":
        return render(request, "deals/board.html#board", context)
    return render(request, "deals/board.html", context)


@login_required
def column(request: HttpRequest) -> HttpResponse:
    """The next page of a column's cards (`offset`), or a collapsed column expanded (`expand=1`)."""
    pipeline = pipeline_from(request.GET)
    stage = get_object_or_404(Stage, pk=request.GET.get("stage", "") or 0, pipeline=pipeline)
    filterset = board_filterset(request, request.GET, pipeline)
    deals = board_deals(filterset)
    raw_offset = request.GET.get("offset", "0")
    offset = int(raw_offset) if raw_offset.isdigit() else 0
    query = request.GET.copy()
    for key in ("stage", "offset", "expand"):
        query.pop(key, None)
    query["pipeline"] = str(pipeline.pk)
    context = {"stage": stage, "query": query.urlencode(), "pipeline": pipeline}
    if request.GET.get("expand") == "1":
        cards, next_offset = card_page(deals, stage)
        totals = stage_totals(deals.filter(stage=stage)).get(stage.pk, StageTotals())
        context["column"] = Column(stage=stage, totals=totals, collapsed=False, cards=cards, next_offset=next_offset)
        return render(request, "deals/board.html#column", context)
    context["cards"], context["next_offset"] = card_page(deals, stage, offset=offset)
    return render(request, "deals/board.html#card-page", context)

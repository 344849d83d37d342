"""Stage conversion, time in stage and the bottleneck, from the daily totals of the stage visits that the
event log's writers keep (`deals.stage_visits`, `deals.stage_totals`; definitions in docs/metrics.md)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, NamedTuple

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.deals.models import StageDayTotal
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.reports.figures import rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import report_collaboration_visits, report_stage_totals


def funnel_pipeline(filters: ReportFilters) -> Pipeline | None:
    """The funnel is per pipeline: the filtered one, else the default one."""
    if filters.pipeline_id is not None:
        return Pipeline.objects.filter(pk=filters.pipeline_id).first()
    return Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.first()


class FunnelStages(NamedTuple):
    pipeline_id: int
    pipeline_name: str  # as stored: shipped names are msgids, translated when shown
    stages: list[tuple[int, str]]  # the open stages' ids and names, in order


def funnel_stages(filters: ReportFilters) -> FunnelStages | None:
    """The funnel's pipeline and its open stages in order, as plain values in one read when the pipeline
    has open stages (a report page's fixed cost is mostly such small reads and the models they build)."""
    rows = Stage.objects.filter(kind=StageKind.OPEN)
    if filters.pipeline_id is not None:
        rows = rows.filter(pipeline_id=filters.pipeline_id)
    else:  # the services keep one default; should there be more, the first as `funnel_pipeline` picks it
        rows = rows.filter(pipeline__is_default=True)
    found = list(
        rows.order_by("pipeline__position", "pipeline_id", "position", "id").values_list(
            "pipeline_id", "pipeline__name", "pk", "name"
        )
    )
    if found:
        pipeline_id, pipeline_name = found[0][:2]
        stages = [(pk, name) for of, _name, pk, name in found if of == pipeline_id]
        return FunnelStages(pipeline_id, pipeline_name, stages)
    pipeline = funnel_pipeline(filters)  # no default pipeline (then the first), or one without open stages
    if pipeline is None:
        return None
    stages = pipeline.stages.filter(kind=StageKind.OPEN).order_by("position", "id").values_list("pk", "name")
    return FunnelStages(pipeline.pk, pipeline.name, list(stages))


def funnel(user: User, filters: ReportFilters) -> dict[str, Any]:
    """Per open stage of the pipeline, in order: deals that entered it in the period, how many of those
    later (by now) reached a further open stage or won, the conversion, and the mean days spent in the
    stage by visits that ended in the period. Names the bottleneck steps.
    """
    found = funnel_stages(filters)
    if found is None:
        return {"pipeline_id": None, "pipeline": "", "steps": [], "bottleneck": None, "slowest": None}
    stage_ids = [pk for pk, _name in found.stages]
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    # Each deal once per stage: its first entry within the period, the one whose previous entry (if any)
    # came before the period. If any of its entries there moved on, the first did too, as everything after
    # a later entry also comes after the first. Stays count by the day they ended.
    first_entries = Q(Q(previous_day__isnull=True) | Q(previous_day__lt=filters.start), kind=StageDayTotal.Kind.ENTERED)
    stays = Q(kind=StageDayTotal.Kind.LEFT)
    totals = (
        report_stage_totals(user, filters)
        # Both kinds named outright as well: PostgreSQL uses the (kind, stage, day …) index only then.
        .filter(first_entries | stays, kind__in=StageDayTotal.Kind.values, stage__in=stage_ids)
        .order_by()
        .values("kind", "stage_id")
        .annotate(visits=Sum("visits"), moved_on=Sum("moved_on"), seconds=Sum("seconds"))
    )
    for row in totals:
        if row["kind"] == StageDayTotal.Kind.ENTERED:
            counts[row["stage_id"]].update(entered=row["visits"], moved_on=row["moved_on"])
        else:
            counts[row["stage_id"]].update(seconds=row["seconds"], ended=row["visits"])
    collaborations = report_collaboration_visits(user, filters)
    if collaborations is not None:  # a few thousand deals' visits, counted on the fly in one pass
        first = Q(
            Q(previous_entry_at__isnull=True) | Q(previous_entry_at__lt=filters.start_at),
            entered_at__gte=filters.start_at,
            entered_at__lt=filters.end_before,
        )
        ended = Q(left_at__gte=filters.start_at, left_at__lt=filters.end_before)
        for row in (
            collaborations.filter(stage__in=stage_ids)
            .order_by()
            .values("stage_id")
            .annotate(
                entered=Count("id", filter=first),
                moved_on=Count("id", filter=first & Q(moved_on=True)),
                spent=Sum("seconds", filter=ended),
                ended=Count("seconds", filter=ended),
            )
        ):
            counts[row["stage_id"]].update(
                entered=row["entered"], moved_on=row["moved_on"], seconds=row["spent"] or 0, ended=row["ended"]
            )
    steps = []
    for stage_id, name in found.stages:
        row = counts.get(stage_id, {})
        entered, moved_on, ended = row.get("entered", 0), row.get("moved_on", 0), row.get("ended", 0)
        steps.append(
            {
                "stage_id": stage_id,
                "stage": _(name),
                "entered": entered,
                "moved_on": moved_on,
                "conversion": rate(moved_on, entered),
                "avg_days_in_stage": round(row["seconds"] / ended / 86400, 1) if ended else None,
                "visits_ended": ended,
            }
        )
    return {
        "pipeline_id": found.pipeline_id,
        "pipeline": _(found.pipeline_name),
        "steps": steps,
        **bottlenecks(steps),
    }


def bottlenecks(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The step with the lowest conversion and the one with the longest mean time in stage, in words."""
    converting = [s for s in steps if s["conversion"] is not None]
    timed = [s for s in steps if s["avg_days_in_stage"] is not None]
    lowest = min(converting, key=lambda s: (s["conversion"], -s["entered"]), default=None)
    slowest = max(timed, key=lambda s: s["avg_days_in_stage"], default=None)
    return {
        "bottleneck": lowest
        and {
            "stage_id": lowest["stage_id"],
            "stage": lowest["stage"],
            "conversion": lowest["conversion"],
            "text": _("Bottleneck: only %(pct)s of deals that entered “%(stage)s” moved on.")
            % {"pct": f"{lowest['conversion']:.0%}", "stage": lowest["stage"]},
        },
        "slowest": slowest
        and {
            "stage_id": slowest["stage_id"],
            "stage": slowest["stage"],
            "avg_days_in_stage": slowest["avg_days_in_stage"],
            "text": _("Deals spend longest in “%(stage)s”: %(days)s days on average.")
            % {"stage": slowest["stage"], "days": slowest["avg_days_in_stage"]},
        },
    }

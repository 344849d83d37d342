"""How the open pipeline changed over the period: a bridge from the opening to the closing value.

Opening = the snapshot of the period's first morning; closing = the live pipeline when the period
reaches today, else the snapshot of the morning after its last day. The steps add up exactly:
opening + new + moved in + increased − decreased − won − lost − moved out = closing.
Advanced, moved back, slipped and pulled in are movements inside the pipeline, counted beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus
from dealtrack.reports.figures import money
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.models import PipelineSnapshot, SnapshotDay
from dealtrack.reports.scope import report_deals, report_snapshots
from dealtrack.reports.summary import pipeline_source


def _opening_day(filters: ReportFilters) -> dt.date | None:
    """The period's first morning, or the first snapshot taken inside the period if that one is missing."""
    return (
        SnapshotDay.objects.filter(day__gte=filters.start, day__lte=filters.end)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )


def _closing(user: User, filters: ReportFilters) -> tuple[QuerySet, str, str, dt.date | None]:
    """(rows, deal-id field, path to the deal, as-of day) of the pipeline at the period's end."""
    day = pipeline_source(filters)
    if day is None:
        return report_deals(user, filters).filter(status=DealStatus.OPEN), "pk", "", timezone.localdate()
    if not SnapshotDay.objects.filter(day=day).exists():
        return PipelineSnapshot.objects.none(), "deal_id", "deal__", None
    return report_snapshots(user, filters).filter(day=day), "deal_id", "deal__", day


def pipeline_change(user: User, filters: ReportFilters) -> dict[str, Any]:
    """The bridge steps (count and value each) and the in-pipeline movements; None values when the
    snapshots needed are missing (see docs/metrics.md)."""
    opening_day = _opening_day(filters)
    closing, deal_id, to_deal, closing_day = _closing(user, filters)
    if opening_day is None or closing_day is None:
        return {"available": False, "opening_day": opening_day, "closing_day": closing_day, "steps": [], "moves": []}
    opening = report_snapshots(user, filters).filter(day=opening_day)
    opened = PipelineSnapshot.objects.filter(day=opening_day, deal_id=OuterRef(deal_id))
    closing_ids = closing.order_by().values(deal_id)
    closing = closing.order_by().annotate(
        was=Subquery(opened.values("value_base")[:1]),
        was_position=Subquery(opened.values("stage__position")[:1]),
        was_close=Subquery(opened.values("expected_close_date")[:1]),
    )
    # A snapshot row always has a value, so "no opening value" means "not in the opening pipeline".
    in_opening = Q(was__isnull=False)
    created_in_period = Q(**{f"{to_deal}created_at__gte": filters.start_at})
    both = in_opening
    end = closing.aggregate(
        closing_count=Count("*"),
        closing_value=Sum("value_base"),
        new_count=Count("value_base", filter=~in_opening & created_in_period),
        new_value=Sum("value_base", filter=~in_opening & created_in_period),
        moved_in_count=Count("value_base", filter=~in_opening & ~created_in_period),
        moved_in_value=Sum("value_base", filter=~in_opening & ~created_in_period),
        increased_count=Count("value_base", filter=both & Q(value_base__gt=F("was"))),
        increased_value=Sum(F("value_base") - F("was"), filter=both & Q(value_base__gt=F("was"))),
        decreased_count=Count("value_base", filter=both & Q(value_base__lt=F("was"))),
        decreased_value=Sum(F("was") - F("value_base"), filter=both & Q(value_base__lt=F("was"))),
        advanced_count=Count("value_base", filter=both & Q(stage__position__gt=F("was_position"))),
        advanced_value=Sum("value_base", filter=both & Q(stage__position__gt=F("was_position"))),
        back_count=Count("value_base", filter=both & Q(stage__position__lt=F("was_position"))),
        back_value=Sum("value_base", filter=both & Q(stage__position__lt=F("was_position"))),
        slipped_count=Count("value_base", filter=both & Q(expected_close_date__gt=F("was_close"))),
        slipped_value=Sum("value_base", filter=both & Q(expected_close_date__gt=F("was_close"))),
        pulled_count=Count("value_base", filter=both & Q(expected_close_date__lt=F("was_close"))),
        pulled_value=Sum("value_base", filter=both & Q(expected_close_date__lt=F("was_close"))),
    )
    opening = opening.order_by().annotate(still=Exists(closing_ids.filter(**{deal_id: OuterRef("deal_id")})))
    still_open = Q(still=True)
    start = opening.aggregate(
        opening_count=Count("*"),
        opening_value=Sum("value_base"),
        won_count=Count("value_base", filter=~still_open & Q(deal__status=DealStatus.WON)),
        won_value=Sum("value_base", filter=~still_open & Q(deal__status=DealStatus.WON)),
        lost_count=Count("value_base", filter=~still_open & Q(deal__status=DealStatus.LOST)),
        lost_value=Sum("value_base", filter=~still_open & Q(deal__status=DealStatus.LOST)),
        out_count=Count("value_base", filter=~still_open & Q(deal__status=DealStatus.OPEN)),
        out_value=Sum("value_base", filter=~still_open & Q(deal__status=DealStatus.OPEN)),
    )
    figures = {**start, **end}

    def step(key: str, label: str, sign: int) -> dict[str, Any]:
        return {
            "key": key,
            "label": label,
            "sign": sign,
            "count": figures[f"{key}_count"] or 0,
            "value": money(figures[f"{key}_value"]),
        }

    steps = [
        step("opening", _("Opening pipeline"), 0),
        step("new", _("New deals"), 1),
        step("moved_in", _("Moved in or reopened"), 1),
        step("increased", _("Value increased"), 1),
        step("decreased", _("Value decreased"), -1),
        step("won", _("Won"), -1),
        step("lost", _("Lost"), -1),
        step("out", _("Moved out"), -1),
        step("closing", _("Closing pipeline"), 0),
    ]
    moves = [
        step("advanced", _("Advanced to a later stage"), 0),
        step("back", _("Moved back to an earlier stage"), 0),
        step("slipped", _("Slipped (close date moved out)"), 0),
        step("pulled", _("Pulled in (close date moved earlier)"), 0),
    ]
    return {
        "available": True,
        "opening_day": opening_day,
        "closing_day": closing_day,
        "steps": steps,
        "moves": moves,
    }

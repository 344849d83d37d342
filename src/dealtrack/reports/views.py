"""Report pages. Each view parses the filters, calls the report functions and renders, or exports the
page's table when `?export=csv|xlsx` is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dealtrack.core.models import Team, User
from dealtrack.core.queries import teams_visible_to
from dealtrack.core.side_by_side import side_by_side
from dealtrack.core.spreadsheets import spreadsheet_response
from dealtrack.goals.choices import QuotaMetric
from dealtrack.goals.models import Quota
from dealtrack.goals.services import delete_quota, may_set_quota, set_quota
from dealtrack.pipelines.models import Pipeline
from dealtrack.reports import exports
from dealtrack.reports.attainment import scope_quota
from dealtrack.reports.breakdowns import (
    lost_reasons,
    pipeline_by_stage,
    retention,
    top_customers,
    top_sources,
)
from dealtrack.reports.filters import ReportFilters, parse_filters
from dealtrack.reports.forecast import forecast
from dealtrack.reports.funnel import funnel
from dealtrack.reports.goals_view import quota_rows
from dealtrack.reports.pipeline_change import pipeline_change
from dealtrack.reports.scope import report_people
from dealtrack.reports.summary import summary_and_months
from dealtrack.reports.team import SORT_KEYS, team_table
from dealtrack.reports.totals import prefetch_collaboration_totals

EXPORT_FORMATS = ("csv", "xlsx")


def _filters(request: HttpRequest) -> tuple[ReportFilters, dict[str, list[str]]]:
    """The request's filters, or the defaults plus the errors to show when they are bad."""
    try:
        return parse_filters(request.GET), {}
    except ValidationError as exc:
        return parse_filters({}), exc.message_dict


def _context(request: HttpRequest, filters: ReportFilters, errors: dict[str, list[str]]) -> dict[str, Any]:
    user = request.user
    query = filters.as_query()
    return {
        "filters": filters,
        "previous": filters.previous(),
        "errors": errors,
        # The filters' choices need a name and an id each: no related rows, no other fields (an admin's
        # owner list holds every rep, and building full models for it was a large part of rendering).
        "pipelines": Pipeline.objects.filter(is_archived=False).only("pk", "name"),
        "teams": teams_visible_to(user).select_related(None).only("pk", "name"),
        "people": report_people(user, replace(filters, owner_id=None, team_id=None))
        .select_related(None)
        .only("pk", "display_name", "first_name", "last_name", "username"),
        "query": urlencode(query),
        "csv_query": urlencode({**query, "export": "csv"}),
        "xlsx_query": urlencode({**query, "export": "xlsx"}),
    }


def _respond(
    request: HttpRequest, template: str, context: dict[str, Any], table: exports.Table, filename: str
) -> HttpResponse:
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        headers, rows = table
        return spreadsheet_response(filename=filename, fmt=fmt, headers=headers, rows=rows, title=filename)
    return render(request, template, context, status=400 if context["errors"] else 200)


def _change(current: Any, previous: Any) -> float | None:
    if current is None or previous in (None, 0):
        return None
    return round((float(current) - float(previous)) / float(previous), 4)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures against the previous period, charts, the funnel's bottleneck and top lists."""
    filters, errors = _filters(request)
    user = request.user
    # The period's collaborations, once for its months, lost reasons and sources.
    prefetch_collaboration_totals(user, filters, {"day", "lost_reason_id", "source_id"})

    def this_period() -> tuple[Any, ...]:  # the live pipeline's cells are read once, for both figures
        return *summary_and_months(user, filters), pipeline_by_stage(user, filters)

    # Independent reads, longest first, shared out over PARALLEL_READS connections.
    current, earlier, customers, funnel_steps, quota, lost, sources = side_by_side(
        this_period,
        lambda: summary_and_months(user, filters.previous()),
        lambda: top_customers(user, filters),
        lambda: funnel(user, filters),
        lambda: scope_quota(user, filters, metric=QuotaMetric.VALUE, start=filters.start, end=filters.end),
        lambda: lost_reasons(user, filters),
        lambda: top_sources(user, filters),
    )
    now, by_month, by_stage = current
    before, previous_by_month = earlier
    figures = [
        {"key": key, "label": str(label), "now": now[key], "before": before[key]}
        for key, label in exports.SUMMARY_LABELS
    ]
    for row in figures:
        row["change"] = _change(row["now"], row["before"])
    context = {
        **_context(request, filters, errors),
        "figures": figures,
        "summary": now,
        "quota": quota,
        "attainment": (float(now["won_value"]) / float(quota)) if quota else None,
        "funnel": funnel_steps,
        "by_month": by_month,
        "by_stage": by_stage,
        "lost_reasons": lost,
        "sources": sources,
        "customers": customers,
        "charts": {
            "by_month": {
                "months": [m["month"] for m in by_month],
                "now": [float(m["won_value"]) for m in by_month],
                "before": [float(m["won_value"]) for m in previous_by_month][: len(by_month)],
                "labels": [_("This period"), _("Previous period")],
            },
        },
    }
    context["charts"]["by_stage"] = {
        "stages": [f"{r['pipeline']} · {r['stage']}" for r in context["by_stage"]],
        "values": [float(r["value"]) for r in context["by_stage"]],
        "weighted": [float(r["weighted_value"]) for r in context["by_stage"]],
        "labels": [_("Value"), _("Weighted")],
    }
    context["charts"]["funnel"] = [{"name": s["stage"], "value": s["entered"]} for s in context["funnel"]["steps"]]
    context["charts"]["lost"] = [{"name": r["reason"], "value": r["count"]} for r in context["lost_reasons"]]
    return _respond(request, "reports/dashboard.html", context, exports.summary_table(now, before), "dashboard")


@login_required
def pipeline_change_view(request: HttpRequest) -> HttpResponse:
    """The opening-to-closing bridge of the open pipeline, drawn as a waterfall."""
    filters, errors = _filters(request)
    change = pipeline_change(request.user, filters)
    bars = []
    level = 0.0
    for step in change["steps"]:
        value = float(step["value"])
        if step["sign"] == 0:
            bars.append({"name": step["label"], "base": 0.0, "value": value})
            level = value
        elif step["sign"] > 0:
            bars.append({"name": step["label"], "base": level, "value": value})
            level += value
        else:
            level -= value
            bars.append({"name": step["label"], "base": level, "value": value})
    context = {**_context(request, filters, errors), "change": change, "charts": {"waterfall": bars}}
    return _respond(
        request,
        "reports/pipeline_change.html",
        context,
        exports.steps_table(change["steps"] + change["moves"]),
        "pipeline-change",
    )


@login_required
def retention_view(request: HttpRequest) -> HttpResponse:
    """Renewal rate, churned value and expansion value, per deal type."""
    filters, errors = _filters(request)
    result = retention(request.user, filters)
    context = {**_context(request, filters, errors), "retention": result}
    return _respond(request, "reports/retention.html", context, exports.retention_table(result["types"]), "retention")


@login_required
def team_view(request: HttpRequest) -> HttpResponse:
    """The per-rep table, sortable by any column; each row links to the rep's deal list."""
    filters, errors = _filters(request)
    sort = request.GET.get("sort", "-won_value")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "-won_value"
    rows = team_table(request.user, filters, sort=sort)
    context = {**_context(request, filters, errors), "rows": rows, "sort": sort, "columns": exports.team_columns()}
    return _respond(request, "reports/team.html", context, exports.team_table_export(rows), "team")


@login_required
def forecast_view(request: HttpRequest) -> HttpResponse:
    """Forecast by month of expected close against quota, and how past forecasts turned out."""
    filters, errors = _filters(request)
    result = forecast(request.user, filters)
    months = result["months"]
    charts = {
        "months": [m["month"] for m in months],
        "commit": [float(m["commit"]) for m in months],
        "best_case": [float(m["best_case"]) for m in months],
        "pipeline": [float(m["pipeline"]) for m in months],
        "won": [float(m["won_value"]) for m in months],
        "quota": [float(m["quota"]) if m["quota"] is not None else None for m in months],
        "labels": [_("Commit"), _("Best case"), _("Pipeline"), _("Won"), _("Quota")],
    }
    context = {**_context(request, filters, errors), "months": months, "charts": {"forecast": charts}}
    return _respond(request, "reports/forecast.html", context, exports.forecast_table(months), "forecast")


@login_required
@require_http_methods(["GET", "POST"])
def goals_view(request: HttpRequest) -> HttpResponse:
    """Quotas per rep and team for a year, broken down, with attainment bars; managers set them here."""
    user = request.user
    year_text = request.GET.get("year") or request.POST.get("year") or str(timezone.localdate().year)
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    form_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form_errors = _save_quota(request, year)
        if not form_errors:
            return redirect(f"{request.path}?year={year}")
    rows = quota_rows(user, year)
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": rows,
        "form_errors": form_errors,
        "form": request.POST if form_errors else {},
        "can_set": user.is_admin or user.is_manager,
        "people": report_people(user, ReportFilters(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))),
        "teams": teams_visible_to(user),
        "metrics": QuotaMetric.choices,
        "errors": {},
    }
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        headers, table_rows = exports.quotas_table(rows)
        return spreadsheet_response(filename=f"goals-{year}", fmt=fmt, headers=headers, rows=table_rows)
    return render(request, "reports/goals.html", context, status=400 if form_errors else 200)


def _save_quota(request: HttpRequest, year: int) -> dict[str, list[str]]:
    """Set or delete a quota from the posted form; the errors to show (empty when it worked)."""
    data = request.POST
    try:
        if data.get("delete"):
            quota = Quota.objects.filter(pk=data["delete"]).first() if data["delete"].isdigit() else None
            if quota is None or not may_set_quota(request.user, owner=quota.owner, team=quota.team):
                raise ValidationError({"owner": [_("This quota does not exist.")]})
            delete_quota(actor=request.user, quota=quota)
            return {}
        owner = User.objects.filter(pk=data["owner"]).first() if data.get("owner", "").isdigit() else None
        team = Team.objects.filter(pk=data["team"]).first() if data.get("team", "").isdigit() else None
        weights = [w for w in data.get("weights", "").replace("，", ",").split(",") if w.strip()]
        set_quota(
            actor=request.user,
            year=year,
            owner=owner,
            team=team,
            metric=data.get("metric", QuotaMetric.VALUE),
            target=data.get("target", ""),
            weights=weights or None,
        )
    except ValidationError as exc:
        return exc.message_dict if hasattr(exc, "error_dict") else {"target": exc.messages}
    return {}

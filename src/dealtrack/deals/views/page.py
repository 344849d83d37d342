"""The deal page: stage bar, key fields, health, next step, contacts, line items and the timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.activities.forms import ActivityForm
from dealtrack.activities.views import log_from_request
from dealtrack.core.exceptions import StaleVersionError
from dealtrack.core.form_fields import add_service_errors
from dealtrack.core.queries import users_assignable_by
from dealtrack.customers.company_names import company_for_name
from dealtrack.deals import services
from dealtrack.deals.forms import DealCreateForm, DealFieldsForm
from dealtrack.deals.health import assess_health, days_idle, is_stalled
from dealtrack.deals.models import Deal
from dealtrack.deals.queries import deal_events, deals_managed_by, get_deal_for, time_in_stages
from dealtrack.deals.timeline import TIMELINE_FILTERS, timeline
from dealtrack.deals.views.moving import parse_version
from dealtrack.pipelines.models import Pipeline
from dealtrack.pipelines.services import first_open_stage
from dealtrack.tasks.choices import ACTIVE_STATUSES
from dealtrack.tasks.forms import TaskForm


def _stage_bar(deal: Deal) -> list[dict[str, Any]]:
    spent = time_in_stages(deal)
    stages = list(deal.pipeline.stages.all())
    current_index = next((i for i, s in enumerate(stages) if s.pk == deal.stage_id), 0)
    return [
        {
            "stage": stage,
            "current": stage.pk == deal.stage_id,
            "done": i < current_index and stage.kind == "open",
            "days": spent[stage.pk].days if stage.pk in spent else None,
        }
        for i, stage in enumerate(stages)
    ]


def render_deal_page(
    request: HttpRequest,
    deal: Deal,
    *,
    fields_form: DealFieldsForm | None = None,
    activity_form: ActivityForm | None = None,
    task_form: TaskForm | None = None,
    stale: str = "",
    version: int | None = None,
    status: int = 200,
) -> HttpResponse:
    deal = (
        Deal.objects.select_related("stage", "pipeline", "owner", "company", "primary_contact", "source", "lost_reason")
        .prefetch_related("tags")
        .get(pk=deal.pk)
    )
    open_tasks = list(deal.tasks.filter(status__in=ACTIVE_STATUSES).select_related("assignee").order_by("due_at"))
    health, reasons = assess_health(deal, has_open_task=bool(open_tasks))
    kind = request.GET.get("type", "")
    context = {
        "deal": deal,
        "stage_bar": _stage_bar(deal),
        "health": health,
        "health_reasons": reasons,
        "idle_days": days_idle(deal),
        "rotting": is_stalled(deal),
        "open_tasks": open_tasks,
        "contacts": list(deal.contacts.select_related("company")),
        "line_items": list(deal.line_items.select_related("product")),
        "line_total": sum((item.total for item in deal.line_items.all()), start=0),
        "collaborators": list(deal.collaborator_links.select_related("user")),
        "entries": timeline(deal_events(request.user, deal), kind),
        "timeline_filters": [(key, label) for key, (label, _types) in TIMELINE_FILTERS.items()],
        "timeline_kind": kind,
        "fields_form": fields_form or DealFieldsForm(deal=deal),
        "activity_form": activity_form or ActivityForm(),
        "task_form": task_form or TaskForm(),
        "version": version if version is not None else deal.version,
        "stale": stale,
        "can_delete": deals_managed_by(request.user).filter(pk=deal.pk).exists(),
        "custom_values": [
            (definition.label, deal.custom.get(definition.key))
            for definition in (fields_form or DealFieldsForm(deal=deal)).custom_definitions
        ],
    }
    return render(request, "deals/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_deal_page(request, get_deal_for(request.user, pk))


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the key fields; a stale version keeps the user's input and says someone else saved first."""
    deal = get_deal_for(request.user, pk)
    form = DealFieldsForm(request.POST, deal=deal)
    version = parse_version(request.POST.get("version"))
    if not form.is_valid():
        return render_deal_page(request, deal, fields_form=form, version=version)
    changes = form.changes()
    try:
        changes["company"] = company_for_name(request.user, form.cleaned_data.get("company_name", ""))
        services.update_deal(deal=deal, actor=request.user, changes=changes, version=version)
    except StaleVersionError as exc:
        current = Deal.objects.get(pk=deal.pk)
        return render_deal_page(
            request,
            deal,
            fields_form=form,
            stale=str(exc),
            version=current.version,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render_deal_page(request, deal, fields_form=form, version=version)
    messages.success(request, _("Saved."))
    return redirect("deals:detail", pk=deal.pk)


@login_required
@require_POST
def log_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a call, e-mail, meeting, visit or note on the deal, with an optional follow-up task."""
    deal = get_deal_for(request.user, pk)
    form = log_from_request(request, deal=deal)
    if form.errors:
        return render_deal_page(request, deal, activity_form=form)
    return redirect("deals:detail", pk=deal.pk)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    owners = users_assignable_by(request.user)
    if request.method == "POST":
        form = DealCreateForm(request.POST)
        form.fields["owner"].queryset = owners
        if form.is_valid():
            changes = form.changes()
            tags = changes.pop("tags")
            try:
                changes["company"] = company_for_name(request.user, form.cleaned_data.get("company_name", ""))
                deal = services.create_deal(
                    actor=request.user,
                    owner=form.cleaned_data["owner"],
                    pipeline=form.cleaned_data["pipeline"],
                    stage=form.cleaned_data["stage"],
                    tags=tags,
                    **changes,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Deal created."))
                return redirect("deals:detail", pk=deal.pk)
    else:
        pipelines = Pipeline.objects.filter(is_archived=False)
        raw = request.GET.get("pipeline", "")
        pipeline = (pipelines.filter(pk=raw).first() if raw.isdigit() else None) or pipelines.filter(
            is_default=True
        ).first()
        if pipeline is None:
            raise Http404
        form = DealCreateForm(
            initial={
                "pipeline": pipeline.pk,
                "stage": first_open_stage(pipeline).pk,
                "owner": request.user.pk,
                "currency": "CNY",
                "company_name": request.GET.get("company", ""),
            }
        )
        form.fields["owner"].queryset = owners
    return render(request, "deals/create.html", {"form": form})


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete after the page asked for confirmation; only owners, their managers and admins may."""
    deal = get_deal_for(request.user, pk)
    if not deals_managed_by(request.user).filter(pk=deal.pk).exists():
        raise Http404
    services.delete_deals(deals=[deal], actor=request.user)
    messages.success(request, _("Deal “%(name)s” deleted.") % {"name": deal.name})
    return redirect("deals:list")

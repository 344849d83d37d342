"""The deal list: the generic list declared for deals, plus bulk actions and inline edits through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.custom_fields import definitions_for
from dealtrack.core.exceptions import StaleVersionError
from dealtrack.core.queries import users_assignable_by
from dealtrack.core.templatetags.dealtrack_format import day, money
from dealtrack.core.views.lists import ListColumn, ListDefinition, list_page
from dealtrack.customers.columns import company_column
from dealtrack.deals import services
from dealtrack.deals.annotations import weighted_value_expression, with_next_step_due
from dealtrack.deals.board import mark_idle
from dealtrack.deals.choices import Priority
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.models import Deal, LostReason
from dealtrack.deals.queries import deals_managed_by, deals_visible_to, get_deal_for
from dealtrack.pipelines.models import Stage

INLINE_FIELDS = ("stage", "owner", "value", "expected_close_date", "priority")
BULK_ACTIONS = {
    "move": gettext_lazy("Move to stage"),
    "reassign": gettext_lazy("Reassign"),
    "lost": gettext_lazy("Mark lost"),
    "tag": gettext_lazy("Add tags"),
    "delete": gettext_lazy("Delete"),
}


def _custom_column(definition: Any) -> ListColumn:
    key = definition.key

    def display(deal: Deal) -> Any:
        value = deal.custom.get(key)
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value if value is not None else ""

    return ListColumn(f"cf_{key}", definition.label, display, sort=f"custom__{key}", nullable=True)


def deal_columns() -> list[ListColumn]:
    columns = [
        ListColumn(
            "name",
            gettext_lazy("Deal"),
            lambda d: d.name,
            sort="name",
            link=lambda d: reverse("deals:detail", args=[d.pk]),
        ),
        company_column(),
        ListColumn("stage", gettext_lazy("Stage"), lambda d: str(d.stage), sort="stage__position", editable=True),
        ListColumn("owner", gettext_lazy("Owner"), lambda d: d.owner.name, sort="owner__username", editable=True),
        ListColumn(
            "value",
            gettext_lazy("Value"),
            lambda d: money(d.value_base),
            export=lambda d: d.value_base,
            sort="value_base",
            numeric=True,
            editable=True,
        ),
        ListColumn(
            "weighted",
            gettext_lazy("Weighted value"),
            lambda d: money(d.weighted),
            export=lambda d: d.weighted,
            sort="weighted",
            numeric=True,
        ),
        ListColumn(
            "expected_close_date",
            gettext_lazy("Expected close date"),
            lambda d: day(d.expected_close_date),
            export=lambda d: d.expected_close_date,
            sort="expected_close_date",
            nullable=True,
            editable=True,
        ),
        ListColumn(
            "priority", gettext_lazy("Priority"), lambda d: d.get_priority_display(), sort="priority", editable=True
        ),
        ListColumn("status", gettext_lazy("Status"), lambda d: d.get_status_display(), sort="status"),
        ListColumn("health", gettext_lazy("Health"), lambda d: d.get_health_display(), sort="health"),
        ListColumn(
            "source", gettext_lazy("Source"), lambda d: str(d.source or ""), sort="source__position", nullable=True
        ),
        ListColumn("lead_grade", gettext_lazy("Lead grade"), lambda d: d.get_lead_grade_display(), sort="lead_grade"),
        ListColumn("deal_type", gettext_lazy("Type"), lambda d: d.get_deal_type_display(), sort="deal_type"),
        ListColumn(
            "next_due",
            gettext_lazy("Next step due"),
            lambda d: day(d.next_due),
            export=lambda d: d.next_due,
            sort="next_due",
            nullable=True,
        ),
        ListColumn("idle", gettext_lazy("Days idle"), lambda d: d.idle_days, numeric=True),
        ListColumn("tags", gettext_lazy("Tags"), lambda d: ", ".join(t.name for t in d.tags.all())),
        ListColumn(
            "created_at",
            gettext_lazy("Created on"),
            lambda d: day(d.created_at),
            export=lambda d: d.created_at,
            sort="created_at",
        ),
        ListColumn(
            "updated_at",
            gettext_lazy("Updated"),
            lambda d: day(d.updated_at),
            export=lambda d: d.updated_at,
            sort="updated_at",
        ),
    ]
    columns += [_custom_column(d) for d in definitions_for(CustomFieldEntity.DEAL)]
    return columns


def _prepare(deals: Any) -> Any:
    return with_next_step_due(
        deals.select_related("company", "owner", "stage", "source")
        .prefetch_related("tags")
        .annotate(weighted=weighted_value_expression())
    )


def _after_page(deals: list[Deal]) -> list[Deal]:
    return mark_idle(deals)


DEAL_LIST = ListDefinition(
    key="deals",
    title=gettext_lazy("Deals"),
    rows=deals_visible_to,
    filterset_class=DealFilterSet,
    columns=deal_columns,
    default_columns=(
        "name",
        "company",
        "stage",
        "owner",
        "value",
        "expected_close_date",
        "priority",
        "health",
        "next_due",
    ),
    default_sort="-value",
    template="deals/list.html",
    prepare=_prepare,
    after_page=_after_page,
)


@login_required
def deal_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        DEAL_LIST,
        bulk=True,
        cell_url="deals:cell",
        bulk_actions=BULK_ACTIONS,
        stages=Stage.objects.select_related("pipeline").order_by("pipeline__position", "pipeline_id", "position"),
        owners=users_assignable_by(request.user),
        lost_reasons=LostReason.objects.filter(is_active=True),
    )


def _selected(request: HttpRequest) -> list[Deal]:
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    return list(deals_visible_to(request.user).filter(pk__in=ids).select_related("stage", "pipeline", "owner"))


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the ticked deals, all or nothing; deleting asks for confirmation first."""
    back = request.POST.get("next") or reverse("deals:list")
    if not back.startswith("/"):
        back = reverse("deals:list")
    deals = _selected(request)
    action = request.POST.get("action", "")
    if not deals:
        messages.error(request, _("Tick at least one deal first."))
        return redirect(back)
    try:
        if action == "move":
            stage = Stage.objects.filter(pk=request.POST.get("stage") or 0).first()
            if stage is None:
                raise ValidationError(_("Choose a stage."))
            if stage.kind == "lost":
                raise ValidationError(_("Use “Mark lost” to give a reason."))
            services.bulk_move_deals(deals=deals, stage=stage, actor=request.user)
        elif action == "reassign":
            owner = users_assignable_by(request.user).filter(pk=request.POST.get("owner") or 0).first()
            if owner is None:
                raise ValidationError(_("Choose a new owner."))
            services.bulk_reassign_deals(deals=deals, owner=owner, actor=request.user)
        elif action == "lost":
            reason = LostReason.objects.filter(pk=request.POST.get("lost_reason") or 0).first()
            services.bulk_mark_deals_lost(
                deals=deals, reason=reason, actor=request.user, note=request.POST.get("lost_note", "")
            )
        elif action == "tag":
            tags = [t.strip() for t in request.POST.get("tags", "").replace("，", ",").split(",") if t.strip()]
            services.bulk_tag_deals(deals=deals, tags=tags, actor=request.user)
        elif action == "delete":
            return _bulk_delete(request, deals, back)
        else:
            raise ValidationError(_("Choose an action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("%(action)s: %(n)d deals.") % {"action": BULK_ACTIONS[action], "n": len(deals)})
    return redirect(back)


def _bulk_delete(request: HttpRequest, deals: list[Deal], back: str) -> HttpResponse:
    allowed = set(deals_managed_by(request.user).filter(pk__in=[d.pk for d in deals]).values_list("pk", flat=True))
    refused = [d for d in deals if d.pk not in allowed]
    if refused:
        messages.error(
            request,
            _("You may not delete: %(names)s. Nothing was deleted.") % {"names": ", ".join(d.name for d in refused)},
        )
        return redirect(back)
    if request.POST.get("confirmed") != "1":
        return render(request, "deals/confirm_delete.html", {"deals": deals, "back": back})
    count = services.delete_deals(deals=deals, actor=request.user)
    messages.success(request, _("Deleted %(n)d deals.") % {"n": count})
    return redirect(back)


@login_required
def cell(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Inline edit of one cell: GET answers the input, POST saves through the services and answers the cell."""
    if field not in INLINE_FIELDS:
        raise Http404
    deal = get_deal_for(request.user, pk)
    context: dict[str, Any] = {"deal": deal, "field": field, "version": deal.version}
    if field == "stage":
        context["stages"] = deal.pipeline.stages.all()
    elif field == "owner":
        context["owners"] = users_assignable_by(request.user)
    elif field == "priority":
        context["priorities"] = Priority.choices
    if request.method != "POST":
        return render(request, "deals/list_cell_edit.html", context)
    raw = request.POST.get("value", "")
    version = request.POST.get("version")
    try:
        if field == "owner":
            owner = users_assignable_by(request.user).filter(pk=raw if raw.isdigit() else 0).first()
            if owner is None:
                raise ValidationError({"owner": [_("Choose a new owner.")]})
            deal = services.reassign_deal(deal=deal, actor=request.user, owner=owner, version=version)
        else:
            deal = services.update_deal(deal=deal, actor=request.user, changes={field: raw}, version=version)
    except StaleVersionError as exc:
        context.update({"error": str(exc), "value": raw, "version": Deal.objects.get(pk=deal.pk).version})
        return render(request, "deals/list_cell_edit.html", context)
    except ValidationError as exc:
        context.update({"error": " ".join(exc.messages), "value": raw})
        return render(request, "deals/list_cell_edit.html", context)
    row = _prepare(deals_visible_to(request.user).filter(pk=deal.pk)).get()
    mark_idle([row])
    column = next(c for c in deal_columns() if c.key == field)
    cell_context = {
        "row": {"obj": row},
        "cell": {"column": column, "value": column.display(row), "link": ""},
        "cell_url": "deals:cell",
    }
    return render(request, "generic/list_cell.html", cell_context)

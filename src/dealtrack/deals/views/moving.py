"""Moving a deal to another stage, from the board, the deal page's stage bar or the list.

Everything goes through `move_deal_to_stage`. A stage that needs fields the deal lacks, or the Lost stage
(which needs a reason), answers with a dialog asking for them; a refusal says why and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh, trigger_client_event

from dealtrack.core.exceptions import StaleVersionError
from dealtrack.core.form_fields import add_service_errors
from dealtrack.customers.company_names import company_for_name
from dealtrack.deals import services
from dealtrack.deals.annotations import with_card_data
from dealtrack.deals.board import board_columns, mark_idle
from dealtrack.deals.exceptions import MissingRequiredFieldsError
from dealtrack.deals.forms import LostForm, RequiredFieldsForm
from dealtrack.deals.models import Deal
from dealtrack.deals.queries import deals_visible_to, get_deal_for
from dealtrack.deals.views.board import board_deals, board_filterset
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Stage


def parse_version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_deal_for(request.user, pk)
    raw_stage = request.POST.get("stage", "")
    stage = get_object_or_404(Stage, pk=raw_stage if raw_stage.isdigit() else 0, pipeline_id=deal.pipeline_id)
    source = request.POST.get("source", "page")
    version = parse_version(request.POST.get("version"))
    submitted = request.POST.get("dialog") == "1"
    data = request.POST if submitted else None
    fields_form = RequiredFieldsForm(data, missing=services.missing_required_fields(deal, stage), deal=deal)
    lost_form = LostForm(data) if stage.kind == StageKind.LOST else None
    dialog = {
        "deal": deal,
        "stage": stage,
        "source": source,
        "version": version if version is not None else deal.version,
        "query": request.POST.get("query", ""),
        "fields_form": fields_form,
        "lost_form": lost_form,
    }
    if (fields_form.missing or lost_form is not None) and not submitted:
        return _dialog(request, dialog)
    if submitted and not (fields_form.is_valid() and (lost_form is None or lost_form.is_valid())):
        return _dialog(request, dialog)
    values: dict[str, Any] = fields_form.values() if fields_form.missing else {}
    if fields_form.missing and "company_name" in fields_form.cleaned_data:
        values["company"] = company_for_name(request.user, fields_form.cleaned_data["company_name"])
    try:
        moved = services.move_deal_to_stage(
            deal=deal,
            stage=stage,
            actor=request.user,
            values=values or None,
            lost_reason=lost_form.cleaned_data["lost_reason"] if lost_form else None,
            lost_note=lost_form.cleaned_data.get("lost_note", "") if lost_form else "",
            version=version,
        )
    except StaleVersionError as exc:
        current = Deal.objects.get(pk=deal.pk)
        if not submitted:
            return _refused(request, deal, str(exc), source)
        dialog["version"] = current.version
        dialog["stale"] = str(exc)
        return _dialog(request, dialog)
    except MissingRequiredFieldsError as exc:
        dialog["fields_form"] = RequiredFieldsForm(data, missing=exc.missing, deal=deal)
        if data is not None:
            dialog["fields_form"].is_valid()
        dialog["error"] = exc.message
        return _dialog(request, dialog)
    except ValidationError as exc:
        if not submitted:
            return _refused(request, deal, " ".join(exc.messages), source)
        add_service_errors(fields_form, exc)
        if lost_form is not None:
            add_service_errors(lost_form, exc)
        dialog["error"] = " ".join(exc.messages)
        return _dialog(request, dialog)
    return _moved(request, moved, stage, source)


def _dialog(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if request.htmx:
        response = render(request, "deals/move.html#dialog", context)
        # The card goes back where it was until the dialog is confirmed.
        return trigger_client_event(response, "dealRefused", {"deal": context["deal"].pk})
    return render(request, "deals/move.html", context)


def _refused(request: HttpRequest, deal: Deal, message: str, source: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse("")
        return trigger_client_event(response, "dealRefused", {"deal": deal.pk, "message": message})
    messages.error(request, message)
    return redirect("deals:detail", pk=deal.pk)


def _moved(request: HttpRequest, deal: Deal, stage: Stage, source: str) -> HttpResponse:
    message = _("Moved “%(deal)s” to %(stage)s.") % {"deal": deal.name, "stage": stage}
    if not request.htmx:
        messages.success(request, message)
        return redirect("deals:detail", pk=deal.pk)
    if source == "list":
        return HttpResponseClientRefresh()
    if source != "board":
        messages.success(request, message)
        return HttpResponseClientRedirect(reverse("deals:detail", args=[deal.pk]))
    body = _board_refresh(request, deal)
    response = HttpResponse(body)
    return trigger_client_event(response, "dealMoved", {"deal": deal.pk, "stage": stage.pk, "message": message})


def _board_refresh(request: HttpRequest, deal: Deal) -> str:
    """Out-of-band updates for the board: every column head (totals from SQL) and the moved card."""
    params = QueryDict(request.POST.get("query", ""), mutable=True)
    params["pipeline"] = str(deal.pipeline_id)
    filterset = board_filterset(request, params, deal.pipeline)
    columns = board_columns(board_deals(filterset), deal.pipeline, expanded=set(), with_cards=False)
    parts = [
        render_to_string("deals/board.html#column-head", {"column": column, "oob": True}, request=request)
        for column in columns
    ]
    card = with_card_data(deals_visible_to(request.user).filter(pk=deal.pk)).first()
    if card is not None:
        mark_idle([card])
        parts.append(render_to_string("deals/board.html#card", {"deal": card, "oob": True}, request=request))
    return "".join(parts)

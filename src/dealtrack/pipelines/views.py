"""Settings for pipelines and stages (admins): add, rename, reorder by dragging, probabilities, rotting
limits, required fields and checklists. Writes go through `pipelines.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.core.access import admin_only
from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.custom_fields import definitions_for
from dealtrack.core.form_fields import add_service_errors
from dealtrack.deals.models import Deal
from dealtrack.deals.services import REQUIRABLE_FIELDS
from dealtrack.pipelines import services
from dealtrack.pipelines.forms import PipelineCreateForm, PipelineForm, StageForm
from dealtrack.pipelines.models import Pipeline, Stage


def requirable_fields() -> list[tuple[str, str]]:
    """Fields a stage can require: the deal's requirable fields and every custom field of deals."""
    fields = [(name, str(Deal._meta.get_field(name).verbose_name)) for name in REQUIRABLE_FIELDS]
    return fields + [(f"custom.{d.key}", d.label) for d in definitions_for(CustomFieldEntity.DEAL)]


@admin_only
def pipeline_list(request: HttpRequest) -> HttpResponse:
    form = PipelineCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pipeline = services.create_pipeline(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pipeline created."))
            return redirect("pipelines:pipeline_detail", pk=pipeline.pk)
    pipelines = Pipeline.objects.annotate(deal_count=Count("deals")).order_by("position", "id")
    return render(
        request, "pipelines/pipeline_list.html", {"pipelines": pipelines, "form": form, "section": "pipelines"}
    )


@admin_only
def pipeline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pk)
    form = PipelineForm(
        request.POST or None,
        initial={"name": pipeline.name, "is_default": pipeline.is_default, "is_archived": pipeline.is_archived},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pipeline(pipeline=pipeline, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("pipelines:pipeline_detail", pk=pipeline.pk)
    stages = pipeline.stages.annotate(deal_count=Count("deals"))
    new_stage = StageForm(requirable=requirable_fields(), prefix="new", initial={"probability": 10, "rotting_days": 14})
    context = {"pipeline": pipeline, "form": form, "stages": stages, "new_stage": new_stage, "section": "pipelines"}
    return render(request, "pipelines/pipeline_detail.html", context)


@admin_only
@require_POST
def stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    pipeline = get_object_or_404(Pipeline, pk=pk)
    form = StageForm(request.POST, requirable=requirable_fields(), prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        try:
            stage = services.add_stage(
                pipeline=pipeline,
                name=data["name"].strip(),
                probability=data["probability"],
                rotting_days=data["rotting_days"],
                required_fields=data["required_fields"],
            )
            if data["checklist"]:
                stage.checklist = [line.strip() for line in data["checklist"].splitlines() if line.strip()]
                stage.save(update_fields=["checklist"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stage added."))
    else:
        messages.error(request, " ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items()))
    return redirect("pipelines:pipeline_detail", pk=pipeline.pk)


@admin_only
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=pk)
    initial = {
        "name": stage.name,
        "probability": stage.probability,
        "rotting_days": stage.rotting_days,
        "required_fields": stage.required_fields,
        "checklist": "\n".join(stage.checklist),
    }
    form = StageForm(request.POST or None, requirable=requirable_fields(), initial=initial)
    if request.method == "POST" and request.POST.get("delete") == "1":
        try:
            services.delete_stage(stage=stage)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("pipelines:stage_edit", pk=stage.pk)
        messages.success(request, _("Stage removed."))
        return redirect("pipelines:pipeline_detail", pk=stage.pipeline_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_stage(
                stage=stage,
                name=data["name"],
                probability=data["probability"],
                rotting_days=data["rotting_days"],
                required_fields=data["required_fields"],
                checklist=data["checklist"].splitlines(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("pipelines:pipeline_detail", pk=stage.pipeline_id)
    return render(
        request,
        "core/settings/form.html",
        {"form": form, "section": "pipelines", "heading": f"{stage.pipeline} · {stage}", "delete_confirm": True},
    )


@admin_only
@require_POST
def stage_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the order the admin dragged the stages into."""
    pipeline = get_object_or_404(Pipeline, pk=pk)
    ids = [int(i) for i in request.POST.getlist("stage") if i.isdigit()]
    try:
        services.reorder_stages(pipeline=pipeline, stage_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Stage order saved."))
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("pipelines:pipeline_detail", pk=pipeline.pk)

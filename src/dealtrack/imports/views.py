"""Upload → preview with the mapping editable → check the whole file → import in the background → history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dealtrack.core.spreadsheets import CONTENT_TYPES, spreadsheet_response
from dealtrack.imports.archive import export_organisation
from dealtrack.imports.choices import ImportEntity, ImportStatus
from dealtrack.imports.exports import visible_table
from dealtrack.imports.forms import MappingForm, UploadForm
from dealtrack.imports.parsing import UnreadableFileError
from dealtrack.imports.queries import can_import, get_import_job_for, import_jobs_visible_to
from dealtrack.imports.services import (
    job_progress,
    job_table,
    queue_import_job,
    rejected_rows_xlsx,
    save_mapping_preset,
    start_import,
    update_job_settings,
)
from dealtrack.imports.spreadsheet_templates import TEMPLATES, template_xlsx

PREVIEW_ROWS = 10


def _attachment(body: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """The upload form and the history of imports."""
    if not can_import(request.user):
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        entity = form.cleaned_data["entity"]
        if not can_import(request.user, entity):
            raise Http404
        try:
            job = start_import(actor=request.user, entity=entity, upload=form.cleaned_data["file"])
        except (UnreadableFileError, ValidationError) as exc:
            form.add_error("file", str(exc) if isinstance(exc, UnreadableFileError) else exc)
            status = 400
        else:
            return redirect("imports:detail", pk=job.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "jobs": import_jobs_visible_to(request.user)[:50],
        "templates": TEMPLATES.values(),
        "entities": ImportEntity.choices,
    }
    return render(request, "imports/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview of the first rows with the mapping; POST saves it and checks or imports the whole file."""
    job = get_import_job_for(request.user, pk)
    try:
        table = job_table(job)
    except UnreadableFileError as exc:
        return render(request, "imports/detail.html", {"job": job, "unreadable": str(exc)}, status=410)
    form = MappingForm(
        request.POST or None,
        entity=job.entity,
        headers=table.headers,
        mapping=job.mapping,
        initial=job.options,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "check")
        try:
            update_job_settings(job=job, mapping=form.mapping(), options=form.cleaned_data)
            if action == "save_preset":
                save_mapping_preset(
                    actor=request.user, name=form.cleaned_data["preset_name"], entity=job.entity, mapping=job.mapping
                )
            else:
                queue_import_job(job=job, dry_run=action != "import")
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            status = 400
        else:
            return redirect("imports:detail", pk=job.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "job": job,
        "form": form,
        "preview_headers": table.headers,
        "preview_rows": table.rows[:PREVIEW_ROWS],
        "processed": job_progress(job),
        "can_import": job.status not in (ImportStatus.DONE,) and not job.is_active,
    }
    return render(request, "imports/detail.html", context, status=status)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress/result fragment the detail page polls while the job runs."""
    job = get_import_job_for(request.user, pk)
    return render(request, "imports/detail.html#progress", {"job": job, "processed": job_progress(job)})


@login_required
@require_GET
def rejected_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as uploaded, with an error column, to fix and upload again."""
    job = get_import_job_for(request.user, pk)
    if not job.errors:
        raise Http404
    name = f"{job.original_name.rsplit('.', 1)[0]}-{_('rejected')}.xlsx"
    return _attachment(rejected_rows_xlsx(job), name, CONTENT_TYPES["xlsx"])


@login_required
@require_GET
def template_download(request: HttpRequest, key: str) -> HttpResponse:
    if key not in TEMPLATES:
        raise Http404
    template = TEMPLATES[key]
    return _attachment(template_xlsx(key), f"{template.title} {template.label}.xlsx", CONTENT_TYPES["xlsx"])


@login_required
@require_GET
def export_entity(request: HttpRequest, entity: str, fmt: str) -> HttpResponse:
    """Everything of `entity` the user may see, as CSV or XLSX that re-imports unchanged."""
    if entity not in ImportEntity.values or fmt not in CONTENT_TYPES:
        raise Http404
    if entity == ImportEntity.USERS and not request.user.is_admin:
        raise Http404
    headers, rows = visible_table(request.user, entity)
    label = str(ImportEntity(entity).label)
    return spreadsheet_response(filename=label, fmt=fmt, headers=headers, rows=rows, title=label)


@login_required
@require_GET
def export_all(request: HttpRequest) -> HttpResponse:
    """The whole organisation (admins only): a zip that `dealtrack import-all` restores."""
    if not request.user.is_admin:
        raise Http404
    return _attachment(export_organisation(), "dealtrack-export.zip", "application/zip")

"""Logging activities on a deal, company or contact from their pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.activities.forms import ActivityForm
from dealtrack.activities.services import log_activity
from dealtrack.core.form_fields import add_service_errors
from dealtrack.customers.queries import get_company_for, get_contact_for


def log_from_request(request: HttpRequest, **target: object) -> ActivityForm:
    """Validate and log; returns the form (with errors when nothing was written)."""
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            _activity, task = log_activity(actor=request.user, **target, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if task is not None:
                messages.success(
                    request, _("Activity logged; follow-up “%(title)s” scheduled.") % {"title": task.title}
                )
            else:
                messages.success(request, _("Activity logged."))
    return form


def _errors_to_messages(request: HttpRequest, form: ActivityForm) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
@require_POST
def log_on_company(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_company_for(request.user, company_pk)
    form = log_from_request(request, company=company)
    _errors_to_messages(request, form)
    return redirect("customers:company_detail", pk=company.pk)


@login_required
@require_POST
def log_on_contact(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, contact_pk)
    form = log_from_request(request, contact=contact)
    _errors_to_messages(request, form)
    return redirect("customers:contact_detail", pk=contact.pk)

"""Today (我的工作): the landing page for reps, and the one-click task actions it offers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from dealtrack.deals.annotations import with_card_data
from dealtrack.deals.queries import deals_without_next_step, get_deal_for, open_deals_visible_to, stalled_deals
from dealtrack.tasks import services
from dealtrack.tasks.forms import SnoozeForm, TaskForm
from dealtrack.tasks.queries import get_task_for, my_task_groups

LIST_LIMIT = 20


def _today_context(request: HttpRequest) -> dict:
    user = request.user
    today = timezone.localdate()
    month_start = today.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    closing = open_deals_visible_to(user).filter(
        owner=user, expected_close_date__gte=month_start, expected_close_date__lt=next_month
    )
    stalled = stalled_deals(user).filter(owner=user)
    no_next_step = deals_without_next_step(user).filter(owner=user)
    closing_summary = closing.aggregate(count=Count("id"), total=Sum("value_base"))
    # Stalled and next-step lists read one row past the limit instead of counting every row: "20+" is enough.
    stalled_rows = list(with_card_data(stalled.order_by("stage_entered_at", "id"))[: LIST_LIMIT + 1])
    no_next_rows = list(no_next_step.select_related("company").order_by("-value_base", "id")[: LIST_LIMIT + 1])
    return {
        "groups": my_task_groups(user, limit=50),
        "closing": list(with_card_data(closing.order_by("expected_close_date", "id"))[:LIST_LIMIT]),
        "closing_count": closing_summary["count"],
        "closing_total": closing_summary["total"],
        "stalled": stalled_rows[:LIST_LIMIT],
        "stalled_count": f"{LIST_LIMIT}+" if len(stalled_rows) > LIST_LIMIT else len(stalled_rows),
        "no_next_step": no_next_rows[:LIST_LIMIT],
        "no_next_step_count": f"{LIST_LIMIT}+" if len(no_next_rows) > LIST_LIMIT else len(no_next_rows),
        "snooze_form": SnoozeForm(),
        "today": today,
    }


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """My tasks (overdue / today / upcoming), my stalled deals and my deals closing this month."""
    return render(request, "tasks/today.html", _today_context(request))


def _after_task_action(request: HttpRequest, message: str) -> HttpResponse:
    if request.htmx:
        response = render(request, "tasks/today.html#task-groups", _today_context(request))
        return trigger_client_event(response, "toast", {"message": message, "level": "success"})
    messages.success(request, message)
    return redirect(request.POST.get("next") or "tasks:today")


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click done; a task that is no longer open says so and changes nothing."""
    task = get_task_for(request.user, pk)
    try:
        services.complete_task(task=task, actor=request.user)
    except ValidationError as exc:
        return _after_task_action(request, " ".join(exc.messages))
    return _after_task_action(request, _("Done: %(title)s") % {"title": task.title})


@login_required
@require_POST
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _after_task_action(request, _("Choose when to be reminded again."))
    try:
        services.snooze_task(task=task, actor=request.user, until=form.until())
    except ValidationError as exc:
        return _after_task_action(request, " ".join(exc.messages))
    return _after_task_action(request, _("Snoozed: %(title)s") % {"title": task.title})


@login_required
@require_POST
def create_for_deal(request: HttpRequest, deal_pk: int) -> HttpResponse:
    """Schedule a next step on a deal from the deal page."""
    deal = get_deal_for(request.user, deal_pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.create_task(actor=request.user, title=form.cleaned_data["title"], due_at=form.due_at(), deal=deal)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Next step scheduled."))
    else:
        errors = [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
        messages.error(request, " ".join(errors))
    return redirect("deals:detail", pk=deal.pk)

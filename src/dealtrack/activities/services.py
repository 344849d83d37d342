"""Logging calls, e-mails, meetings, visits and notes, with an optional follow-up task."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import Activity
from dealtrack.activities.totals import cells_of, refresh_activity_totals
from dealtrack.activities.touches import refresh_touches
from dealtrack.core.models import User
from dealtrack.customers.models import Company, Contact
from dealtrack.deals import events
from dealtrack.deals.day_totals import local_day
from dealtrack.deals.first_response import note_activity
from dealtrack.deals.models import Deal
from dealtrack.deals.services import refresh_health
from dealtrack.tasks.models import Task
from dealtrack.tasks.services import create_task


@transaction.atomic
def log_activity(
    *,
    actor: User,
    kind: str,
    deal: Deal | None = None,
    company: Company | None = None,
    contact: Contact | None = None,
    subject: str = "",
    outcome: str = "",
    occurred_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    follow_up_title: str = "",
    follow_up_due: dt.datetime | None = None,
) -> tuple[Activity, Task | None]:
    """Record what `actor` did; on a deal it writes `activity_logged` and resets the deal's idle clock.

    With `follow_up_title` it also schedules the next step, in the same transaction.
    """
    errors: dict[str, list[str]] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    if deal is None and company is None and contact is None:
        errors["deal"] = [_("Log the activity on a deal, company or contact.")]
    now = timezone.now()
    when = occurred_at or now
    if when > now + dt.timedelta(days=1):
        errors["occurred_at"] = [_("An activity cannot be logged in the future.")]
    if follow_up_title and follow_up_due is None:
        errors["follow_up_due"] = [_("Give the follow-up a due date.")]
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        kind=kind,
        subject=subject.strip()[:200],
        outcome=outcome.strip(),
        occurred_at=when,
        duration_minutes=duration_minutes,
        user=actor,
        deal=deal,
        company=company or (deal.company if deal else None) or (contact.company if contact else None),
        contact=contact,
    )
    if deal is not None:
        events.activity_logged_event(deal=deal, actor=actor, activity_id=activity.pk, kind=kind, at=when)
        # Backdated activities must not pull the idle clock backwards.
        Deal.objects.filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=when), pk=deal.pk).update(
            last_activity_at=when
        )
        note_activity(deal, actor.pk, when)
        refresh_touches([(actor.pk, deal.pk)])
        deal.refresh_from_db(fields=["last_activity_at", "first_response_at"])
        # The new activity and the person's others on the deal, whose previous touches may have moved.
        refresh_activity_totals(cells_of(Activity.objects.filter(user=actor, deal=deal)))
    else:
        refresh_activity_totals({(local_day(when), actor.pk)})
    task = None
    if follow_up_title:
        task = create_task(
            actor=actor, title=follow_up_title, due_at=follow_up_due, deal=deal, company=activity.company
        )
    elif deal is not None:
        refresh_health(deal)
    return activity, task

"""A deal's health (green/yellow/red) and the reasons behind it, from facts on the deal itself."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.deals.choices import DealStatus, Health
from dealtrack.deals.models import Deal
from dealtrack.tasks.choices import ACTIVE_STATUSES


def idle_since(deal: Deal) -> dt.datetime | None:
    """The later of entering the current stage and the last activity: what the rotting clock counts from."""
    moments = [m for m in (deal.stage_entered_at, deal.last_activity_at) if m is not None]
    return max(moments) if moments else deal.created_at


def days_idle(deal: Deal, as_of: dt.datetime | None = None) -> int:
    since = idle_since(deal)
    if since is None:
        return 0
    return max(0, ((as_of or timezone.now()) - since).days)


def is_stalled(deal: Deal, as_of: dt.datetime | None = None) -> bool:
    limit = deal.stage.rotting_days
    return deal.status == DealStatus.OPEN and limit is not None and days_idle(deal, as_of) > limit


def assess_health(
    deal: Deal, *, has_open_task: bool | None = None, as_of: dt.datetime | None = None
) -> tuple[str, list[str]]:
    """Red for a stalled deal or a passed close date; yellow for no next step or a close date soon."""
    return _assess(deal, has_open_task, as_of, explain=True)


def health_colour(deal: Deal, *, has_open_task: bool | None = None, as_of: dt.datetime | None = None) -> str:
    """The colour `assess_health` gives, without translating its reasons (bulk imports assess many deals)."""
    return _assess(deal, has_open_task, as_of, explain=False)[0]


def _assess(
    deal: Deal, has_open_task: bool | None, as_of: dt.datetime | None, *, explain: bool
) -> tuple[str, list[str]]:
    """The rules. Without `explain` the reasons are placeholders: only their colour counts."""
    if deal.status != DealStatus.OPEN:
        return Health.GREEN, []
    now = as_of or timezone.now()
    red: list[str] = []
    yellow: list[str] = []
    if is_stalled(deal, now):
        red.append(
            _("No progress for %(days)d days (stage limit %(limit)d).")
            % {"days": days_idle(deal, now), "limit": deal.stage.rotting_days}
            if explain
            else ""
        )
    if deal.expected_close_date and deal.expected_close_date < timezone.localdate(now):
        red.append(_("Expected close date has passed.") if explain else "")
    if has_open_task is None:
        has_open_task = deal.tasks.filter(status__in=ACTIVE_STATUSES).exists()
    if not has_open_task:
        yellow.append(_("No next step scheduled.") if explain else "")
    if deal.expected_close_date is None:
        yellow.append(_("No expected close date.") if explain else "")
    if red:
        return Health.RED, red + yellow
    if yellow:
        return Health.YELLOW, yellow
    return Health.GREEN, []

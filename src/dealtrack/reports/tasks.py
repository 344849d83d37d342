"""Background jobs of the reports app."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from dealtrack.reports.services import take_pipeline_snapshot

logger = logging.getLogger(__name__)


@task()
def snapshot_open_deals(period: str = "") -> int:
    """The daily snapshot job. Only today's period is recorded: a missed past day cannot be rebuilt from
    the present state, so a catch-up run for it is skipped (reports then fall back as docs/metrics.md says).
    """
    today = timezone.localdate()
    day = dt.date.fromisoformat(period) if period else today
    if day != today:
        logger.info("snapshot for %s skipped: it can only be taken on the day itself", day)
        return 0
    return take_pipeline_snapshot(day=day)

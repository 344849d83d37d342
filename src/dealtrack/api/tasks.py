"""Background jobs of the API."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from dealtrack.api.models import IdempotencyRecord


@task()
def purge_idempotency_records(period: str = "") -> int:
    """Delete stored Idempotency-Key answers older than API_IDEMPOTENCY_HOURS; returns how many went."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _details = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Enqueues periodic jobs once per (job, period), catching up on periods a stopped worker missed."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dealtrack.core.models import PeriodicJobRun

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT = 31  # periods; older misses are skipped, since each run covers the present state anyway

_FORMATS = {"hourly": "%Y-%m-%dT%H", "daily": "%Y-%m-%d"}
_STEPS = {"hourly": dt.timedelta(hours=1), "daily": dt.timedelta(days=1)}


def period_key(every: str, moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(_FORMATS[every])


def due_periods(job: str, every: str, now: dt.datetime) -> list[str]:
    """Periods of `job` not yet enqueued, oldest first, up to and including the current one."""
    last = PeriodicJobRun.objects.filter(job=job).order_by("-period").values_list("period", flat=True).first()
    step = _STEPS[every]
    keys: list[str] = []
    moment = now
    for _i in range(CATCH_UP_LIMIT):
        key = period_key(every, moment)
        if last is not None and key <= last:
            break
        keys.append(key)
        if last is None:
            break  # a new installation starts with the present period only
        moment -= step
    return list(reversed(keys))


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue every job whose period has come; a period already claimed (by any worker) is skipped."""
    now = now or timezone.now()
    enqueued = []
    for path, every in settings.DEALTRACK_PERIODIC_JOBS:
        for key in due_periods(path, every, now):
            try:
                with transaction.atomic():
                    PeriodicJobRun.objects.create(job=path, period=key)
                    import_string(path).enqueue(period=key)
            except IntegrityError:
                continue  # another worker claimed this period first
            enqueued.append((path, key))
    return enqueued


class SchedulerThread(threading.Thread):
    """Runs `enqueue_due_jobs` every `interval` seconds until stopped."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__(name="dealtrack-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        from django.db import connection

        while not self.stopped.is_set():
            try:
                enqueue_due_jobs()
            except Exception:  # keep scheduling through a transient database error
                logger.exception("scheduler tick failed")
            finally:
                connection.close()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()

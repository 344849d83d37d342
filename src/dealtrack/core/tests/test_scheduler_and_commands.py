"""The periodic-job scheduler (once per period, catch-up) and the `dealtrack` commands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dealtrack.core.models import ApiToken, PeriodicJobRun, User
from dealtrack.core.scheduler import enqueue_due_jobs
from dealtrack.core.tokens import hash_token, user_for_token

pytestmark = pytest.mark.django_db

JOB = "dealtrack.deals.tasks.refresh_open_deal_health"


def test_a_period_is_enqueued_once_however_often_the_scheduler_ticks(settings):
    settings.DEALTRACK_PERIODIC_JOBS = [(JOB, "daily")]
    now = timezone.now()

    first = enqueue_due_jobs(now)
    second = enqueue_due_jobs(now + dt.timedelta(minutes=5))

    assert len(first) == 1
    assert second == []
    assert PeriodicJobRun.objects.filter(job=JOB).count() == 1


def test_a_worker_that_was_down_catches_up_on_missed_periods(settings):
    settings.DEALTRACK_PERIODIC_JOBS = [(JOB, "daily")]
    start = timezone.now() - dt.timedelta(days=3)
    enqueue_due_jobs(start)

    caught_up = enqueue_due_jobs(start + dt.timedelta(days=3))

    assert [period for _job, period in caught_up] == [
        timezone.localdate(start + dt.timedelta(days=n)).isoformat() for n in (1, 2, 3)
    ]


def test_health_job_marks_stalled_deals_red(org, make_deal, settings):
    deal = make_deal(owner=org.rep_a)
    type(deal).objects.filter(pk=deal.pk).update(
        stage_entered_at=timezone.now() - dt.timedelta(days=40), health="green"
    )
    from dealtrack.deals.tasks import refresh_open_deal_health

    changed = refresh_open_deal_health.call(period="x")

    deal.refresh_from_db()
    assert (changed, deal.health) == (1, "red")


def test_token_create_prints_the_token_alone_on_the_last_line(org):
    out = io.StringIO()

    call_command("token", "create", "rep_a", stdout=out, stderr=io.StringIO())

    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=org.rep_a)
    assert token.token_hash == hash_token(raw)
    assert user_for_token(raw)[0] == org.rep_a
    assert user_for_token(raw + "x") is None


def test_token_for_unknown_user_fails():
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


def test_createadmin_creates_a_superuser_admin():
    call_command("createadmin", "--username", "boss", "--password", "s3cret-Pass", stdout=io.StringIO())

    boss = User.objects.get(username="boss")
    assert (boss.is_admin, boss.is_superuser, boss.check_password("s3cret-Pass")) == (True, True, True)


def test_createadmin_without_password_fails(monkeypatch):
    monkeypatch.delenv("DEALTRACK_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "boss", "--password", "", stdout=io.StringIO())
    assert not User.objects.filter(username="boss").exists()


def test_every_model_is_in_the_admin_and_the_event_log_is_read_only(rf, org):
    from django.apps import apps
    from django.contrib import admin

    from dealtrack.deals.models import DealEvent

    ours = [m for m in apps.get_models() if m.__module__.startswith("dealtrack.")]
    assert [m.__name__ for m in ours if m not in admin.site._registry] == []
    request = rf.get("/")
    request.user = org.admin
    event_admin = admin.site._registry[DealEvent]
    assert not event_admin.has_add_permission(request)
    assert not event_admin.has_change_permission(request)
    assert not event_admin.has_delete_permission(request)

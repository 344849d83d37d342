"""Today (我的工作) and the task actions it offers; the profile's language choice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task
from dealtrack.tasks.services import create_task

pytestmark = pytest.mark.django_db


def test_root_sends_reps_to_today(client, org):
    client.force_login(org.rep_a)

    assert client.get("/")["Location"] == reverse("tasks:today")


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("tasks:today"))["Location"].startswith("/login/")


def test_today_groups_my_tasks_and_lists_stalled_and_closing_deals(client, org, make_deal):
    now = timezone.now()
    today = timezone.localdate()
    closing = make_deal(
        owner=org.rep_a, name="本月成交", expected_close_date=today.replace(day=28 if today.day <= 28 else today.day)
    )
    overdue = create_task(actor=org.rep_a, title="逾期", due_at=now - dt.timedelta(days=2), deal=closing)
    upcoming = create_task(actor=org.rep_a, title="以后", due_at=now + dt.timedelta(days=3))
    create_task(actor=org.rep_b, title="别人的", due_at=now)
    client.force_login(org.rep_a)

    response = client.get(reverse("tasks:today"))

    groups = response.context["groups"]
    assert [t.pk for t in groups["overdue"]["tasks"]] == [overdue.pk]
    assert [t.pk for t in groups["upcoming"]["tasks"]] == [upcoming.pk]
    assert groups["today"]["count"] == 0
    assert [d.pk for d in response.context["closing"]] == [closing.pk]


def test_done_and_snooze_from_today(client, org):
    now = timezone.now()
    first = create_task(actor=org.rep_a, title="打电话", due_at=now)
    second = create_task(actor=org.rep_a, title="发邮件", due_at=now)
    client.force_login(org.rep_a)

    client.post(reverse("tasks:complete", args=[first.pk]), HTTP_HX_REQUEST="true")
    client.post(reverse("tasks:snooze", args=[second.pk]), {"days": "7"})

    assert Task.objects.get(pk=first.pk).status == TaskStatus.DONE
    snoozed = Task.objects.get(pk=second.pk)
    assert snoozed.status == TaskStatus.SNOOZED
    assert timezone.localdate(snoozed.due_at) == timezone.localdate() + dt.timedelta(days=7)


def test_completing_twice_says_so_and_changes_nothing(client, org):
    task = create_task(actor=org.rep_a, title="打电话", due_at=timezone.now())
    client.force_login(org.rep_a)
    client.post(reverse("tasks:complete", args=[task.pk]))
    completed_at = Task.objects.get(pk=task.pk).completed_at

    response = client.post(reverse("tasks:complete", args=[task.pk]), follow=True)

    assert Task.objects.get(pk=task.pk).completed_at == completed_at
    assert response.status_code == 200


def test_another_teams_task_is_404(client, org):
    task = create_task(actor=org.rep_b, title="别人的", due_at=timezone.now())
    client.force_login(org.rep_a)

    assert client.post(reverse("tasks:complete", args=[task.pk])).status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_bad_snooze_choice_changes_nothing(client, org):
    task = create_task(actor=org.rep_a, title="打电话", due_at=timezone.now())
    client.force_login(org.rep_a)

    client.post(reverse("tasks:snooze", args=[task.pk]), {"days": "-5"})

    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_profile_language_switches_the_interface(client, org):
    client.force_login(org.rep_a)

    client.post(reverse("profile"), {"display_name": "小王", "language": "zh-hant"})
    response = client.get(reverse("tasks:today"))

    assert response.context["LANGUAGE_CODE"] == "zh-hant"
    assert "我的工作" in response.content.decode()


def test_profile_with_unknown_language_shows_message(client, org):
    client.force_login(org.rep_a)

    response = client.post(reverse("profile"), {"language": "klingon"})

    assert "language" in response.context["form"].errors

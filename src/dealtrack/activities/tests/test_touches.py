"""Previous touches: each activity on a deal knows when the same person last touched that deal before."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest

from dealtrack.activities.models import Activity
from dealtrack.activities.services import log_activity
from dealtrack.activities.touches import rebuild_all_touches

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def touches() -> list[tuple]:
    return sorted(Activity.objects.values_list("id", "previous_touch_at"))


def test_a_backdated_activity_slots_in_between(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    first, _task = log_activity(actor=org.rep_a, kind="call", deal=deal, occurred_at=T0)
    third, _task = log_activity(actor=org.rep_a, kind="call", deal=deal, occurred_at=T0 + dt.timedelta(days=2))
    second, _task = log_activity(actor=org.rep_a, kind="note", deal=deal, occurred_at=T0 + dt.timedelta(days=1))
    other, _task = log_activity(actor=org.rep_a2, kind="call", deal=deal, occurred_at=T0 + dt.timedelta(hours=1))

    found = dict(Activity.objects.values_list("id", "previous_touch_at"))
    assert found[first.pk] is None
    assert found[second.pk] == T0
    assert found[third.pk] == T0 + dt.timedelta(days=1)
    assert found[other.pk] is None  # another person's first touch


def test_incremental_touches_equal_a_full_rebuild(org, make_deal):
    rng = random.Random(5)
    deals = [make_deal(owner=org.rep_a) for _i in range(3)]
    for _step in range(40):
        log_activity(
            actor=rng.choice([org.rep_a, org.rep_a2]),
            kind="call",
            deal=rng.choice(deals),
            occurred_at=T0 + dt.timedelta(hours=rng.randint(0, 200)),
        )
    incremental = touches()
    assert sum(1 for _id, previous in incremental if previous is not None) > 20

    assert rebuild_all_touches() == 0  # nothing to change
    Activity.objects.update(previous_touch_at=None)
    assert rebuild_all_touches() > 20
    assert touches() == incremental

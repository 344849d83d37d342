"""Quotas: breakdown to quarters, months and weeks; who may set them; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dealtrack.goals.breakdown import monthly_split, quarter_targets, target_for_span, week_targets
from dealtrack.goals.models import Quota
from dealtrack.goals.queries import quota_for_span, quotas_visible_to
from dealtrack.goals.services import delete_quota, set_quota


def test_even_split_gives_every_quarter_exactly_a_quarter():
    months = monthly_split(Decimal("100000"), None)

    assert quarter_targets(months) == [Decimal("25000.00")] * 4
    assert months[:3] == [Decimal("8333.33"), Decimal("8333.33"), Decimal("8333.34")]
    assert sum(months) == Decimal("100000")


def test_quarter_weights_and_month_weights():
    by_quarter = monthly_split(Decimal("1000"), [1, 2, 3, 4])
    by_month = monthly_split(Decimal("1200"), [0] * 11 + [1])

    assert quarter_targets(by_quarter) == [Decimal("100.00"), Decimal("200.00"), Decimal("300.00"), Decimal("400.00")]
    assert by_month == [Decimal("0.00")] * 11 + [Decimal("1200.00")]


def test_weeks_take_each_month_by_days_and_spans_are_pro_rated():
    months = [Decimal("3100")] * 12  # 100 a day in 31-day months
    weeks = week_targets(2025, months)

    assert weeks[0] == (dt.date(2025, 1, 1), dt.date(2025, 1, 5), Decimal("500.00"))  # Wed–Sun
    assert weeks[1][2] == Decimal("700.00")
    assert target_for_span(2025, months, dt.date(2025, 2, 1), dt.date(2025, 2, 14)) == Decimal("1550.00")  # 14/28
    assert len(weeks) == 53


@pytest.mark.django_db
def test_manager_sets_a_quota_for_a_rep_of_the_team(org):
    quota = set_quota(actor=org.manager_a, year=2025, owner=org.rep_north, target="120,000", weights=[1, 1, 1, 1])

    assert quota.target == Decimal("120000.00")
    assert quota_for_span([quota], dt.date(2025, 1, 1), dt.date(2025, 3, 31)) == Decimal("30000.00")
    assert quota_for_span([quota], dt.date(2024, 12, 1), dt.date(2025, 1, 31)) == Decimal("10000.00")


@pytest.mark.django_db
def test_setting_again_replaces_the_quota(org):
    set_quota(actor=org.admin, year=2025, team=org.east, target="100")
    set_quota(actor=org.admin, year=2025, team=org.east, target="200")

    assert list(Quota.objects.values_list("target", flat=True)) == [Decimal("200.00")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "kwargs", "field"),
    [
        ("rep_a", {"owner": "rep_a", "target": "100"}, "owner"),
        ("manager_b", {"owner": "rep_a", "target": "100"}, "owner"),
        ("manager_a", {"team": "east", "target": "100"}, "owner"),
        ("admin", {"owner": "rep_a", "target": "一百"}, "target"),
        ("admin", {"owner": "rep_a", "target": "-5"}, "target"),
        ("admin", {"owner": "rep_a", "target": "100", "weights": [1, 2]}, "weights"),
        ("admin", {"owner": "rep_a", "target": "100", "weights": [0, 0, 0, 0]}, "weights"),
        ("admin", {"owner": "rep_a", "target": "100", "metric": "margin"}, "metric"),
        ("admin", {"target": "100"}, "owner"),
    ],
)
def test_bad_or_forbidden_quota_is_refused_and_nothing_is_written(org, who, kwargs, field):
    kwargs = dict(kwargs)
    if "owner" in kwargs:
        kwargs["owner"] = getattr(org, kwargs["owner"])
    if "team" in kwargs:
        kwargs["team"] = getattr(org, kwargs["team"])

    with pytest.raises(ValidationError) as exc:
        set_quota(actor=getattr(org, who), year=2025, **kwargs)

    assert field in exc.value.message_dict
    assert Quota.objects.count() == 0


@pytest.mark.django_db
def test_quota_visibility_and_deletion(org):
    own = set_quota(actor=org.admin, year=2025, owner=org.rep_a, target="1")
    other = set_quota(actor=org.admin, year=2025, owner=org.rep_b, target="1")
    team = set_quota(actor=org.admin, year=2025, team=org.sales, target="1")

    assert set(quotas_visible_to(org.rep_a)) == {own, team}
    assert set(quotas_visible_to(org.manager_b)) == {other}
    assert set(quotas_visible_to(org.admin)) == {own, other, team}
    with pytest.raises(ValidationError):
        delete_quota(actor=org.rep_a, quota=own)
    delete_quota(actor=org.manager_a, quota=own)
    assert set(Quota.objects.all()) == {other, team}

"""Report building blocks: the median from counts, local calendar days and months in SQL."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealtrack.core.expressions import DaysBetween, month_of
from dealtrack.deals import services
from dealtrack.deals.models import Deal
from dealtrack.reports.figures import median_of_counts, medians
from dealtrack.reports.tests.conftest import local


@given(st.lists(st.integers(min_value=-5, max_value=400), min_size=1, max_size=200))
def test_median_from_counts_equals_the_median_of_the_rows(values):
    assert median_of_counts(sorted(Counter(values).items())) == round(statistics.median(values), 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("created", "closed", "days"),
    [
        ((2025, 4, 1, 23, 30), (2025, 4, 2, 0, 10), 1),  # 40 minutes, but across local midnight
        ((2025, 4, 1, 0, 0), (2025, 4, 1, 23, 59), 0),  # the same local day, from its first moment
        ((2025, 4, 1, 7, 59), (2025, 4, 1, 8, 1), 0),  # across UTC midnight (08:00 in Shanghai)
        ((2024, 12, 31, 12, 0), (2025, 3, 1, 0, 0), 60),  # over a year's end and February
    ],
)
def test_cycle_days_count_local_calendar_days(org, created, closed, days):
    deal = services.create_deal(actor=org.rep_a, name="c", value="1", created_at=local(*created))
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=local(*closed))

    cycle = Deal.objects.annotate(cycle=DaysBetween("created_at", "closed_at")).get(pk=deal.pk).cycle

    assert cycle == days
    assert month_of_close(deal.pk) == f"{closed[0]}-{closed[1]:02d}"


def month_of_close(pk):
    months = ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    return Deal.objects.annotate(month=month_of("closed_at", months)).get(pk=pk).month


@pytest.mark.django_db
def test_medians_per_group_from_the_counts_equal_pythons(org):
    values = {org.rep_a: [5, 1, 9, 9, 3, 7], org.rep_b: [4, 4, 100], org.rep_a2: [42]}
    for owner, probabilities in values.items():
        for probability in probabilities:
            services.create_deal(actor=owner, owner=owner, name="m", value="1", probability_override=probability)
    services.create_deal(actor=org.rep_a2, owner=org.rep_a2, name="none", value="1")  # no value: not counted

    found = medians(Deal.objects.values("owner_id", "probability_override"), "probability_override", "owner_id")

    assert found == {owner.pk: round(statistics.median(v), 1) for owner, v in values.items()}

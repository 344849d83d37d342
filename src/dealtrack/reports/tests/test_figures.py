"""The median helper against Python's statistics.median, on arbitrary repeated values."""

from __future__ import annotations

import statistics
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from dealtrack.reports.figures import _middle


@given(st.lists(st.integers(min_value=-5, max_value=400), min_size=1, max_size=200))
def test_median_from_counts_equals_the_median_of_the_rows(values):
    assert _middle(sorted(Counter(values).items())) == round(statistics.median(values), 1)

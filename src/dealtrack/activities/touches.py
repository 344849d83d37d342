"""Keeps `Activity.previous_touch_at` in step: for each activity on a deal, when the same person last
logged one on that deal before it (ordered by time, then id). Recomputed for a person and deal whenever
they log an activity there (it may be backdated between two others), and for everything after bulk loads.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router

from dealtrack.activities.models import Activity

# The person's previous activity on the deal, for every activity (of the given pairs) whose stored value
# differs; `IS NOT` / `IS DISTINCT FROM` compare NULLs as values.
_UPDATE = """
UPDATE activities_activity SET previous_touch_at = touches.previous_at
FROM (
    SELECT id, LAG(occurred_at) OVER (PARTITION BY user_id, deal_id ORDER BY occurred_at, id) AS previous_at
    FROM activities_activity
    WHERE deal_id IS NOT NULL{pairs}
) AS touches
WHERE activities_activity.id = touches.id
    AND activities_activity.previous_touch_at {distinct} touches.previous_at
"""


def _statement(vendor: str, pair_count: int | None) -> str:
    pairs = "" if pair_count is None else " AND (" + " OR ".join(["(user_id = %s AND deal_id = %s)"] * pair_count) + ")"
    return _UPDATE.format(pairs=pairs, distinct="IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT")


def refresh_touches(pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the previous touches of these (user id, deal id) pairs' activities."""
    wanted = sorted(set(pairs))
    if not wanted:
        return
    connection = connections[router.db_for_write(Activity)]
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor, len(wanted)), [value for pair in wanted for value in pair])


def rebuild_all_touches(using: str | None = None) -> int:
    """Recompute every activity's previous touch (migrations, bulk loads, restores); returns how many changed."""
    connection = connections[using or router.db_for_write(Activity)]
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor, None))
        return cursor.rowcount

"""Keeps `StageVisit` rows in step with the event log: one set-based statement derives a deal's visits
from its `created` and `stage_changed` events, for a few deals (each event writer, right after writing)
or for all (migrations, bulk loads, restores).

Rebuilding a deal's visits from its events, rather than patching the previous visit, keeps them exact
whatever order history arrives in (imports write past events, reopening adds entries to old stages).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import connections, router

from dealtrack.deals import stage_totals
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import StageVisit
from dealtrack.pipelines.choices import StageKind

VISIT_EVENT_TYPES = (EventType.CREATED, EventType.STAGE_CHANGED)
CHUNK = 500

# Whole seconds from entering to leaving, truncated like the `seconds_in_stage` the writers record.
_SECONDS = {
    "sqlite": "CAST(ROUND((julianday(left_at) - julianday(occurred_at)) * 86400000) / 1000 AS INTEGER)",
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM (left_at - occurred_at))) AS BIGINT)",
}

# A visit ends at the deal's next stage entry; it moved on if a later entry (same pipeline, ordered by
# time then id like the event log) reached a stage placed further, open or won; the previous entry is
# the deal's last earlier one into the same stage.
_INSERT = """
INSERT INTO deals_stagevisit
    (deal_id, owner_id, stage_id, entered_at, previous_entry_at, left_at, seconds, moved_on)
SELECT deal_id, owner_id, to_stage_id, occurred_at, previous_entry_at, left_at, {seconds},
    COALESCE(further > position, FALSE)
FROM (
    SELECT e.deal_id, d.owner_id, e.to_stage_id, e.occurred_at, s.position,
        LEAD(e.occurred_at) OVER (PARTITION BY e.deal_id ORDER BY e.occurred_at, e.id) AS left_at,
        LAG(e.occurred_at) OVER (PARTITION BY e.deal_id, e.to_stage_id ORDER BY e.occurred_at, e.id)
            AS previous_entry_at,
        MAX(CASE WHEN s.kind IN (%s, %s) THEN s.position END) OVER (
            PARTITION BY e.deal_id, s.pipeline_id ORDER BY e.occurred_at, e.id
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS further
    FROM deals_dealevent e
        JOIN pipelines_stage s ON s.id = e.to_stage_id
        JOIN deals_deal d ON d.id = e.deal_id
    WHERE e.type IN (%s, %s){deals}
) entries
"""


def _statement(vendor: str, deal_count: int | None, *, id_range: bool = False) -> str:
    if id_range:
        deals = " AND e.deal_id BETWEEN %s AND %s"
    else:
        deals = "" if deal_count is None else f" AND e.deal_id IN ({', '.join(['%s'] * deal_count)})"
    return _INSERT.format(seconds=_SECONDS.get(vendor, _SECONDS["sqlite"]), deals=deals)


def _parameters(deal_ids: list[int] | None = None) -> list[object]:
    return [StageKind.OPEN, StageKind.WON, *VISIT_EVENT_TYPES, *(deal_ids or [])]


def refresh_stage_visits(deal_ids: Iterable[int]) -> None:
    """Rebuild the visits of these deals from their events, and the daily stage totals they count in
    (call inside the writer's transaction)."""
    connection = connections[router.db_for_write(StageVisit)]
    visits = StageVisit.objects.using(connection.alias)
    wanted = sorted(set(deal_ids))
    if len(wanted) > CHUNK and wanted[-1] - wanted[0] + 1 == len(wanted):
        # A bulk import's deals have consecutive ids: one statement over the id range, not one per chunk.
        mine = visits.filter(deal_id__gte=wanted[0], deal_id__lte=wanted[-1])
        cells = stage_totals.cells_of(mine)  # distinct cells, not every visit: the range may be large
        with connection.cursor() as cursor:
            mine.delete()
            cursor.execute(_statement(connection.vendor, None, id_range=True), [*_parameters(), wanted[0], wanted[-1]])
        stage_totals.refresh_stage_totals(cells | stage_totals.cells_of(mine), connection.alias)
        return
    ids = iter(wanted)
    with connection.cursor() as cursor:
        while chunk := list(islice(ids, CHUNK)):
            mine = visits.filter(deal_id__in=chunk)
            before = stage_totals.counted(mine)
            mine.delete()
            cursor.execute(_statement(connection.vendor, len(chunk)), _parameters(chunk))
            stage_totals.refresh_stage_totals(
                stage_totals.changed_cells(before, stage_totals.counted(mine)), connection.alias
            )


def rebuild_all_stage_visits(using: str | None = None) -> int:
    """Replace every visit with those derived from the whole event log; returns how many there are. The
    daily stage totals are left to `stage_totals.rebuild_all_stage_totals` (older migrations call this
    before that table exists)."""
    alias = using or router.db_for_write(StageVisit)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM deals_stagevisit")
        cursor.execute(_statement(connection.vendor, None), _parameters())
    return StageVisit.objects.using(alias).count()

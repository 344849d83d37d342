"""Checks that stored deal histories obey the rules of time; used by the tests and on the benchmark set.

Streams deals and events in id / time order (memory stays flat on a million deals) and counts the
activities and tasks outside their deal's life with SQL. An empty list means every history holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from django.db.models import F, Q

from dealtrack.activities.models import Activity
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Stage
from dealtrack.tasks.models import Task

_OPEN_KINDS = (StageKind.OPEN, StageKind.FRIDGE)


def _deal_problems(
    deal: tuple[Any, ...], events: list[tuple[Any, ...]], stages: dict[int, tuple[str, int]]
) -> list[str]:
    pk, created_at, status, stage_id, closed_at, lost_reason_id, expected_close, pipeline_id = deal
    problems: list[str] = []
    if any(at < created_at for _type, at, _from, _to in events):
        problems.append(f"deal {pk}: an event happened before the deal was created")
    created = [e for e in events if e[0] == EventType.CREATED]
    if len(created) != 1 or created[0][1] != created_at:
        return [*problems, f"deal {pk}: history does not record `created` once, at the creation time"]
    current = created[0][3]
    for type_, _at, from_stage, to_stage in events:
        if type_ != EventType.STAGE_CHANGED:
            continue
        if from_stage != current:
            problems.append(f"deal {pk}: stage change from {from_stage} does not follow stage {current}")
        if stages.get(to_stage, ("", None))[1] != pipeline_id:
            problems.append(f"deal {pk}: moved to stage {to_stage} of another pipeline")
        current = to_stage
    if current != stage_id:
        problems.append(f"deal {pk}: last stage change leads to {current}, the deal is in {stage_id}")
    kind = stages[stage_id][0]
    last_type, last_at = events[-1][0], events[-1][1]
    if status == DealStatus.OPEN:
        if closed_at is not None:
            problems.append(f"deal {pk}: open but has closed_at")
        if kind not in _OPEN_KINDS:
            problems.append(f"deal {pk}: open but in a {kind} stage")
        if expected_close is None:
            problems.append(f"deal {pk}: open without an expected close date")
    else:
        if closed_at is None or last_type != status or last_at != closed_at:
            problems.append(f"deal {pk}: {status} but its last event is not `{status}` at closed_at")
        if kind != status:
            problems.append(f"deal {pk}: {status} but in a {kind} stage")
        if status == DealStatus.LOST and lost_reason_id is None:
            problems.append(f"deal {pk}: lost without a reason")
    return problems


def _events_by_deal() -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    rows = (
        DealEvent.objects.order_by("deal_id", "occurred_at", "id")
        .values_list("deal_id", "type", "occurred_at", "from_stage_id", "to_stage_id")
        .iterator(chunk_size=20_000)
    )
    for deal_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield deal_id, [r[1:] for r in group]


def history_problems(*, limit: int = 50) -> list[str]:
    """Up to `limit` descriptions of histories that break a rule; [] when all deals are consistent.

    Rules: a history has one `created` event, at the deal's creation, and nothing earlier; stage changes
    chain from → to within the deal's pipeline and end in the deal's stage; a won or lost deal has
    closed_at, ends with a `won`/`lost` event at exactly that time and sits in the Won/Lost stage (a lost
    one with a reason); an open deal sits in an open or fridge stage with an expected close date;
    activities and completed tasks fall within the deal's life.
    """
    stages = {
        pk: (kind, pipeline_id) for pk, kind, pipeline_id in Stage.objects.values_list("pk", "kind", "pipeline_id")
    }
    deals = (
        Deal.objects.order_by("id")
        .values_list(
            "id",
            "created_at",
            "status",
            "stage_id",
            "closed_at",
            "lost_reason_id",
            "expected_close_date",
            "pipeline_id",
        )
        .iterator(chunk_size=20_000)
    )
    events = _events_by_deal()
    pending = next(events, None)
    problems: list[str] = []
    for deal in deals:
        while pending is not None and pending[0] < deal[0]:
            problems.append(f"events for missing deal {pending[0]}")
            pending = next(events, None)
        history: list[tuple[Any, ...]] = []
        if pending is not None and pending[0] == deal[0]:
            history = pending[1]
            pending = next(events, None)
        problems.extend(_deal_problems(deal, history, stages))
        if len(problems) >= limit:
            return problems[:limit]
    outside = Q(occurred_at__lt=F("deal__created_at")) | Q(occurred_at__gt=F("deal__closed_at"))
    if count := Activity.objects.filter(outside, deal__isnull=False).count():
        problems.append(f"{count} activities outside their deal's life")
    late = Q(completed_at__lt=F("deal__created_at")) | Q(completed_at__gt=F("deal__closed_at"))
    if count := Task.objects.filter(late, deal__isnull=False).count():
        problems.append(f"{count} tasks completed outside their deal's life")
    return problems[:limit]

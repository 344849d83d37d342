"""The only writers of `DealEvent` rows: one function per event type, called from services.

Each takes `at` so that imported history and the demo generator can record the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone

from dealtrack.core.models import User
from dealtrack.deals.bulk_insert import insert_rows
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.stage_visits import VISIT_EVENT_TYPES, refresh_stage_visits
from dealtrack.pipelines.models import Stage


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


class EventRow(NamedTuple):
    """One event's values before it is stored. Each event type's row is built by one function below; the
    `*_event` writers save it at once, bulk imports collect many and store them with `write_event_rows`."""

    deal: Deal
    type: str
    actor: User | None
    occurred_at: dt.datetime
    from_stage: Stage | None = None
    to_stage: Stage | None = None
    parameters: dict[str, Any] | None = None

    def save(self) -> DealEvent:
        event = DealEvent(
            deal=self.deal,
            type=self.type,
            actor=self.actor,
            occurred_at=self.occurred_at,
            from_stage=self.from_stage,
            to_stage=self.to_stage,
            parameters=self.parameters or {},
        )
        event.save()
        if self.type in VISIT_EVENT_TYPES:
            refresh_stage_visits([event.deal_id])
        return event


EVENT_COLUMNS = ("deal_id", "type", "actor_id", "occurred_at", "from_stage_id", "to_stage_id", "parameters")


def write_event_rows(rows: Iterable[EventRow]) -> int:
    """Store many events in one pass (bulk imports); their deals must be saved or have reserved ids."""
    moved: set[int] = set()

    def values(row: EventRow) -> tuple[Any, ...]:
        if row.type in VISIT_EVENT_TYPES:
            moved.add(row.deal.pk)
        return (
            row.deal.pk,
            row.type,
            row.actor.pk if row.actor is not None else None,
            row.occurred_at,
            row.from_stage.pk if row.from_stage is not None else None,
            row.to_stage.pk if row.to_stage is not None else None,
            row.parameters or {},
        )

    written = insert_rows(DealEvent, EVENT_COLUMNS, (values(row) for row in rows))
    refresh_stage_visits(moved)
    return written


def _build(deal: Deal, type_: str, actor: User | None, at: dt.datetime | None, **kwargs: Any) -> EventRow:
    return EventRow(deal, type_, actor, at or timezone.now(), **kwargs)


def _write(deal: Deal, type_: str, actor: User | None, at: dt.datetime | None, **kwargs: Any) -> DealEvent:
    return _build(deal, type_, actor, at, **kwargs).save()


# The `*_row` builders return unsaved rows for bulk imports (stored with `write_event_rows` by the
# caller); the writers below save the same rows one by one. Each event type's payload is defined only once.


def deal_created_row(
    *, deal: Deal, actor: User | None, at: dt.datetime | None = None, stage: Stage | None = None
) -> EventRow:
    """`stage` is where the deal started when that differs from where it is now (imported closed deals)."""
    return _build(
        deal,
        EventType.CREATED,
        actor,
        at,
        to_stage=stage or deal.stage,
        parameters={"value": str(deal.value_base), "owner": deal.owner_id},
    )


def deal_created_event(*, deal: Deal, actor: User | None, at: dt.datetime | None = None) -> DealEvent:
    return deal_created_row(deal=deal, actor=actor, at=at).save()


def field_changed_event(
    *, deal: Deal, actor: User | None, changes: dict[str, tuple[Any, Any]], at: dt.datetime | None = None
) -> DealEvent:
    """One event for one save, listing every field that changed as {field: [old, new]}."""
    payload = {name: [_jsonable(old), _jsonable(new)] for name, (old, new) in changes.items()}
    return _write(deal, EventType.FIELD_CHANGED, actor, at, parameters={"changes": payload})


def stage_changed_row(
    *,
    deal: Deal,
    actor: User | None,
    from_stage: Stage,
    to_stage: Stage,
    at: dt.datetime | None = None,
    seconds_in_from: int | None = None,
) -> EventRow:
    return _build(
        deal,
        EventType.STAGE_CHANGED,
        actor,
        at,
        from_stage=from_stage,
        to_stage=to_stage,
        parameters={"seconds_in_stage": seconds_in_from},
    )


def stage_changed_event(
    *,
    deal: Deal,
    actor: User | None,
    from_stage: Stage,
    to_stage: Stage,
    at: dt.datetime | None = None,
    seconds_in_from: int | None = None,
) -> DealEvent:
    return stage_changed_row(
        deal=deal, actor=actor, from_stage=from_stage, to_stage=to_stage, at=at, seconds_in_from=seconds_in_from
    ).save()


def deal_won_row(*, deal: Deal, actor: User | None, at: dt.datetime | None = None) -> EventRow:
    return _build(deal, EventType.WON, actor, at, to_stage=deal.stage, parameters={"value": str(deal.value_base)})


def deal_won_event(*, deal: Deal, actor: User | None, at: dt.datetime | None = None) -> DealEvent:
    return deal_won_row(deal=deal, actor=actor, at=at).save()


def deal_lost_row(*, deal: Deal, actor: User | None, at: dt.datetime | None = None) -> EventRow:
    return _build(
        deal,
        EventType.LOST,
        actor,
        at,
        to_stage=deal.stage,
        parameters={
            "reason": deal.lost_reason_id,
            "reason_name": deal.lost_reason.name if deal.lost_reason else "",
            "note": deal.lost_note,
            "value": str(deal.value_base),
        },
    )


def deal_lost_event(*, deal: Deal, actor: User | None, at: dt.datetime | None = None) -> DealEvent:
    return deal_lost_row(deal=deal, actor=actor, at=at).save()


def deal_reopened_event(
    *, deal: Deal, actor: User | None, from_stage: Stage, at: dt.datetime | None = None
) -> DealEvent:
    return _write(deal, EventType.REOPENED, actor, at, from_stage=from_stage, to_stage=deal.stage)


def owner_changed_event(
    *, deal: Deal, actor: User | None, old_owner: User, new_owner: User, at: dt.datetime | None = None
) -> DealEvent:
    return _write(
        deal,
        EventType.OWNER_CHANGED,
        actor,
        at,
        parameters={"from": old_owner.pk, "to": new_owner.pk, "from_name": old_owner.name, "to_name": new_owner.name},
    )


def activity_logged_event(
    *, deal: Deal, actor: User | None, activity_id: int, kind: str, at: dt.datetime | None = None
) -> DealEvent:
    return _write(deal, EventType.ACTIVITY_LOGGED, actor, at, parameters={"activity": activity_id, "kind": kind})


def task_done_event(
    *, deal: Deal, actor: User | None, task_id: int, title: str, at: dt.datetime | None = None
) -> DealEvent:
    return _write(deal, EventType.TASK_DONE, actor, at, parameters={"task": task_id, "title": title})


def collaborator_event(
    *, deal: Deal, actor: User | None, user: User, added: bool, at: dt.datetime | None = None
) -> DealEvent:
    type_ = EventType.COLLABORATOR_ADDED if added else EventType.COLLABORATOR_REMOVED
    return _write(deal, type_, actor, at, parameters={"user": user.pk, "name": user.name})

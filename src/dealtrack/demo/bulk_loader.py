"""Bulk mode: the rows the services would write for each plan, inserted a chunk of deals at a time.

For every deal: the deal row, its tags and deal team, its activities and follow-up tasks, and its
event log (created, stage_changed from → to with seconds in stage, won / lost with the reason,
activity_logged, task_done, collaborator_added) with the parameters `deals.events` writes, in the
order the services would append them. Health comes from `deals.health.assess_health` as of --today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from dealtrack.activities.models import Activity
from dealtrack.deals.choices import DealStatus, EventType, ForecastCategory, Health
from dealtrack.deals.health import assess_health
from dealtrack.deals.models import Deal, DealCollaborator, DealEvent
from dealtrack.demo.bulk_insert import DbValues, RowWriter, next_id, reset_sequences
from dealtrack.demo.plans import DealPlan, Step
from dealtrack.demo.timeline import Timeline
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task

DEAL_FIELDS = (
    "id",
    "external_id",
    "name",
    "company",
    "primary_contact",
    "owner",
    "pipeline",
    "stage",
    "status",
    "value",
    "currency",
    "value_base",
    "expected_close_date",
    "closed_at",
    "priority",
    "source",
    "lead_grade",
    "deal_type",
    "next_step",
    "probability_override",
    "lost_reason",
    "lost_note",
    "custom",
    "health",
    "forecast_category",
    "forecast_category_override",
    "stage_entered_at",
    "last_activity_at",
    "created_by",
    "version",
    "created_at",
    "updated_at",
)
EVENT_FIELDS = ("deal", "type", "actor", "occurred_at", "from_stage", "to_stage", "parameters")
ACTIVITY_FIELDS = (
    "id",
    "kind",
    "subject",
    "outcome",
    "occurred_at",
    "duration_minutes",
    "user",
    "deal",
    "company",
    "contact",
    "created_at",
    "updated_at",
)
TASK_FIELDS = (
    "id",
    "title",
    "notes",
    "due_at",
    "assignee",
    "deal",
    "company",
    "status",
    "snoozed_until",
    "completed_at",
    "created_by",
    "created_at",
    "updated_at",
)
COLLABORATOR_FIELDS = ("deal", "user", "role", "added_at")
TAG_FIELDS = ("deal", "tag")
# The tables a bulk load fills, whose secondary indexes are rebuilt after it.
BULK_MODELS = (Deal, Deal.tags.through, DealCollaborator, Activity, Task, DealEvent)


@dataclass
class Rows:
    """One chunk's rows, table by table, in insert order (parents before children)."""

    deals: list[tuple[Any, ...]]
    tags: list[tuple[Any, ...]]
    collaborators: list[tuple[Any, ...]]
    activities: list[tuple[Any, ...]]
    tasks: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]


class BulkLoader:
    """Turns plans into rows with ids assigned here (deal, activity and task ids are referenced by events)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.values = DbValues()
        self.writers = (
            RowWriter(Deal, DEAL_FIELDS),
            RowWriter(Deal.tags.through, TAG_FIELDS),
            RowWriter(DealCollaborator, COLLABORATOR_FIELDS),
            RowWriter(Activity, ACTIVITY_FIELDS),
            RowWriter(Task, TASK_FIELDS),
            RowWriter(DealEvent, EVENT_FIELDS),
        )
        self.deal_id = next_id(Deal)
        self.activity_id = next_id(Activity)
        self.task_id = next_id(Task)

    def write(self, plans: Sequence[DealPlan]) -> Rows:
        """Insert the rows of `plans` (call inside a transaction); returns them for counting."""
        rows = Rows([], [], [], [], [], [])
        for plan in plans:
            self._deal_rows(plan, rows)
        with connection.cursor() as cursor:
            for writer, chunk in zip(
                self.writers,
                (rows.deals, rows.tags, rows.collaborators, rows.activities, rows.tasks, rows.events),
                strict=True,
            ):
                writer.write(cursor, chunk)
        return rows

    @staticmethod
    def finish() -> None:
        reset_sequences([Deal, Activity, Task])

    def _deal_rows(self, plan: DealPlan, rows: Rows) -> None:
        moment = self.timeline.moment
        db = self.values.moment
        json = self.values.json
        deal_id = self.deal_id
        self.deal_id += 1
        owner_id = plan.owner.pk
        company_id = plan.customer.company_id
        value_base = str(plan.value_base)
        first_stage = plan.shape.open_stages[0]
        created = moment(plan.created_at)
        created_stored = db(created)
        events = rows.events
        events.append(
            (
                deal_id,
                EventType.CREATED,
                owner_id,
                created_stored,
                None,
                first_stage.pk,
                json({"value": value_base, "owner": owner_id}),
            )
        )
        task_ids: dict[int, int] = {}
        stage, entered = first_stage, created
        for at, step, _seq, payload in plan.steps():
            when = moment(at)
            stored = db(when)  # adapted once: the same instant goes into several rows
            if step == Step.ACTIVITY:
                activity_id = self.activity_id
                self.activity_id += 1
                contact_id = plan.contact_id if payload.with_contact else None
                rows.activities.append(
                    (
                        activity_id,
                        payload.kind,
                        payload.subject,
                        payload.outcome,
                        stored,
                        payload.duration_minutes,
                        payload.by.pk,
                        deal_id,
                        company_id,
                        contact_id,
                        stored,
                        stored,
                    )
                )
                events.append(
                    (
                        deal_id,
                        EventType.ACTIVITY_LOGGED,
                        payload.by.pk,
                        stored,
                        None,
                        None,
                        json({"activity": activity_id, "kind": payload.kind}),
                    )
                )
                if payload.follow_up is not None:
                    task_ids[id(payload.follow_up)] = self._task_row(plan, payload, deal_id, stored, rows)
            elif step == Step.TASK_DONE:
                events.append(
                    (
                        deal_id,
                        EventType.TASK_DONE,
                        owner_id,
                        stored,
                        None,
                        None,
                        json({"task": task_ids[id(payload)], "title": payload.title}),
                    )
                )
            elif step == Step.COLLABORATOR:
                rows.collaborators.append((deal_id, payload.user.pk, payload.role, stored))
                events.append(
                    (
                        deal_id,
                        EventType.COLLABORATOR_ADDED,
                        owner_id,
                        stored,
                        None,
                        None,
                        json({"user": payload.user.pk, "name": payload.user.name}),
                    )
                )
            elif step in (Step.MOVE, Step.CLOSE):
                target = payload if step == Step.MOVE else plan.stage
                seconds = int((when - entered).total_seconds())
                events.append(
                    (
                        deal_id,
                        EventType.STAGE_CHANGED,
                        owner_id,
                        stored,
                        stage.pk,
                        target.pk,
                        json({"seconds_in_stage": seconds}),
                    )
                )
                stage, entered = target, when
                if step == Step.CLOSE:
                    events.append(self._close_event(plan, deal_id, owner_id, stored, value_base))
        rows.tags.extend((deal_id, tag.pk) for tag in plan.tags)
        rows.deals.append(self._deal_row(plan, deal_id, value_base, created_stored))

    def _close_event(self, plan: DealPlan, deal_id: int, owner_id: int, at: Any, value_base: str) -> tuple[Any, ...]:
        if plan.status == DealStatus.WON:
            return (
                deal_id,
                EventType.WON,
                owner_id,
                at,
                None,
                plan.shape.won.pk,
                self.values.json({"value": value_base}),
            )
        reason = plan.lost_reason
        parameters = {
            "reason": reason.pk if reason else None,
            "reason_name": reason.name if reason else "",
            "note": plan.lost_note.strip(),
            "value": value_base,
        }
        return (deal_id, EventType.LOST, owner_id, at, None, plan.shape.lost.pk, self.values.json(parameters))

    def _task_row(self, plan: DealPlan, activity: Any, deal_id: int, created: Any, rows: Rows) -> int:
        """The follow-up row `log_activity` creates with the activity; returns its id."""
        task = activity.follow_up
        task_id = self.task_id
        self.task_id += 1
        moment, db = self.timeline.moment, self.values.moment
        if task.done_at is not None:
            status, completed = TaskStatus.DONE, db(moment(task.done_at))
        elif task.cancelled:
            status, completed = TaskStatus.CANCELLED, None
        else:
            status, completed = TaskStatus.OPEN, None
        updated = completed or (db(moment(plan.closed_at)) if task.cancelled and plan.closed_at else created)
        rows.tasks.append(
            (
                task_id,
                task.title,
                "",
                db(moment(task.due)),
                plan.owner.pk,
                deal_id,
                plan.customer.company_id,
                status,
                None,
                completed,
                activity.by.pk,
                created,
                updated,
            )
        )
        return task_id

    def _deal_row(self, plan: DealPlan, deal_id: int, value_base: str, created: Any) -> tuple[Any, ...]:
        moment, db = self.timeline.moment, self.values.moment
        closed = moment(plan.closed_at) if plan.closed_at is not None else None
        entered = moment(plan.stage_entered_at)
        last_activity = moment(plan.last_activity_at) if plan.last_activity_at is not None else None
        stage = plan.stage
        if plan.status == DealStatus.OPEN:
            health = self._health(plan, entered, last_activity)
            forecast = plan.forecast_category
        else:
            health = Health.GREEN
            forecast = ForecastCategory.CLOSED if plan.status == DealStatus.WON else ForecastCategory.OMITTED
        lost = plan.status == DealStatus.LOST
        entered_stored = db(entered)
        return (
            deal_id,
            "",
            plan.name,
            plan.customer.company_id,
            plan.contact_id,
            plan.owner.pk,
            plan.shape.pipeline.pk,
            stage.pk,
            plan.status,
            plan.value,
            plan.currency,
            plan.value_base,
            plan.expected_close_date,
            entered_stored if closed is not None else None,  # a closed deal entered Won/Lost when it closed
            plan.priority,
            plan.source.pk if plan.source else None,
            plan.lead_grade,
            plan.deal_type,
            plan.next_step,
            plan.probability_override,
            plan.lost_reason.pk if lost and plan.lost_reason else None,
            plan.lost_note.strip() if lost else "",
            self.values.json(plan.custom),
            health,
            forecast,
            "",  # no manager override in the demo
            entered_stored,
            db(last_activity),
            plan.owner.pk,
            plan.version,
            created,
            entered_stored,
        )

    def _health(self, plan: DealPlan, entered: Any, last_activity: Any) -> str:
        deal = Deal(
            status=DealStatus.OPEN,
            stage=plan.stage,
            stage_entered_at=entered,
            last_activity_at=last_activity,
            expected_close_date=plan.expected_close_date,
            created_at=self.timeline.moment(plan.created_at),
        )
        health, _reasons = assess_health(deal, has_open_task=plan.has_open_task, as_of=self.timeline.as_of)
        return health

"""Normal mode: every plan is played through the real services, so each event is written as in production."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dealtrack.activities.services import log_activity
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import Deal
from dealtrack.deals.services import (
    add_collaborator,
    create_deal,
    mark_deal_lost,
    mark_deal_won,
    move_deal_to_stage,
    refresh_health,
)
from dealtrack.demo.plans import ActivityPlan, CollaboratorPlan, DealPlan, Step, TaskPlan
from dealtrack.demo.timeline import Timeline
from dealtrack.pipelines.models import Stage
from dealtrack.tasks.models import Task
from dealtrack.tasks.services import cancel_task, complete_task


class ServiceLoader:
    """Replays plans through `create_deal`, `move_deal_to_stage`, `mark_deal_won/lost`, `log_activity`,
    `complete_task`, `cancel_task` and `add_collaborator`, each at the moment the plan says."""

    def __init__(self, timeline: Timeline, company_ids: Iterable[int]) -> None:
        self.timeline = timeline
        ids = list(company_ids)
        self.companies = Company.objects.in_bulk(ids)
        self.contacts = {c.pk: c for c in Contact.objects.filter(company_id__in=ids)}

    def write(self, plan: DealPlan) -> Deal:
        moment = self.timeline.moment
        deal = create_deal(
            actor=plan.owner,
            owner=plan.owner,
            name=plan.name,
            pipeline=plan.shape.pipeline,
            stage=plan.shape.open_stages[0],
            created_at=moment(plan.created_at),
            tags=plan.tags,
            company=self.companies[plan.customer.company_id],
            primary_contact=self.contacts[plan.contact_id] if plan.contact_id else None,
            value=plan.value,
            currency=plan.currency,
            expected_close_date=plan.expected_close_date,
            priority=plan.priority,
            source=plan.source,
            lead_grade=plan.lead_grade,
            deal_type=plan.deal_type,
            next_step=plan.next_step,
            probability_override=plan.probability_override,
            forecast_category=plan.forecast_category,
            custom=plan.custom,
        )
        tasks: dict[int, Task] = {}
        for at, step, _seq, payload in plan.steps():
            deal = self._run(plan, deal, at, step, payload, tasks)
        return deal

    def _run(self, plan: DealPlan, deal: Deal, at: int, step: Step, payload: Any, tasks: dict[int, Task]) -> Deal:
        when = self.timeline.moment(at)
        owner = plan.owner
        if step == Step.ACTIVITY:
            self._log(plan, deal, payload, tasks)
        elif step == Step.TASK_DONE:
            complete_task(task=tasks[id(payload)], actor=owner, at=when)
        elif step == Step.CANCEL_TASK:
            cancel_task(task=tasks[id(payload)], actor=owner)
        elif step == Step.COLLABORATOR:
            collaborator: CollaboratorPlan = payload
            add_collaborator(deal=deal, actor=owner, user=collaborator.user, role=collaborator.role, at=when)
        elif step == Step.MOVE:
            stage: Stage = payload
            deal = move_deal_to_stage(deal=deal, stage=stage, actor=owner, at=when)
        elif plan.status == DealStatus.WON:
            deal = mark_deal_won(deal=deal, actor=owner, at=when)
        else:
            deal = mark_deal_lost(deal=deal, actor=owner, reason=plan.lost_reason, note=plan.lost_note, at=when)
        return deal

    def _log(self, plan: DealPlan, deal: Deal, activity: ActivityPlan, tasks: dict[int, Task]) -> None:
        follow_up: TaskPlan | None = activity.follow_up
        moment = self.timeline.moment
        _activity, task = log_activity(
            actor=activity.by,
            kind=activity.kind,
            deal=deal,
            contact=self.contacts[plan.contact_id] if activity.with_contact and plan.contact_id else None,
            subject=activity.subject,
            outcome=activity.outcome,
            occurred_at=moment(activity.at),
            duration_minutes=activity.duration_minutes,
            follow_up_title=follow_up.title if follow_up else "",
            follow_up_due=moment(follow_up.due) if follow_up else None,
        )
        if follow_up is not None and task is not None:
            tasks[id(follow_up)] = task


def refresh_open_deals_health(timeline: Timeline) -> None:
    """Health as of --today rather than as of the moment the generator ran, so it is deterministic too."""
    for deal in list(Deal.objects.filter(status=DealStatus.OPEN).select_related("stage")):
        refresh_health(deal, as_of=timeline.as_of)

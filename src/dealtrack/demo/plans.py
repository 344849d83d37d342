"""The life of each demo deal, decided before anything is written: one plan feeds both writers.

A plan is consistent in time by construction. Working-time instants (see `timeline`) only increase:
created → stage moves → won/lost; activities, task completions and collaborators fall between the
creation and the close (strictly before it), or before the end of the window for open deals. Plans
depend only on the seed, the number of deals, --today and the order of the reference rows, never on
row ids, so the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from typing import Any

from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus, DealType, ForecastCategory, LeadGrade, Priority
from dealtrack.deals.models import LostReason, Source, Tag
from dealtrack.demo import constants
from dealtrack.demo.customers import CustomerRef
from dealtrack.demo.organisation import Organisation, PipelineShape
from dealtrack.demo.timeline import DAY, HOUR, Timeline
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Stage

MINUTE = 60

_PRIORITIES = ((Priority.NORMAL, 60), (Priority.HIGH, 20), (Priority.LOW, 12), (Priority.URGENT, 8))
_GRADES = ((LeadGrade.HIGH, 25), (LeadGrade.MID, 40), (LeadGrade.LOW, 20), ("", 15))
_TYPES = ((DealType.NEW, 70), (DealType.RENEWAL, 15), (DealType.EXPANSION, 15))
_TYPE_SUFFIX = {DealType.NEW: "采购项目", DealType.RENEWAL: "续约", DealType.EXPANSION: "扩容项目"}
_CURRENCIES = (("CNY", 90), ("USD", 6), ("HKD", 4))


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    return [p for p, _w in pairs], [w for _p, w in pairs]


class Step(IntEnum):
    """What happens to a deal at an instant; the value orders steps that share an instant."""

    ACTIVITY = 0
    TASK_DONE = 1
    COLLABORATOR = 2
    MOVE = 3
    CLOSE = 4
    CANCEL_TASK = 5


@dataclass(slots=True)
class TaskPlan:
    """A follow-up scheduled by an activity. `done_at` set: completed then; `cancelled`: dropped at close."""

    title: str
    due: int
    done_at: int | None = None
    cancelled: bool = False


@dataclass(slots=True)
class ActivityPlan:
    at: int
    kind: str
    by: User
    subject: str
    outcome: str
    duration_minutes: int | None
    with_contact: bool
    follow_up: TaskPlan | None = None


@dataclass(slots=True)
class CollaboratorPlan:
    user: User
    role: str
    at: int


@dataclass(slots=True)
class DealPlan:
    name: str
    shape: PipelineShape
    owner: User
    customer: CustomerRef
    contact_id: int | None
    value: Decimal
    currency: str
    value_base: Decimal
    created_at: int
    expected_close_date: dt.date
    priority: str
    source: Source | None
    lead_grade: str
    deal_type: str
    forecast_category: str
    probability_override: int | None
    custom: dict[str, Any]
    tags: list[Tag]
    # Moves after creation, in order, excluding the final move into Won or Lost.
    moves: list[tuple[int, Stage]] = field(default_factory=list)
    status: str = DealStatus.OPEN
    closed_at: int | None = None
    lost_reason: LostReason | None = None
    lost_note: str = ""
    next_step: str = ""
    activities: list[ActivityPlan] = field(default_factory=list)
    collaborators: list[CollaboratorPlan] = field(default_factory=list)

    @property
    def stage(self) -> Stage:
        """The stage the deal ends in."""
        if self.status == DealStatus.WON:
            return self.shape.won
        if self.status == DealStatus.LOST:
            return self.shape.lost
        return self.moves[-1][1] if self.moves else self.shape.open_stages[0]

    @property
    def stage_entered_at(self) -> int:
        if self.closed_at is not None:
            return self.closed_at
        return self.moves[-1][0] if self.moves else self.created_at

    def steps(self) -> list[tuple[int, Step, int, Any]]:
        """Everything after creation as (instant, step, sequence, payload), in the order it happens.

        The sequence keeps ties in plan order, so payloads are never compared.
        """
        steps: list[tuple[int, Step, Any]] = []
        for activity in self.activities:
            steps.append((activity.at, Step.ACTIVITY, activity))
            follow_up = activity.follow_up
            if follow_up is not None and follow_up.done_at is not None:
                steps.append((follow_up.done_at, Step.TASK_DONE, follow_up))
            if follow_up is not None and follow_up.cancelled and self.closed_at is not None:
                steps.append((self.closed_at, Step.CANCEL_TASK, follow_up))
        steps.extend((c.at, Step.COLLABORATOR, c) for c in self.collaborators)
        steps.extend((at, Step.MOVE, stage) for at, stage in self.moves)
        if self.closed_at is not None:
            steps.append((self.closed_at, Step.CLOSE, None))
        return sorted((at, step, seq, payload) for seq, (at, step, payload) in enumerate(steps))

    @property
    def has_open_task(self) -> bool:
        return any(
            a.follow_up is not None and a.follow_up.done_at is None and not a.follow_up.cancelled
            for a in self.activities
        )

    @property
    def last_activity_at(self) -> int | None:
        return self.activities[-1].at if self.activities else None

    @property
    def version(self) -> int:
        """What the services leave in `version`: one save per move, one for the close."""
        return 1 + len(self.moves) + (1 if self.closed_at is not None else 0)


class DealPlanner:
    """Draws deal plans one after the other from a seeded stream."""

    def __init__(
        self, *, org: Organisation, customers: Sequence[CustomerRef], timeline: Timeline, seed: int, total: int
    ) -> None:
        self.org = org
        self.customers = customers
        self.timeline = timeline
        self.total = total
        self.rng = random.Random(f"{seed}-deals")
        self.pipeline_weights = [s.weight for s in org.pipelines]
        self.kinds = constants.ACTIVITY_KINDS
        self.kind_weights = [k[1] for k in self.kinds]

    def plans(self) -> Iterator[DealPlan]:
        for number in range(self.total):
            yield self.plan(number)

    def plan(self, number: int) -> DealPlan:
        rng = self.rng
        end = self.timeline.end
        # Stratified creation times: increasing with `number` (ids follow creation), a little busier lately.
        created = int(end * ((number + rng.random()) / self.total) ** 0.75)
        shape = rng.choices(self.org.pipelines, self.pipeline_weights)[0]
        customer = rng.choice(self.customers)
        reps = self.org.reps
        owner = reps[customer.owner_index] if rng.random() < 0.85 else rng.choices(reps, constants.REP_WEIGHTS)[0]
        deal_type = rng.choices(*_weighted(_TYPES))[0]
        currency = rng.choices(*_weighted(_CURRENCIES))[0]
        value, value_base = self._value(shape, deal_type, currency)
        plan = DealPlan(
            name=f"{customer.short}{rng.choice(constants.PRODUCT_WORDS)}{_TYPE_SUFFIX[deal_type]}",
            shape=shape,
            owner=owner,
            customer=customer,
            contact_id=rng.choice(customer.contact_ids) if customer.contact_ids else None,
            value=value,
            currency=currency,
            value_base=value_base,
            created_at=created,
            expected_close_date=self.timeline.today,
            priority=rng.choices(*_weighted(_PRIORITIES))[0],
            source=rng.choice(self.org.sources) if self.org.sources and rng.random() < 0.9 else None,
            lead_grade=rng.choices(*_weighted(_GRADES))[0],
            deal_type=deal_type,
            forecast_category=ForecastCategory.PIPELINE,
            probability_override=rng.choice((15, 30, 60, 85)) if rng.random() < 0.05 else None,
            custom=self._custom(),
            tags=rng.sample(self.org.tags, rng.choices((0, 1, 2), (55, 35, 10))[0]) if self.org.tags else [],
        )
        self._walk_stages(plan)
        self._close_date_and_forecast(plan)
        self._activities(plan)
        self._collaborators(plan)
        return plan

    def _value(self, shape: PipelineShape, deal_type: str, currency: str) -> tuple[Decimal, Decimal]:
        amount = self.rng.lognormvariate(math.log(120_000), 0.9) * shape.value_factor
        if deal_type == DealType.RENEWAL:
            amount *= 0.5
        rate = self.org.rates.get(currency, Decimal(1))
        value = Decimal(max(30, round(amount / float(rate) / 100))) * 100
        return value.quantize(Decimal("0.01")), (value * rate).quantize(Decimal("0.01"))

    def _custom(self) -> dict[str, Any]:
        rng = self.rng
        custom: dict[str, Any] = {"budget_confirmed": rng.random() < 0.55}
        if rng.random() < 0.7:
            custom["competitor"] = rng.choice(constants.COMPETITORS)
        if rng.random() < 0.4:
            custom["contract_years"] = str(rng.choice((1, 1, 2, 3)))
        return custom

    def _walk_stages(self, plan: DealPlan) -> None:
        """Move through the open stages until the deal is lost, won, parked or the window ends."""
        rng = self.rng
        stages = plan.shape.open_stages
        end = self.timeline.end
        at, index = plan.created_at, 0
        while True:
            dwell = max(HOUR, int(rng.expovariate(1 / ((12 + 5 * index) * DAY))))
            nxt = at + dwell
            if nxt >= end - HOUR:
                return
            roll = rng.random()
            # Longer pipelines lose a little less per stage, so every pipeline wins about a third.
            p_lost = (0.18 + 0.04 * index) * 4 / len(stages)
            if roll < p_lost:
                plan.status, plan.closed_at = DealStatus.LOST, nxt
                plan.lost_reason = rng.choice(self.org.lost_reasons)
                plan.lost_note = rng.choice(constants.LOST_NOTES)
                return
            if plan.shape.fridge is not None and roll < p_lost + 0.05:
                plan.moves.append((nxt, plan.shape.fridge))
                return
            if index == len(stages) - 1 or (index >= len(stages) - 2 and roll > 0.85):
                plan.status, plan.closed_at = DealStatus.WON, nxt
                return
            index += 2 if index + 2 < len(stages) and rng.random() < 0.08 else 1
            plan.moves.append((nxt, stages[index]))
            at = nxt

    def _close_date_and_forecast(self, plan: DealPlan) -> None:
        rng = self.rng
        created_day = self.timeline.date(plan.created_at)
        if plan.closed_at is not None:
            expected = self.timeline.date(plan.closed_at) + dt.timedelta(days=rng.randint(-15, 20))
        elif plan.stage.kind == StageKind.FRIDGE:
            expected = self.timeline.today + dt.timedelta(days=rng.randint(60, 180))
            plan.forecast_category = ForecastCategory.OMITTED
        else:
            expected = self.timeline.today + dt.timedelta(days=rng.randint(-25, 120))
            late = plan.shape.open_stages.index(plan.stage) >= len(plan.shape.open_stages) - 2
            if late:
                plan.forecast_category = rng.choices(
                    (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE, ForecastCategory.PIPELINE), (5, 3, 2)
                )[0]
        plan.expected_close_date = max(expected, created_day)

    def _activity(self, plan: DealPlan, at: int) -> ActivityPlan:
        rng = self.rng
        kind, _weight, minutes, subjects, outcomes = rng.choices(self.kinds, self.kind_weights)[0]
        by = plan.owner
        if kind in ("meeting", "visit") and rng.random() < 0.1:
            by = self.org.manager_of(plan.owner) or by
        return ActivityPlan(
            at=at,
            kind=kind,
            by=by,
            subject=rng.choice(subjects),
            outcome=rng.choice(outcomes),
            duration_minutes=rng.randint(*minutes) if minutes else None,
            with_contact=kind != "note" and plan.contact_id is not None,
        )

    def _activities(self, plan: DealPlan) -> None:
        """Activities between creation and the close (or the end of the window), with their follow-ups."""
        rng = self.rng
        end = self.timeline.end
        start = plan.created_at + 10 * MINUTE
        stop = (plan.closed_at if plan.closed_at is not None else end) - 10 * MINUTE
        if plan.closed_at is None and rng.random() < 0.3:
            # Quiet deals: nothing since shortly after entering their stage, so many of them stall.
            stop = min(stop, plan.stage_entered_at + 2 * DAY)
        if stop <= start:
            return
        lifetime_days = (stop - start) / DAY
        count = 1 + min(9, int(lifetime_days / 10 * rng.uniform(0.5, 1.5)))
        moments = sorted(rng.randint(start, stop) for _ in range(count))
        if plan.closed_at is None and stop >= end - 10 * MINUTE:
            # An active open deal was worked on in the last few days.
            moments[-1] = max(moments[-1], rng.randint(max(start, end - 4 * DAY), stop))
        plan.activities = [self._activity(plan, at) for at in moments]
        for activity in plan.activities[:-1]:
            self._follow_up(plan, activity, stop)
        self._last_follow_up(plan, plan.activities[-1], stop)

    def _follow_up(self, plan: DealPlan, activity: ActivityPlan, stop: int) -> None:
        rng = self.rng
        if activity.kind == "note" or rng.random() > 0.4:
            return
        due = activity.at + rng.randint(DAY, 5 * DAY)
        done = activity.at + int((due - activity.at) * rng.uniform(0.3, 1.3))
        task = TaskPlan(title=rng.choice(constants.TASK_TITLES), due=due)
        if done < stop:
            task.done_at = done
        elif plan.closed_at is not None:
            task.cancelled = True
        else:
            task.done_at = rng.randint(activity.at + 1, stop) if stop > activity.at + 1 else None
        activity.follow_up = task

    def _last_follow_up(self, plan: DealPlan, activity: ActivityPlan, stop: int) -> None:
        """An open deal's last activity usually sets the next step: an open task, sometimes overdue."""
        if plan.closed_at is not None:
            self._follow_up(plan, activity, stop)
            return
        if self.rng.random() < 0.8:
            due = activity.at + self.rng.randint(DAY, 14 * DAY)
            activity.follow_up = TaskPlan(title=self.rng.choice(constants.TASK_TITLES), due=due)
            plan.next_step = activity.follow_up.title

    def _collaborators(self, plan: DealPlan) -> None:
        rng = self.rng
        if rng.random() > 0.12:
            return
        stop = plan.closed_at if plan.closed_at is not None else self.timeline.end
        candidates = [u for u in (*self.org.reps, *self.org.managers) if u.pk != plan.owner.pk]
        for user in rng.sample(candidates, rng.choice((1, 1, 1, 2))):
            at = plan.created_at + rng.randint(DAY // 4, 3 * DAY)
            if at < stop - 10 * MINUTE:
                plan.collaborators.append(
                    CollaboratorPlan(user=user, role=rng.choice(constants.COLLABORATOR_ROLES), at=at)
                )

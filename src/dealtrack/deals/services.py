"""Every write to a deal. Each function is one transaction that also appends its events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.custom_fields import clean_custom_values, definitions_for
from dealtrack.core.models import Currency, CustomFieldDefinition, User
from dealtrack.core.queries import managed_team_ids
from dealtrack.customers.models import Company, Contact
from dealtrack.deals import day_totals, events, stage_totals
from dealtrack.deals.bulk_insert import insert_rows, reserve_ids
from dealtrack.deals.choices import DealStatus, ForecastCategory, Health
from dealtrack.deals.collaborator_copies import rebuild_all_collaborator_copies
from dealtrack.deals.exceptions import MissingRequiredFieldsError, StaleVersionError
from dealtrack.deals.first_response import recompute_all_first_responses, recompute_first_responses
from dealtrack.deals.health import assess_health, health_colour
from dealtrack.deals.models import (
    Deal,
    DealCollaborator,
    DealLineItem,
    LostReason,
    Product,
    Source,
    StageVisit,
    Tag,
)
from dealtrack.deals.signals import deals_deleting
from dealtrack.deals.stage_visits import rebuild_all_stage_visits
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.pipelines.services import first_open_stage, stage_for_kind

# Fields `update_deal` may change directly; stage, owner and status have services of their own.
EDITABLE_FIELDS = (
    "name",
    "company",
    "primary_contact",
    "value",
    "currency",
    "expected_close_date",
    "priority",
    "source",
    "lead_grade",
    "deal_type",
    "next_step",
    "probability_override",
    "forecast_category",
    "custom",
    "tags",
)
REQUIRABLE_FIELDS = (
    "value",
    "expected_close_date",
    "company",
    "primary_contact",
    "source",
    "next_step",
    "lead_grade",
    "probability_override",
)


def lock_deal(deal_id: int) -> Deal:
    """Re-read a deal under a row lock (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE write lock)."""
    return Deal.objects.select_for_update(of=("self",)).select_related("stage", "pipeline", "owner").get(pk=deal_id)


@dataclasses.dataclass
class Lookups:
    """Reference data a bulk run reads once instead of once per row: currency rates (None for an unknown
    code) and custom field definitions. Lives for one run, inside its transaction."""

    rates: dict[str, Decimal | None] = dataclasses.field(default_factory=dict)
    definitions: list[CustomFieldDefinition] | None = None

    def custom_definitions(self) -> list[CustomFieldDefinition]:
        if self.definitions is None:
            self.definitions = definitions_for(CustomFieldEntity.DEAL)
        return self.definitions


def to_base_currency(value: Decimal, currency: str, *, lookups: Lookups | None = None) -> Decimal:
    if currency == "CNY":
        return value
    if lookups is not None and currency in lookups.rates:
        rate = lookups.rates[currency]
    else:
        rate = Currency.objects.filter(code=currency).values_list("rate_to_base", flat=True).first()
        if lookups is not None:
            lookups.rates[currency] = rate
    if rate is None:
        raise ValidationError({"currency": [_("Unknown currency %(code)s.") % {"code": currency}]})
    return (value * rate).quantize(Decimal("0.01"))


def _clean_value(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", "")) if raw not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise ValidationError({"value": [_("Enter a number.")]}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"value": [_("Enter an amount of zero or more.")]})
    if value >= Decimal("1e14"):
        raise ValidationError({"value": [_("This amount is too large.")]})
    return value.quantize(Decimal("0.01"))


def _clean_probability(raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"probability_override": [_("Enter a probability from 0 to 100.")]}) from None
    if not 0 <= number <= 100:
        raise ValidationError({"probability_override": [_("Enter a probability from 0 to 100.")]})
    return number


def _check_choice(field: str, value: str) -> None:
    choices = {c for c, _label in Deal._meta.get_field(field).choices}
    if value not in choices and not (value == "" and Deal._meta.get_field(field).blank):
        raise ValidationError({field: [_("Select a valid choice.")]})


def missing_required_fields(deal: Deal, stage: Stage) -> list[str]:
    """Names of the fields `stage` requires that the deal leaves empty (custom fields as `custom.<key>`)."""
    missing = []
    for name in stage.required_fields:
        if name.startswith("custom."):
            value = deal.custom.get(name.removeprefix("custom."))
        else:
            value = getattr(deal, name, None)
        if value in (None, "", [], Decimal(0)):
            missing.append(name)
    return missing


def field_label(name: str) -> str:
    if name.startswith("custom."):
        from dealtrack.core.models import CustomFieldDefinition

        key = name.removeprefix("custom.")
        definition = CustomFieldDefinition.objects.filter(entity=CustomFieldEntity.DEAL, key=key).first()
        return definition.label if definition else key
    return str(Deal._meta.get_field(name).verbose_name)


def _clean_changes(deal: Deal, changes: dict[str, Any], lookups: Lookups | None = None) -> dict[str, Any]:
    """{field: clean value} for plain fields; ValidationError keyed by every bad field. Sets nothing."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, raw in changes.items():
        if field not in EDITABLE_FIELDS or field == "tags":
            if field != "tags":
                errors[field] = [_("This field cannot be changed here.")]
            continue
        try:
            cleaned[field] = _clean_field(deal, field, raw, lookups)
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply_changes(deal: Deal, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Validate and set plain fields on `deal` (none when one is bad); {field: (old, new)} for those changed."""
    changed: dict[str, tuple[Any, Any]] = {}
    for field, new in _clean_changes(deal, changes).items():
        old = getattr(deal, field)
        if old != new:
            setattr(deal, field, new)
            changed[field] = (old, new)
    if "value" in changed or "currency" in changed:
        deal.value_base = to_base_currency(deal.value, deal.currency)
    return changed


def _clean_field(deal: Deal, field: str, raw: Any, lookups: Lookups | None = None) -> Any:
    if field == "name":
        name = str(raw or "").strip()
        if not name:
            raise ValidationError({"name": [_("This field is required.")]})
        return name[:200]
    if field == "value":
        return _clean_value(raw)
    if field == "currency":
        code = str(raw or "CNY").upper()
        to_base_currency(Decimal(1), code, lookups=lookups)
        return code
    if field == "probability_override":
        return _clean_probability(raw)
    if field == "custom":
        definitions = lookups.custom_definitions() if lookups is not None else None
        return clean_custom_values(CustomFieldEntity.DEAL, raw or {}, existing=deal.custom, definitions=definitions)
    if field in ("priority", "lead_grade", "deal_type", "forecast_category"):
        value = str(raw or "")
        _check_choice(field, value)
        return value
    if field == "expected_close_date":
        if raw in (None, ""):
            return None
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None
    if field == "next_step":
        return str(raw or "").strip()[:300]
    if field in ("company", "primary_contact", "source"):
        model = {"company": Company, "primary_contact": Contact, "source": Source}[field]
        if raw in (None, ""):
            return None
        if isinstance(raw, model):
            return raw
        found = model.objects.filter(pk=raw).first() if str(raw).isdigit() else None
        if found is None:
            raise ValidationError({field: [_("Choose an existing record.")]})
        return found
    raise ValidationError({field: [_("This field cannot be changed here.")]})


def _set_tags(deal: Deal, tags: Iterable[Tag | str]) -> None:
    resolved = []
    for tag in tags:
        if isinstance(tag, Tag):
            resolved.append(tag)
        elif str(tag).strip():
            resolved.append(Tag.objects.get_or_create(name=str(tag).strip()[:50])[0])
    deal.tags.set(resolved)


def refresh_health(deal: Deal, *, as_of: dt.datetime | None = None) -> str:
    """Recompute and store the deal's health colour; returns it."""
    health, _reasons = assess_health(deal, as_of=as_of)
    if health != deal.health:
        deal.health = health
        Deal.objects.filter(pk=deal.pk).update(health=health)
    return health


@transaction.atomic
def create_deal(
    *,
    actor: User | None,
    name: str,
    owner: User | None = None,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    created_at: dt.datetime | None = None,
    tags: Sequence[Tag | str] = (),
    collaborators: Sequence[User] = (),
    external_id: str = "",
    **fields: Any,
) -> Deal:
    """Create an open deal in `stage` (default: the pipeline's first open stage) and its `created` event.

    `created_at` records an earlier creation time for imported history.
    """
    owner = owner or actor
    if owner is None:
        raise ValidationError({"owner": [_("This field is required.")]})
    if pipeline is None:
        pipeline = stage.pipeline if stage else Pipeline.objects.filter(is_default=True).first()
        if pipeline is None:
            raise ValidationError({"pipeline": [_("This field is required.")]})
    if stage is None:
        stage = first_open_stage(pipeline)
    if stage.pipeline_id != pipeline.pk:
        raise ValidationError({"stage": [_("This stage belongs to another pipeline.")]})
    if stage.kind not in (StageKind.OPEN, StageKind.FRIDGE):
        raise ValidationError({"stage": [_("A new deal starts in an open stage; mark it won or lost after.")]})
    at = created_at or timezone.now()
    deal = Deal(
        owner=owner,
        pipeline=pipeline,
        stage=stage,
        status=DealStatus.OPEN,
        created_by=actor,
        stage_entered_at=at,
        external_id=external_id[:100],
        name="",
    )
    _apply_changes(deal, {"name": name, **fields})
    deal.value_base = to_base_currency(deal.value, deal.currency)
    missing = missing_required_fields(deal, stage)
    if missing:
        raise MissingRequiredFieldsError(missing, [field_label(m) for m in missing])
    deal.save()
    if created_at:  # after the insert: `auto_now_add` would overwrite it there
        deal.created_at = created_at
        deal.save(update_fields=["created_at"])
    if tags:
        _set_tags(deal, tags)
    for user in collaborators:
        DealCollaborator.objects.get_or_create(deal=deal, user=user)
    events.deal_created_event(deal=deal, actor=actor, at=at)
    refresh_health(deal)
    return deal


def _check_version(deal: Deal, version: int | None) -> None:
    if version is not None and int(version) != deal.version:
        raise StaleVersionError(deal.version)


def _save(deal: Deal, fields: Iterable[str]) -> None:
    deal.version += 1
    deal.save(update_fields=[*set(fields), "version", "updated_at"])


@transaction.atomic
def update_deal(*, deal: Deal, actor: User | None, changes: dict[str, Any], version: int | None) -> Deal:
    """Change plain fields. A `version` other than the stored one raises StaleVersionError, writing nothing."""
    deal = lock_deal(deal.pk)
    _check_version(deal, version)
    changed = _apply_changes(deal, changes)
    if "tags" in changes:
        before = sorted(deal.tags.values_list("name", flat=True))
        _set_tags(deal, changes["tags"] or [])
        after = sorted(deal.tags.values_list("name", flat=True))
        if before != after:
            changed["tags"] = (before, after)
    if not changed:
        return deal
    stored = [f for f in changed if f != "tags"]
    if "value" in changed or "currency" in changed:
        stored.append("value_base")
    _save(deal, stored)
    events.field_changed_event(deal=deal, actor=actor, changes=changed)
    refresh_health(deal)
    return deal


def _enter_stage(deal: Deal, stage: Stage, actor: User | None, at: dt.datetime) -> None:
    from_stage = deal.stage
    seconds = int((at - deal.stage_entered_at).total_seconds()) if deal.stage_entered_at else None
    deal.stage = stage
    deal.stage_entered_at = at
    events.stage_changed_event(
        deal=deal, actor=actor, from_stage=from_stage, to_stage=stage, at=at, seconds_in_from=seconds
    )


@transaction.atomic
def move_deal_to_stage(
    *,
    deal: Deal,
    stage: Stage,
    actor: User | None,
    values: dict[str, Any] | None = None,
    lost_reason: LostReason | None = None,
    lost_note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Deal:
    """Move a deal to `stage` of its pipeline, filling `values` first (the required-fields dialog).

    Refused with MissingRequiredFieldsError listing what the stage still needs. A Won stage marks the deal
    won, a Lost stage marks it lost (a reason is required), an open stage reopens a closed deal.
    """
    deal = lock_deal(deal.pk)
    _check_version(deal, version)
    if stage.pipeline_id != deal.pipeline_id:
        raise ValidationError({"stage": [_("This stage belongs to another pipeline.")]})
    if values:
        changed = _apply_changes(deal, values)
    else:
        changed = {}
    missing = missing_required_fields(deal, stage)
    if missing:
        raise MissingRequiredFieldsError(missing, [field_label(m) for m in missing])
    if changed:
        events.field_changed_event(deal=deal, actor=actor, changes=changed, at=at)
    if stage.kind == StageKind.WON:
        return _mark_won(deal, actor, at or timezone.now(), stage, extra_fields=changed)
    if stage.kind == StageKind.LOST:
        return _mark_lost(deal, actor, lost_reason, lost_note, at or timezone.now(), stage, extra_fields=changed)
    if stage.pk == deal.stage_id:
        if changed:
            _save(deal, [*changed, "value_base"])
        return deal
    when = at or timezone.now()
    was_closed = deal.status != DealStatus.OPEN
    from_stage = deal.stage
    _enter_stage(deal, stage, actor, when)
    fields = [*changed, "value_base", "stage", "stage_entered_at"]
    if was_closed:
        _reopen_fields(deal)
        fields += ["status", "closed_at", "lost_reason", "lost_note", "forecast_category", "forecast_category_override"]
        events.deal_reopened_event(deal=deal, actor=actor, from_stage=from_stage, at=when)
    _save(deal, fields)
    refresh_health(deal)
    return deal


def _reopen_fields(deal: Deal) -> None:
    deal.status = DealStatus.OPEN
    deal.closed_at = None
    deal.lost_reason = None
    deal.lost_note = ""
    deal.forecast_category = ForecastCategory.PIPELINE
    deal.forecast_category_override = ""


CLOSING_FIELDS = (
    "value_base",
    "stage",
    "stage_entered_at",
    "status",
    "closed_at",
    "lost_reason",
    "lost_note",
    "forecast_category",
    "forecast_category_override",
    "health",
)


def _close(deal: Deal, actor: User | None, at: dt.datetime, stage: Stage, extra_fields: dict[str, Any], *,
           status: str, reason: LostReason | None = None, note: str = "") -> Deal:  # fmt: skip
    """Move into the Won or Lost `stage` and close the deal; writes `stage_changed` then `won` or `lost`."""
    if deal.status == status:
        raise ValidationError(
            _("This deal is already won.") if status == DealStatus.WON else _("This deal is already lost.")
        )
    if stage.pk != deal.stage_id:
        _enter_stage(deal, stage, actor, at)
    won = status == DealStatus.WON
    deal.status = status
    deal.closed_at = at
    deal.lost_reason = None if won else reason
    deal.lost_note = "" if won else (note or "").strip()
    deal.forecast_category = ForecastCategory.CLOSED if won else ForecastCategory.OMITTED
    deal.forecast_category_override = ""
    deal.health = Health.GREEN
    _save(deal, [*extra_fields, *CLOSING_FIELDS])
    (events.deal_won_event if won else events.deal_lost_event)(deal=deal, actor=actor, at=at)
    return deal


def _mark_won(deal: Deal, actor: User | None, at: dt.datetime, stage: Stage, extra_fields: dict[str, Any]) -> Deal:
    return _close(deal, actor, at, stage, extra_fields, status=DealStatus.WON)


def _mark_lost(deal: Deal, actor: User | None, reason: LostReason | None, note: str, at: dt.datetime, stage: Stage,
               extra_fields: dict[str, Any]) -> Deal:  # fmt: skip
    if reason is None:
        raise ValidationError({"lost_reason": [_("Choose why the deal was lost.")]})
    return _close(deal, actor, at, stage, extra_fields, status=DealStatus.LOST, reason=reason, note=note)


def mark_deal_won(*, deal: Deal, actor: User | None, at: dt.datetime | None = None, version: int | None = None) -> Deal:
    """Close the deal as won: moves it to the Won stage, sets closed_at, writes `stage_changed` and `won`."""
    return move_deal_to_stage(
        deal=deal, stage=stage_for_kind(deal.pipeline, StageKind.WON), actor=actor, at=at, version=version
    )


def mark_deal_lost(
    *,
    deal: Deal,
    actor: User | None,
    reason: LostReason | None,
    note: str = "",
    at: dt.datetime | None = None,
    version: int | None = None,
) -> Deal:
    """Close the deal as lost with a reason (required): moves it to Lost, writes `stage_changed` and `lost`."""
    if reason is None:
        raise ValidationError({"lost_reason": [_("Choose why the deal was lost.")]})
    return move_deal_to_stage(
        deal=deal,
        stage=stage_for_kind(deal.pipeline, StageKind.LOST),
        actor=actor,
        lost_reason=reason,
        lost_note=note,
        at=at,
        version=version,
    )


@transaction.atomic
def reopen_deal(*, deal: Deal, actor: User | None, stage: Stage | None = None, version: int | None = None) -> Deal:
    """Reopen a won or lost deal into `stage` (default: the stage it was in before closing)."""
    current = lock_deal(deal.pk)
    if current.status == DealStatus.OPEN:
        raise ValidationError(_("This deal is already open."))
    if stage is None:
        last_move = (
            current.events.filter(to_stage=current.stage, from_stage__isnull=False, type="stage_changed")
            .order_by("-occurred_at", "-id")
            .first()
        )
        previous = last_move.from_stage if last_move else None
        stage = previous if previous and previous.kind == StageKind.OPEN else first_open_stage(current.pipeline)
    if stage.kind not in (StageKind.OPEN, StageKind.FRIDGE):
        raise ValidationError({"stage": [_("Reopen into an open stage.")]})
    return move_deal_to_stage(deal=current, stage=stage, actor=actor, version=version)


@transaction.atomic
def reassign_deal(
    *, deal: Deal, actor: User | None, owner: User, version: int | None = None, at: dt.datetime | None = None
) -> Deal:
    """Give the deal to another owner and write `owner_changed`."""
    deal = lock_deal(deal.pk)
    _check_version(deal, version)
    if not owner.is_active:
        raise ValidationError({"owner": [_("This user is inactive.")]})
    if owner.pk == deal.owner_id:
        return deal
    old_owner = deal.owner
    deal.owner = owner
    _save(deal, ["owner"])
    visits = StageVisit.objects.filter(deal=deal)
    cells = stage_totals.cells_of(visits)
    visits.update(owner=owner)
    stage_totals.refresh_stage_totals(cells | {(kind, day, stage, owner.pk) for kind, day, stage, _old in cells})
    recompute_first_responses(Deal.objects.filter(pk=deal.pk))
    deal.refresh_from_db(fields=["first_response_at"])
    events.owner_changed_event(deal=deal, actor=actor, old_owner=old_owner, new_owner=owner, at=at)
    return deal


def may_override_forecast(actor: User, deal: Deal) -> bool:
    """Admins, and managers of the owner's team (or a team above it), may override a rep's forecast call."""
    if actor.is_admin:
        return True
    return actor.is_manager and deal.owner.team_id is not None and deal.owner.team_id in managed_team_ids(actor)


@transaction.atomic
def override_forecast_category(*, deal: Deal, actor: User, category: str, version: int | None = None) -> Deal:
    """Record a manager's forecast category for an open deal beside the rep's own (`""` withdraws it).

    The rep's `forecast_category` is left as it is; both calls stay in the event log as `field_changed`
    events with their actors. Refused (nothing written) for anyone who does not manage the owner.
    """
    deal = lock_deal(deal.pk)
    _check_version(deal, version)
    if not may_override_forecast(actor, deal):
        raise ValidationError({"forecast_category_override": [_("Only the owner's manager can override this.")]})
    if deal.status != DealStatus.OPEN:
        raise ValidationError({"forecast_category_override": [_("Only an open deal's forecast can be overridden.")]})
    category = str(category or "")
    if category and category not in ForecastCategory.values:
        raise ValidationError({"forecast_category_override": [_("Select a valid choice.")]})
    old = deal.forecast_category_override
    if old == category:
        return deal
    deal.forecast_category_override = category
    _save(deal, ["forecast_category_override"])
    events.field_changed_event(deal=deal, actor=actor, changes={"forecast_category_override": (old, category)})
    return deal


@transaction.atomic
def add_collaborator(
    *, deal: Deal, actor: User | None, user: User, role: str = "", at: dt.datetime | None = None
) -> DealCollaborator:
    """Put `user` on the deal team and write `collaborator_added` (at `at` for recorded history)."""
    link, created = DealCollaborator.objects.get_or_create(deal=deal, user=user, defaults={"role": role})
    if created:
        events.collaborator_event(deal=deal, actor=actor, user=user, added=True, at=at)
    return link


@transaction.atomic
def remove_collaborator(*, deal: Deal, actor: User | None, user: User) -> None:
    deleted, _details = DealCollaborator.objects.filter(deal=deal, user=user).delete()
    if deleted:
        events.collaborator_event(deal=deal, actor=actor, user=user, added=False)


def _bulk(deals: Iterable[Deal], action: Any) -> list[Deal]:
    """Run `action` on every deal in one transaction; any failure rolls back all and names the deals."""
    done: list[Deal] = []
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for deal in deals:
            try:
                with transaction.atomic():
                    done.append(action(deal))
            except (ValidationError, StaleVersionError) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                errors[f"{deal.pk}"] = [f"{deal.name}: {m}" for m in messages]
        if errors:
            raise ValidationError(errors)
    return done


def bulk_move_deals(*, deals: Iterable[Deal], stage: Stage, actor: User | None) -> list[Deal]:
    """Move every deal to `stage`, all or nothing."""
    return _bulk(deals, lambda d: move_deal_to_stage(deal=d, stage=stage, actor=actor))


def bulk_reassign_deals(*, deals: Iterable[Deal], owner: User, actor: User | None) -> list[Deal]:
    """Give every deal to `owner`, all or nothing."""
    return _bulk(deals, lambda d: reassign_deal(deal=d, owner=owner, actor=actor))


def bulk_mark_deals_lost(
    *, deals: Iterable[Deal], reason: LostReason | None, actor: User | None, note: str = ""
) -> list[Deal]:
    """Mark every deal lost with one reason, all or nothing."""
    if reason is None:
        raise ValidationError({"lost_reason": [_("Choose why the deal was lost.")]})
    return _bulk(deals, lambda d: mark_deal_lost(deal=d, reason=reason, note=note, actor=actor))


@dataclasses.dataclass
class ImportedDeal:
    """One new deal as an import file describes it: the unsaved deal, where it started, and its history."""

    deal: Deal
    entry_stage: Stage
    created_at: dt.datetime
    closed_at: dt.datetime | None
    tags: list[str] = dataclasses.field(default_factory=list)
    products: list[Product] = dataclasses.field(default_factory=list)


def prepare_imported_deal(
    *,
    owner: User | None,
    pipeline: Pipeline,
    stage: Stage,
    created_at: dt.datetime | None = None,
    closed_at: dt.datetime | None = None,
    lost_reason: LostReason | None = None,
    external_id: str = "",
    tags: Sequence[str] = (),
    products: Sequence[Product] = (),
    actor: User | None = None,
    entry_stage: Stage | None = None,
    now: dt.datetime | None = None,
    lookups: Lookups | None = None,
    **fields: Any,
) -> ImportedDeal:
    """Validate one imported deal with the rules of `create_deal` and `update_deal`; writes nothing.

    A deal in a Won or Lost stage is closed at `closed_at` (required, not before `created_at`); it is
    recorded as created in `entry_stage` (default: the pipeline's first open stage) and moved to its
    closing stage then. An open deal must carry the fields its stage requires. Raises ValidationError
    keyed by field. A run preparing many deals passes one `lookups` to all of them.
    """
    now = now or timezone.now()
    created = created_at or now
    errors: dict[str, list[str]] = {}
    if owner is None:
        errors["owner"] = [_("This field is required.")]
    if stage.pipeline_id != pipeline.pk:
        errors["stage"] = [_("This stage belongs to another pipeline.")]
    closing = stage.kind in (StageKind.WON, StageKind.LOST)
    if closing and closed_at is None:
        errors["closed_at"] = [_("A won or lost deal needs the date it was closed.")]
    if closing and closed_at is not None and closed_at < created:
        errors["closed_at"] = [_("The close date is before the date the deal was created.")]
    deal = _new_deal(
        {"external_id": external_id[:100], "name": "", "created_at": created},
        owner=owner,
        pipeline=pipeline,
        stage=stage,
        created_by=actor,
    )
    try:
        cleaned = _clean_changes(deal, fields, lookups)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    for field, value in cleaned.items():
        if value is not None:  # every field that can be cleaned to None starts as None on a new deal
            setattr(deal, field, value)
    deal.value_base = to_base_currency(deal.value, deal.currency, lookups=lookups)
    if closing:
        deal.status = DealStatus.WON if stage.kind == StageKind.WON else DealStatus.LOST
        deal.closed_at = closed_at
        deal.stage_entered_at = closed_at
        deal.forecast_category = ForecastCategory.CLOSED if deal.status == DealStatus.WON else ForecastCategory.OMITTED
        deal.lost_reason = lost_reason if deal.status == DealStatus.LOST else None
        entry_stage = entry_stage or first_open_stage(pipeline)
    else:
        missing = missing_required_fields(deal, stage)
        if missing:
            raise MissingRequiredFieldsError(missing, [field_label(m) for m in missing])
        deal.status = DealStatus.OPEN
        deal.stage_entered_at = created
        entry_stage = stage
    deal.health = health_colour(deal, has_open_task=False, as_of=now)
    return ImportedDeal(deal, entry_stage, created, deal.closed_at, list(tags), list(products))


# Every stored column of a deal, by attname: the row `import_deals_bulk` inserts for each one.
DEAL_COLUMNS = tuple(field.attname for field in Deal._meta.concrete_fields)


@functools.cache
def _deal_defaults() -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """(attname, default, or the callable making a fresh one) per stored field, in model order."""
    return tuple(
        (f.attname, None, f.default) if f.has_default() and callable(f.default) else (f.attname, f.get_default(), None)
        for f in Deal._meta.concrete_fields
    )


def _new_deal(values: dict[str, Any], **related: Any) -> Deal:
    """An unsaved deal with `values` (by attname), defaults elsewhere, and `related` objects (if any) set.

    Built from values in field order: Django's per-field keyword and default handling is most of what
    preparing 100,000 imported deals would otherwise cost. Shared defaults are the same immutable objects
    Django itself hands every new instance; callable ones (`custom=dict`) are called per deal.
    """
    deal = Deal(
        *[
            values[name] if name in values else (make() if make is not None else default)
            for name, default, make in _deal_defaults()
        ]
    )
    for name, instance in related.items():
        if instance is not None:
            setattr(deal, name, instance)
    return deal


@transaction.atomic
def import_deals_bulk(*, actor: User | None, deals: Sequence[ImportedDeal]) -> list[Deal]:
    """Insert deals validated by `prepare_imported_deal`, with their history, in one transaction.

    Writes each deal's `created` event at its imported creation time and, for closed deals, the
    `stage_changed` and `won`/`lost` events at the close time, so win rate, cycle length and stage
    conversion are right for imported history. Also writes tags and product line items. The deals keep
    their imported `created_at`; the returned instances carry their ids, as saved deals do.
    """
    rows = [item.deal for item in deals]
    now = timezone.now()
    database = router.db_for_write(Deal)
    for deal, pk in zip(rows, reserve_ids(Deal, len(rows)), strict=True):
        deal.id = pk
        deal.updated_at = now
        deal._state.adding = False
        deal._state.db = database
    insert_rows(Deal, DEAL_COLUMNS, ([getattr(deal, column) for column in DEAL_COLUMNS] for deal in rows))
    events.write_event_rows(_imported_history(deals, actor))
    day_totals.refresh_deal_cells(rows)
    _bulk_tags(deals)
    insert_rows(
        DealLineItem,
        ("deal_id", "product_id", "quantity", "unit_price", "discount_percent"),
        (
            (item.deal.pk, product.pk, Decimal(1), product.price, Decimal(0))
            for item in deals
            for product in item.products
        ),
    )
    return rows


def _imported_history(deals: Sequence[ImportedDeal], actor: User | None) -> Iterator[events.EventRow]:
    for item in deals:
        deal = item.deal
        yield events.deal_created_row(deal=deal, actor=actor, at=item.created_at, stage=item.entry_stage)
        if deal.status == DealStatus.OPEN:
            continue
        yield events.stage_changed_row(
            deal=deal,
            actor=actor,
            from_stage=item.entry_stage,
            to_stage=deal.stage,
            at=item.closed_at,
            seconds_in_from=int((item.closed_at - item.created_at).total_seconds()),
        )
        closing = events.deal_won_row if deal.status == DealStatus.WON else events.deal_lost_row
        yield closing(deal=deal, actor=actor, at=item.closed_at)


def _bulk_tags(deals: Sequence[ImportedDeal]) -> None:
    names = {name.strip()[:50] for item in deals for name in item.tags if name.strip()}
    if not names:
        return
    tags = {tag.name: tag.pk for tag in (Tag.objects.get_or_create(name=name)[0] for name in sorted(names))}
    insert_rows(
        Deal.tags.through,
        ("deal_id", "tag_id"),
        (
            (item.deal.pk, tag_id)
            for item in deals
            # names that differ only past 50 characters or in spaces are one tag: link it once
            for tag_id in dict.fromkeys(tags[name.strip()[:50]] for name in item.tags if name.strip())
        ),
    )


# Products and line items ---------------------------------------------------------------------------------


@transaction.atomic
def save_product(
    *,
    name: str,
    price: Any = 0,
    currency: str = "CNY",
    code: str = "",
    series: str = "",
    product: Product | None = None,
) -> Product:
    """Create a product, or update `product`; names are unique."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    elif Product.objects.filter(name__iexact=name).exclude(pk=getattr(product, "pk", None)).exists():
        errors["name"] = [_("A product with this name already exists.")]
    try:
        cleaned_price = _clean_value(price)
    except ValidationError:
        errors["price"] = [_("Enter an amount of zero or more.")]
    code_upper = (currency or "CNY").upper()
    try:
        to_base_currency(Decimal(1), code_upper)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    product = product or Product()
    product.name, product.code, product.series = name, (code or "").strip()[:50], (series or "").strip()[:100]
    product.price, product.currency = cleaned_price, code_upper
    product.save()
    return product


@transaction.atomic
def add_line_item(
    *,
    deal: Deal,
    actor: User | None,
    product: Product,
    quantity: Any = 1,
    unit_price: Any = None,
    discount_percent: Any = 0,
    update_value: bool = True,
) -> DealLineItem:
    """Add a product to a deal; by default the deal's value becomes the sum of its line items."""
    try:
        qty = Decimal(str(quantity))
        discount = Decimal(str(discount_percent or 0))
    except InvalidOperation:
        raise ValidationError({"quantity": [_("Enter a number.")]}) from None
    if not qty.is_finite() or qty <= 0:
        raise ValidationError({"quantity": [_("Enter a quantity above zero.")]})
    if not discount.is_finite() or not 0 <= discount <= 100:
        raise ValidationError({"discount_percent": [_("Enter a discount from 0 to 100.")]})
    price = product.price if unit_price in (None, "") else _clean_value(unit_price)
    item = DealLineItem.objects.create(
        deal=deal, product=product, quantity=qty, unit_price=price, discount_percent=discount
    )
    if update_value:
        _value_from_line_items(deal, actor)
    return item


@transaction.atomic
def delete_deals(*, deals: Iterable[Deal], actor: User | None) -> int:
    """Delete deals with their events, line items and tasks (the caller checks the actor may); returns how many."""
    ids = [deal.pk for deal in deals]
    if not ids:
        return 0
    doomed = Deal.objects.filter(pk__in=ids)
    cells = {cell for state in doomed.values_list(*day_totals.REPORTED_FIELDS) for cell in day_totals.cells_of(state)}
    stage_cells = stage_totals.cells_of(StageVisit.objects.filter(deal_id__in=ids))
    deals_deleting.send(sender=Deal, deal_ids=ids)
    doomed.delete()
    day_totals.refresh_day_totals(cells)
    stage_totals.refresh_stage_totals(stage_cells)
    return len(ids)


def bulk_tag_deals(*, deals: Iterable[Deal], tags: Sequence[Tag | str], actor: User | None) -> list[Deal]:
    """Add `tags` to every deal (keeping their other tags), all or nothing; writes `field_changed` per deal."""
    names = [t.name if isinstance(t, Tag) else str(t).strip() for t in tags if str(t).strip()]
    if not names:
        raise ValidationError({"tags": [_("Enter at least one tag.")]})

    def add(deal: Deal) -> Deal:
        current = list(deal.tags.values_list("name", flat=True))
        return update_deal(deal=deal, actor=actor, changes={"tags": sorted({*current, *names})}, version=None)

    return _bulk(deals, add)


def _save_named(model: Any, *, name: str, is_active: bool, item: Any, extra: dict[str, Any]) -> Any:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    clash = model.objects.filter(name=name)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"name": [_("This name is already in use.")]})
    if item is None:
        item = model()
        if hasattr(item, "position"):
            item.position = model.objects.count()
    item.name = name[: model._meta.get_field("name").max_length]
    if hasattr(item, "is_active"):
        item.is_active = is_active
    for key, value in extra.items():
        setattr(item, key, value)
    item.save()
    return item


@transaction.atomic
def remove_line_item(*, item: DealLineItem, actor: User | None, update_value: bool = True) -> None:
    deal = item.deal
    item.delete()
    if update_value:
        _value_from_line_items(deal, actor)


def _value_from_line_items(deal: Deal, actor: User | None) -> None:
    total = sum((i.total for i in DealLineItem.objects.filter(deal=deal)), Decimal(0))
    current = lock_deal(deal.pk)
    update_deal(deal=current, actor=actor, changes={"value": total}, version=None)


# Settings lists: lost reasons, sources, tags ---------------------------------------------------------------


@transaction.atomic
def save_lost_reason(*, name: str, is_active: bool = True, reason: LostReason | None = None) -> LostReason:
    """Add or rename a lost reason; an inactive one is no longer offered but stays on old deals."""
    return _save_named(LostReason, name=name, is_active=is_active, item=reason, extra={})


@transaction.atomic
def save_source(*, name: str, is_active: bool = True, source: Source | None = None) -> Source:
    """Add or rename a lead source; an inactive one is no longer offered but stays on old deals."""
    return _save_named(Source, name=name, is_active=is_active, item=source, extra={})


@transaction.atomic
def save_tag(*, name: str, color: str = "#64748b", tag: Tag | None = None) -> Tag:
    """Add or rename a tag (renaming changes it on every deal that has it)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color or ""):
        raise ValidationError({"color": [_("Enter a colour like #64748b.")]})
    return _save_named(Tag, name=name, is_active=True, item=tag, extra={"color": color})


@transaction.atomic
def delete_tag(*, tag: Tag) -> None:
    """Remove a tag from every deal and delete it."""
    tag.delete()


@transaction.atomic
def get_or_create_source(*, name: str) -> Source:
    """The lead source of this name (created at the end of the list when new)."""
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"source": [_("This field is required.")]})
    position = Source.objects.count()
    return Source.objects.get_or_create(name=name, defaults={"position": position})[0]


@transaction.atomic
def get_or_create_lost_reason(*, name: str) -> LostReason:
    """The lost reason of this name (created at the end of the list when new)."""
    name = name.strip()[:100]
    if not name:
        raise ValidationError({"lost_reason": [_("This field is required.")]})
    position = LostReason.objects.count()
    return LostReason.objects.get_or_create(name=name, defaults={"position": position})[0]


def refresh_planner_statistics(using: str = "default", *, sampled: bool = True) -> None:
    """Let the query planner know the tables' sizes after a bulk write. Without statistics SQLite joins a
    freshly loaded million deals to their owners' activities through the wrong index (hours instead of
    seconds); a sampled ANALYZE takes seconds.

    The sampled figures are coarse, though: on the 1,000,000-deal demo set they led SQLite to read a
    manager's collaborations by scanning the quarter's closed deals instead of looking them up (1.4 s
    dashboards instead of 0.45 s). A full one (`sampled=False`, about 25 s there) is for the end of a bulk
    load. PostgreSQL always samples.

    On PostgreSQL only the installation's own tables: a bare ANALYZE also takes the cluster's shared
    catalogs (pg_authid …), and inside a bulk load's transaction it held them until the commit, stalling
    every other database's ANALYZE on the same server for as long."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {1000 if sampled else 0}")
            cursor.execute("ANALYZE")
            return
        tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        if tables:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def analyse_new(using: str, name: str) -> None:
    """Give a table or index that a migration just added its planner statistics, in full, on SQLite
    databases that have statistics already: SQLite plans with what ANALYZE left, and a new index without
    any looked selective (deals 0015: a manager's open pipeline went from 5 to 320 ms). A database never
    analysed uses the planner's defaults for everything alike; PostgreSQL keeps statistics per column and
    its autovacuum analyses new tables."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        cursor.execute("PRAGMA analysis_limit = 0")
        cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def rebuild_derived_report_data(using: str = "default", *, statistics: bool = True) -> None:
    """Re-derive the collaborator links' deal copies, stage visits, first responses, previous touches, daily
    activity, deal and stage totals from the whole event log, all activities and all deals: for writers
    that bypass the services (bulk demo loads, restores); the services keep each of them per deal.

    Ends with full planner statistics unless `statistics` is False (a caller that rebuilds indexes after
    this takes them itself, once the indexes exist)."""
    rebuild_all_collaborator_copies(using)  # before the statistics, which then see the copies' spread
    refresh_planner_statistics(using)
    # Activities build on deals; imported here, not at the top, so this module does not depend on them.
    from dealtrack.activities.totals import rebuild_all_activity_totals
    from dealtrack.activities.touches import rebuild_all_touches

    rebuild_all_stage_visits(using)
    recompute_all_first_responses(using)
    rebuild_all_touches(using)
    rebuild_all_activity_totals(using)  # after the previous touches it counts by
    day_totals.rebuild_all_day_totals(using)
    stage_totals.rebuild_all_stage_totals(using)
    if statistics:
        refresh_planner_statistics(using, sampled=False)  # the reports' plans, over everything now derived

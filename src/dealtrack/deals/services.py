"""Every write to a deal. Each function is one transaction that also appends its events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.custom_fields import clean_custom_values
from dealtrack.core.models import Currency, User
from dealtrack.core.queries import managed_team_ids
from dealtrack.customers.models import Company, Contact
from dealtrack.deals import events
from dealtrack.deals.choices import DealStatus, ForecastCategory, Health
from dealtrack.deals.exceptions import MissingRequiredFieldsError, StaleVersionError
from dealtrack.deals.health import assess_health
from dealtrack.deals.models import Deal, DealCollaborator, LostReason, Source, Tag
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


def to_base_currency(value: Decimal, currency: str) -> Decimal:
    if currency == "CNY":
        return value
    rate = Currency.objects.filter(code=currency).values_list("rate_to_base", flat=True).first()
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


def _apply_changes(deal: Deal, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Validate and set plain fields on `deal`; return {field: (old, new)} for the ones that changed."""
    changed: dict[str, tuple[Any, Any]] = {}
    errors: dict[str, list[str]] = {}
    for field, raw in changes.items():
        if field not in EDITABLE_FIELDS or field == "tags":
            if field != "tags":
                errors[field] = [_("This field cannot be changed here.")]
            continue
        try:
            new = _clean_field(deal, field, raw)
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages})
            continue
        old = getattr(deal, field)
        if old != new:
            setattr(deal, field, new)
            changed[field] = (old, new)
    if errors:
        raise ValidationError(errors)
    if "value" in changed or "currency" in changed:
        deal.value_base = to_base_currency(deal.value, deal.currency)
    return changed


def _clean_field(deal: Deal, field: str, raw: Any) -> Any:
    if field == "name":
        name = str(raw or "").strip()
        if not name:
            raise ValidationError({"name": [_("This field is required.")]})
        return name[:200]
    if field == "value":
        return _clean_value(raw)
    if field == "currency":
        code = str(raw or "CNY").upper()
        to_base_currency(Decimal(1), code)
        return code
    if field == "probability_override":
        return _clean_probability(raw)
    if field == "custom":
        return clean_custom_values(CustomFieldEntity.DEAL, raw or {}, existing=deal.custom)
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
    if created_at:
        Deal.objects.filter(pk=deal.pk).update(created_at=created_at)
        deal.created_at = created_at
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


def _mark_won(deal: Deal, actor: User | None, at: dt.datetime, stage: Stage, extra_fields: dict[str, Any]) -> Deal:
    if deal.status == DealStatus.WON:
        raise ValidationError(_("This deal is already won."))
    if stage.pk != deal.stage_id:
        _enter_stage(deal, stage, actor, at)
    deal.status = DealStatus.WON
    deal.closed_at = at
    deal.lost_reason = None
    deal.lost_note = ""
    deal.forecast_category = ForecastCategory.CLOSED
    deal.forecast_category_override = ""
    deal.health = Health.GREEN
    _save(
        deal,
        [
            *extra_fields,
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
        ],
    )
    events.deal_won_event(deal=deal, actor=actor, at=at)
    return deal


def _mark_lost(
    deal: Deal,
    actor: User | None,
    reason: LostReason | None,
    note: str,
    at: dt.datetime,
    stage: Stage,
    extra_fields: dict[str, Any],
) -> Deal:
    if reason is None:
        raise ValidationError({"lost_reason": [_("Choose why the deal was lost.")]})
    if deal.status == DealStatus.LOST:
        raise ValidationError(_("This deal is already lost."))
    if stage.pk != deal.stage_id:
        _enter_stage(deal, stage, actor, at)
    deal.status = DealStatus.LOST
    deal.closed_at = at
    deal.lost_reason = reason
    deal.lost_note = (note or "").strip()
    deal.forecast_category = ForecastCategory.OMITTED
    deal.forecast_category_override = ""
    deal.health = Health.GREEN
    _save(
        deal,
        [
            *extra_fields,
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
        ],
    )
    events.deal_lost_event(deal=deal, actor=actor, at=at)
    return deal


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
def add_collaborator(*, deal: Deal, actor: User | None, user: User, role: str = "") -> DealCollaborator:
    link, created = DealCollaborator.objects.get_or_create(deal=deal, user=user, defaults={"role": role})
    if created:
        events.collaborator_event(deal=deal, actor=actor, user=user, added=True)
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

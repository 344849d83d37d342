"""Deals (商机), their line items, collaborators and the append-only event log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import TimeStamped
from dealtrack.deals.choices import (
    DealStatus,
    DealType,
    EventType,
    ForecastCategory,
    Health,
    LeadGrade,
    Priority,
)


class LostReason(models.Model):
    """Why deals are lost (price, competitor, no budget …), chosen when marking a deal lost."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")

    def __str__(self) -> str:
        return gettext(self.name)  # shipped reasons are msgids


class Source(models.Model):
    """Where a lead came from (线索来源): referral, website, trade show …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return gettext(self.name)  # shipped sources are msgids


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    color = models.CharField(_("colour"), max_length=7, default="#64748b")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Product(TimeStamped):
    """Something the team sells, with a list price; deals carry products as line items."""

    code = models.CharField(_("code"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    series = models.CharField(_("series"), max_length=100, blank=True)
    price = models.DecimalField(_("list price"), max_digits=16, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Deal(TimeStamped):
    """An opportunity moving through a pipeline. `version` guards against overwriting a newer edit."""

    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    primary_contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("primary contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_deals",
    )
    contacts = models.ManyToManyField("customers.Contact", verbose_name=_("contacts"), blank=True, related_name="deals")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_deals"
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deal team"),
        through="DealCollaborator",
        through_fields=("deal", "user"),
        related_name="collaborated_deals",
        blank=True,
    )
    pipeline = models.ForeignKey(
        "pipelines.Pipeline", verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.ForeignKey(
        "pipelines.Stage", verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    status = models.CharField(_("status"), max_length=8, choices=DealStatus.choices, default=DealStatus.OPEN)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    value_base = models.DecimalField(
        _("value (CNY)"), max_digits=18, decimal_places=2, default=Decimal(0), editable=False
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )
    lead_grade = models.CharField(_("lead grade"), max_length=8, choices=LeadGrade.choices, blank=True)
    deal_type = models.CharField(_("type"), max_length=10, choices=DealType.choices, default=DealType.NEW)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    probability_override = models.PositiveSmallIntegerField(_("probability override (%)"), null=True, blank=True)
    lost_reason = models.ForeignKey(
        LostReason, verbose_name=_("lost reason"), null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    lost_note = models.TextField(_("lost note"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="deals")
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    health = models.CharField(_("health"), max_length=8, choices=Health.choices, default=Health.GREEN)
    forecast_category = models.CharField(
        _("forecast category"), max_length=10, choices=ForecastCategory.choices, default=ForecastCategory.PIPELINE
    )
    # The rep's call stays in `forecast_category`; a manager's differing call is kept beside it, not over it.
    forecast_category_override = models.CharField(
        _("manager's forecast category"), max_length=10, choices=ForecastCategory.choices, blank=True
    )
    stage_entered_at = models.DateTimeField(_("in stage since"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # The owner's first activity on the deal since its creation (lead response time), kept by
    # `deals.first_response`; None until the owner responds.
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["pipeline", "stage", "status"], name="deal_board"),
            # A person's deals by status (lists), and their closed deals' figures in order per owner (the
            # company for a manager's top customers).
            models.Index(
                fields=["owner", "status", "closed_at", "value_base", "created_at", "pipeline", "company", "id"],
                name="deal_owner_status_company",
            ),
            # A rep's deals newest first (API list by owner, lists sorted by creation) without a sort step.
            models.Index(fields=["owner", "created_at", "id"], name="deal_owner_created"),
            models.Index(fields=["expected_close_date"], name="deal_expected_close"),
            models.Index(fields=["-value_base"], name="deal_value"),
            models.Index(fields=["updated_at"], name="deal_updated"),
            # The board's columns: one stage's deals, biggest first, read a page at a time.
            models.Index(fields=["stage", "-value_base"], name="deal_stage_value"),
            # Covering indexes for the reports (docs/performance.md): each report aggregate reads only these.
            # Each ends with the id, so a visibility test on collaborations (`id IN …`) needs no table read.
            models.Index(
                fields=[
                    "status",
                    "closed_at",
                    "owner",
                    "value_base",
                    "created_at",
                    "pipeline",
                    "lost_reason",
                    "deal_type",
                    "company",
                    "id",
                ],
                name="deal_report_closed",
            ),
            models.Index(
                fields=["created_at", "owner", "value_base", "status", "first_response_at", "pipeline", "source", "id"],
                name="deal_report_created",
            ),
            # The same per owner: figures grouped by owner (per-owner summary, team table) read in order.
            models.Index(
                fields=["owner", "created_at", "value_base", "status", "first_response_at", "pipeline", "source", "id"],
                name="deal_report_owner_created",
            ),
            # Open deals per owner and stage (pipeline value, weighted value, stalled deals), index only.
            models.Index(
                fields=[
                    "status",
                    "owner",
                    "stage",
                    "value_base",
                    "probability_override",
                    "pipeline",
                    "stage_entered_at",
                    "last_activity_at",
                    "id",
                ],
                name="deal_report_pipeline",
            ),
            models.Index(
                fields=[
                    "status",
                    "expected_close_date",
                    "owner",
                    "stage",
                    "value_base",
                    "probability_override",
                    "forecast_category",
                    "forecast_category_override",
                    "pipeline",
                    "id",
                ],
                name="deal_report_open",
            ),
        ]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Deal:
        from dealtrack.deals import day_totals

        deal = super().from_db(db, field_names, values)
        deal._reported_as_loaded = day_totals.loaded_state(deal)
        return deal

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        from dealtrack.deals import day_totals

        super().refresh_from_db(*args, **kwargs)
        self._reported_as_loaded = day_totals.loaded_state(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and when a field the daily totals (`DayTotal`) depend on changed, recompute the cells the
        deal left and entered, and refresh the deal's copies on its collaborator links: every path that saves
        a deal keeps the report totals exact."""
        from dealtrack.deals import collaborator_copies, day_totals

        before = day_totals.state_before_save(self)
        super().save(*args, **kwargs)
        after = day_totals.after_save(self, before, kwargs.get("update_fields"))
        collaborator_copies.after_save(self, before, after)
        self._reported_as_loaded = after

    @property
    def probability(self) -> int:
        if self.probability_override is not None:
            return self.probability_override
        return self.stage.probability

    @property
    def effective_forecast_category(self) -> str:
        """The manager's override when there is one, else the rep's category."""
        return self.forecast_category_override or self.forecast_category

    @property
    def weighted_value(self) -> Decimal:
        return (self.value_base * self.probability / 100).quantize(Decimal("0.01"))


class DealCollaborator(models.Model):
    """A colleague (product, technical, finance) on a deal's team: can see and work on the deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="collaborator_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role on the deal"), max_length=100, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # Copies of the deal's owner, creation and close time, kept by `deals.collaborator_copies` in the deal's
    # own save: a report narrows a reader's collaborations to its period and to owners outside the reader's
    # scope on these index columns before it reads a single deal.
    deal_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True, db_index=False, editable=False
    )
    deal_created_at = models.DateTimeField(null=True, editable=False)
    deal_closed_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["deal", "user"], name="unique_deal_collaborator")]
        indexes = [
            models.Index(fields=["user", "deal"], name="collaborator_user"),
            models.Index(fields=["user", "deal_closed_at", "deal_owner", "deal"], name="collaborator_closed"),
            models.Index(fields=["user", "deal_created_at", "deal_owner", "deal"], name="collaborator_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.deal}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new link takes its copies from the deal, whichever path adds it (services, the admin's inline)."""
        from dealtrack.deals import collaborator_copies

        if self._state.adding:
            collaborator_copies.fill(self)
        super().save(*args, **kwargs)


class DealLineItem(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="line_items")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="line_items")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=Decimal(1))
    unit_price = models.DecimalField(_("unit price"), max_digits=16, decimal_places=2)
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["id"]
        verbose_name = _("line item")
        verbose_name_plural = _("line items")

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def total(self) -> Decimal:
        gross = self.quantity * self.unit_price
        return (gross * (100 - self.discount_percent) / 100).quantize(Decimal("0.01"))


class DealEvent(models.Model):
    """One thing that happened to a deal. Append-only: written by `deals.events`, never updated.

    Stage transitions also fill `from_stage`/`to_stage`; `deals.stage_visits` derives the funnel's rows
    from them.
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=24, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(db_index=True)
    from_stage = models.ForeignKey(
        "pipelines.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_stage = models.ForeignKey("pipelines.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["deal", "occurred_at"], name="event_deal_time"),
            models.Index(fields=["type", "occurred_at"], name="event_type_time"),
            models.Index(fields=["to_stage", "occurred_at"], name="event_to_stage"),
        ]
        verbose_name = _("deal event")
        verbose_name_plural = _("deal events")

    def __str__(self) -> str:
        return f"{self.get_type_display()} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class StageVisit(models.Model):
    """One stay of a deal in a stage, derived from its `created` and `stage_changed` events by
    `deals.stage_visits` whenever those are written: when it entered, when it left (the next stage
    change), whether it got further later (a later stage of the same pipeline, open or won), and when the
    deal last entered this same stage before.

    The funnel reads these rows with one range scan per stage instead of pairing every entry event with
    the deal's later events. `previous_entry_at` makes "deals that entered the stage in a period" a plain
    count: a deal's first entry within the period is its one entry there whose previous entry (if any)
    came before the period started.
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_visits")
    # The deal's owner now (kept by `reassign_deal`), so visibility and the team filter need no join.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # No index of its own: both covering indexes below start with the stage.
    stage = models.ForeignKey("pipelines.Stage", on_delete=models.CASCADE, related_name="+", db_index=False)
    entered_at = models.DateTimeField()
    previous_entry_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    seconds = models.BigIntegerField(null=True, blank=True)
    moved_on = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Covering indexes for the funnel: a stage's entries in a period, and its stays that ended in it.
            models.Index(
                fields=["stage", "entered_at", "previous_entry_at", "moved_on", "owner", "deal"], name="visit_entered"
            ),
            models.Index(fields=["stage", "left_at", "seconds", "owner", "deal"], name="visit_left"),
        ]
        verbose_name = _("stage visit")
        verbose_name_plural = _("stage visits")

    def __str__(self) -> str:
        return f"{self.deal_id} @ {self.stage_id} {self.entered_at:%Y-%m-%d}"


class StageDayTotal(models.Model):
    """Stage visits summed per calendar day (in the organisation's time zone), stage and owner, kept by
    `deals.stage_totals` whenever visits are derived or change owner: the entries of that day (split by
    the local day of the deal's previous entry into the same stage, so "first entry in the period" stays
    a plain sum) and the stays that ended that day.

    The funnel reads a few rows per stage and day here instead of every visit of the period.
    """

    class Kind(models.TextChoices):
        ENTERED = "entered"
        LEFT = "left"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    day = models.DateField()
    stage = models.ForeignKey("pipelines.Stage", on_delete=models.CASCADE, related_name="+", db_index=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # Entries only: the local day of the deal's previous entry into this stage (null: none before).
    previous_day = models.DateField(null=True)
    # Entries: how many, and how many of them later got further; stays: how many ended, and their seconds.
    visits = models.IntegerField(default=0)
    moved_on = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        # The funnel reads a kind's stages over the period's days, for everyone (by day) or for a reader's
        # people (by owner: a manager's few among hundreds); both carry the sums, so neither reads the table.
        # Refreshes name both kinds and the owner.
        indexes = [
            models.Index(
                fields=["kind", "stage", "day", "owner", "previous_day", "visits", "moved_on", "seconds"],
                name="stagetotal_read",
            ),
            models.Index(
                fields=["kind", "stage", "owner", "day", "previous_day", "visits", "moved_on", "seconds"],
                name="stagetotal_owner",
            ),
        ]
        verbose_name = _("daily stage total")
        verbose_name_plural = _("daily stage totals")

    def __str__(self) -> str:
        return f"{self.day} {self.stage_id}/{self.owner_id} {self.kind}"


class DayTotal(models.Model):
    """Deals summed per calendar day (in the organisation's time zone), owner and pipeline, kept by
    `deals.day_totals` whenever a deal's reported fields change: the deals created that day (`created_*`,
    with how many of them are won or lost by now) and the deals won or lost that day (`won_*`, `lost_*`).

    Each (day, owner, pipeline) cell has one row over all its deals (dimension "all"), and rows per source
    (created figures only), per deal type (won and lost figures) and per lost reason (lost figures), so the
    summary, monthly figures, top sources, retention and lost reasons read a few rows a day instead of
    every deal of the period.
    """

    class Dimension(models.TextChoices):
        ALL = "all"
        SOURCE = "source"
        TYPE = "type"
        REASON = "reason"

    day = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    pipeline = models.ForeignKey("pipelines.Pipeline", on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    # Set on rows of their own dimension only (null there: deals without one).
    source = models.ForeignKey(Source, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    deal_type = models.CharField(max_length=10, null=True)
    lost_reason = models.ForeignKey(LostReason, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    created_count = models.IntegerField(default=0)
    created_value = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    created_won = models.IntegerField(default=0)
    created_lost = models.IntegerField(default=0)
    won_count = models.IntegerField(default=0)
    won_value = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    # Σ sales cycle in whole local days of the deals won that day (the mean's numerator).
    won_cycle_days = models.BigIntegerField(default=0)
    lost_count = models.IntegerField(default=0)
    lost_value = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [
            # The one index: reports read a dimension's days; refreshes name every dimension of their cells.
            models.Index(fields=["dimension", "day", "owner", "pipeline"], name="daytotal_read"),
        ]
        verbose_name = _("daily deal total")
        verbose_name_plural = _("daily deal totals")

    def __str__(self) -> str:
        return f"{self.day} {self.owner_id}/{self.pipeline_id} {self.dimension}"

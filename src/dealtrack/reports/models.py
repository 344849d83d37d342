"""Daily pipeline snapshots: the state of every open deal at the start of each day.

They make "compared with the start of the period" and "forecast vs actual" exact, since the deal
rows themselves only hold the present state.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealtrack.deals.choices import DealType, ForecastCategory


class SnapshotDay(models.Model):
    """That the snapshot of `day` was taken (and when): tells an empty pipeline from a missing snapshot."""

    day = models.DateField(_("day"), unique=True)
    taken_at = models.DateTimeField(_("taken at"))
    deal_count = models.PositiveIntegerField(_("open deals"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("snapshot day")
        verbose_name_plural = _("snapshot days")

    def __str__(self) -> str:
        return str(self.day)


class PipelineSnapshot(models.Model):
    """One open deal on one day, as it stood when the day's snapshot was taken (written only by
    `reports.services.take_pipeline_snapshot`; never edited).

    Stage, pipeline and owner are kept without foreign-key constraints so that history outlives a
    deleted stage or user; a deleted deal takes its snapshots with it.
    """

    day = models.DateField(_("day"))
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="+")
    pipeline = models.ForeignKey(
        "pipelines.Pipeline", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    stage = models.ForeignKey("pipelines.Stage", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    value_base = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))
    probability = models.PositiveSmallIntegerField(default=0)
    expected_close_date = models.DateField(null=True, blank=True)
    forecast_category = models.CharField(max_length=10, choices=ForecastCategory.choices)
    deal_type = models.CharField(max_length=10, choices=DealType.choices, default=DealType.NEW)

    class Meta:
        ordering = ["day", "deal_id"]
        constraints = [models.UniqueConstraint(fields=["day", "deal"], name="unique_snapshot_day_deal")]
        indexes = [
            models.Index(
                fields=[
                    "day",
                    "owner",
                    "value_base",
                    "probability",
                    "expected_close_date",
                    "forecast_category",
                    "deal",
                ],
                name="snapshot_day_owner",
            ),
            models.Index(fields=["day", "expected_close_date"], name="snapshot_day_close"),
        ]
        verbose_name = _("pipeline snapshot")
        verbose_name_plural = _("pipeline snapshots")

    def __str__(self) -> str:
        return f"{self.day} #{self.deal_id}"


class SnapshotTotal(models.Model):
    """A day's snapshot summed per owner, pipeline, forecast category and month of expected close, written
    with the snapshot by `reports.services.take_pipeline_snapshot` (and lowered when deals are deleted, as
    their snapshot rows go with them): the pipeline at a period's end and the forecast taken at a month's
    start read a few hundred of these instead of every open deal of the day.
    """

    day = models.DateField(_("day"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    pipeline = models.ForeignKey(
        "pipelines.Pipeline", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    forecast_category = models.CharField(max_length=10, choices=ForecastCategory.choices)
    # The first day of the month of expected close (null: deals without one).
    close_month = models.DateField(null=True)
    deal_count = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    # Σ value × probability, in value × percent.
    weighted = models.DecimalField(max_digits=24, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["day", "owner"], name="snapshottotal_day_owner")]
        verbose_name = _("daily snapshot total")
        verbose_name_plural = _("daily snapshot totals")

    def __str__(self) -> str:
        return f"{self.day} {self.owner_id}/{self.pipeline_id} {self.forecast_category} {self.close_month}"

"""Calls, e-mails, meetings, visits and notes: what the team did, feeding timelines and rep metrics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealtrack.activities.choices import ActivityKind
from dealtrack.core.models import TimeStamped


class Activity(TimeStamped):
    """Something a user did, at a time, on a deal and/or a company or contact, with its outcome."""

    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="activities"
    )
    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # When the same person last touched the same deal before this activity (kept by `activities.touches`):
    # an activity whose previous touch came before a period starts is that deal's first touch in it, so
    # "deals touched" is a plain count.
    previous_touch_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["deal", "occurred_at"], name="activity_deal_time"),
            models.Index(fields=["company", "occurred_at"], name="activity_company_time"),
            # A person's activities over time; covers the team report's counts per person, kind and deal.
            models.Index(
                fields=["user", "occurred_at", "kind", "deal", "previous_touch_at"], name="activity_user_touch"
            ),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.subject or self.get_kind_display()


class ActivityDayTotal(models.Model):
    """Activities counted per calendar day (in the organisation's time zone), person and pipeline of their
    deal, kept by `activities.totals` whenever activities are logged or go with their deals: per kind
    (dimension "kind"), and, for activities on deals, per local day of the person's previous touch of the
    same deal (dimension "touch"), so the team table's "deals touched" (first touches in the period) stays
    a sum. The team table reads these instead of every activity of the period.
    """

    class Dimension(models.TextChoices):
        KIND = "kind"
        TOUCH = "touch"

    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    # The deal's pipeline (deals never change pipeline); null for activities not on a deal.
    pipeline = models.ForeignKey(
        "pipelines.Pipeline", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # "kind" rows: the activity kind. "touch" rows: the previous touch's local day (null: none before).
    kind = models.CharField(max_length=10, null=True)
    previous_day = models.DateField(null=True)
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [
            # Covering: the team table reads a dimension's days for its people.
            models.Index(
                fields=["dimension", "day", "user", "pipeline", "kind", "previous_day", "count"],
                name="activitytotal_read",
            ),
        ]
        verbose_name = _("daily activity total")
        verbose_name_plural = _("daily activity totals")

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.dimension}"

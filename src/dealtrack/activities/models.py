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

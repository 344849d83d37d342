"""Quotas (销售目标): what a rep or a team is to win in a year, broken down to months.

Quotas live in this small domain app rather than in `reports` because they are data a manager writes
(through `goals.services`) and other parts may read (the board, notifications), while `reports` only reads.
Keeping them here lets the import-linter contract treat them like every other domain object.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import TimeStamped
from dealtrack.goals.choices import QuotaMetric


class Quota(TimeStamped):
    """A year's target for one rep (`owner`) or one team, in won value (base currency) or in deals won.

    `monthly_targets` holds the twelve month targets (as decimal strings) the service derived from
    `target` and the weights; they add up exactly to `target`. Quarters are sums of months; a week, or
    any other span, takes each month's target in proportion to the days of that month it covers.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    team = models.ForeignKey(
        "core.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE, related_name="quotas"
    )
    metric = models.CharField(_("measured in"), max_length=8, choices=QuotaMetric.choices, default=QuotaMetric.VALUE)
    target = models.DecimalField(_("target for the year"), max_digits=18, decimal_places=2, default=Decimal(0))
    weights = models.JSONField(_("weights"), default=list, blank=True)
    monthly_targets = models.JSONField(_("monthly targets"), default=list)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "team__name", "owner__username", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner__isnull=False) & Q(team__isnull=True))
                | (Q(owner__isnull=True) & Q(team__isnull=False)),
                name="quota_for_owner_or_team",
            ),
            models.UniqueConstraint(
                fields=["year", "owner", "metric"], condition=Q(owner__isnull=False), name="unique_owner_quota"
            ),
            models.UniqueConstraint(
                fields=["year", "team", "metric"], condition=Q(team__isnull=False), name="unique_team_quota"
            ),
        ]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self) -> str:
        return f"{self.owner or self.team} {self.year}: {self.target}"

    @property
    def months(self) -> list[Decimal]:
        return [Decimal(m) for m in self.monthly_targets]

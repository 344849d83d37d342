"""Writes to quotas: set (create or replace) and remove, by admins and the managers of the rep or team."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.models import Team, User
from dealtrack.core.queries import managed_team_ids
from dealtrack.goals.breakdown import monthly_split
from dealtrack.goals.choices import QuotaMetric
from dealtrack.goals.models import Quota


def may_set_quota(actor: User, *, owner: User | None, team: Team | None) -> bool:
    """Admins set any quota; a manager sets them for the teams below them and those teams' reps."""
    if actor.is_admin:
        return True
    if not actor.is_manager:
        return False
    managed = managed_team_ids(actor)
    team_id = team.pk if team is not None else (owner.team_id if owner is not None else None)
    return team_id is not None and team_id in managed


def _clean_target(raw: Any) -> Decimal:
    try:
        target = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({"target": [_("Enter a number.")]}) from None
    if not target.is_finite() or target < 0:
        raise ValidationError({"target": [_("Enter an amount of zero or more.")]})
    if target >= Decimal("1e15"):
        raise ValidationError({"target": [_("This amount is too large.")]})
    return target.quantize(Decimal("0.01"))


def _clean_weights(raw: Sequence[Any] | None) -> list[Decimal]:
    if not raw:
        return []
    try:
        weights = [Decimal(str(w).strip() or "0") for w in raw]
    except InvalidOperation:
        raise ValidationError({"weights": [_("Weights must be numbers.")]}) from None
    if len(weights) not in (4, 12):
        raise ValidationError({"weights": [_("Give 4 weights (quarters) or 12 weights (months).")]})
    if any(not w.is_finite() or w < 0 for w in weights) or sum(weights) <= 0:
        raise ValidationError({"weights": [_("Weights must be zero or more, and not all zero.")]})
    return weights


@transaction.atomic
def set_quota(
    *,
    actor: User,
    year: int,
    target: Any,
    metric: str = QuotaMetric.VALUE,
    owner: User | None = None,
    team: Team | None = None,
    weights: Sequence[Any] | None = None,
) -> Quota:
    """Create or replace the (year, rep or team, metric) quota, splitting `target` into twelve months.

    Weights: none (evenly), 4 (by quarter) or 12 (by month). Refused with a ValidationError, writing
    nothing, for bad input or an actor who does not manage the rep or team.
    """
    if (owner is None) == (team is None):
        raise ValidationError({"owner": [_("Set a quota for either a rep or a team.")]})
    if not may_set_quota(actor, owner=owner, team=team):
        raise ValidationError({"owner": [_("You can only set quotas for the teams you manage.")]})
    if metric not in QuotaMetric.values:
        raise ValidationError({"metric": [_("Select a valid choice.")]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    amount = _clean_target(target)
    cleaned = _clean_weights(weights)
    months = monthly_split(amount, cleaned)
    quota, _created = Quota.objects.update_or_create(
        year=int(year),
        owner=owner,
        team=team,
        metric=metric,
        defaults={
            "target": amount,
            "weights": [str(w) for w in cleaned],
            "monthly_targets": [str(m) for m in months],
            "set_by": actor,
        },
    )
    return quota


@transaction.atomic
def delete_quota(*, actor: User, quota: Quota) -> None:
    """Remove a quota; refused for an actor who does not manage its rep or team."""
    if not may_set_quota(actor, owner=quota.owner, team=quota.team):
        raise ValidationError({"owner": [_("You can only set quotas for the teams you manage.")]})
    quota.delete()

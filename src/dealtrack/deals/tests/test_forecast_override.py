"""A rep sets the forecast category, the owner's manager may override it, and both stay on record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dealtrack.deals import services
from dealtrack.deals.choices import EventType, ForecastCategory
from dealtrack.deals.models import DealEvent

pytestmark = pytest.mark.django_db


def field_changes(deal):
    events = DealEvent.objects.filter(deal=deal, type=EventType.FIELD_CHANGED).order_by("occurred_at", "id")
    return [(e.actor.username, e.parameters["changes"]) for e in events]


def test_manager_override_keeps_the_reps_category_and_logs_both_calls(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    services.update_deal(deal=deal, actor=org.rep_a, version=None, changes={"forecast_category": "commit"})

    services.override_forecast_category(deal=deal, actor=org.manager_a, category="best_case")

    deal.refresh_from_db()
    assert deal.forecast_category == ForecastCategory.COMMIT
    assert deal.forecast_category_override == ForecastCategory.BEST_CASE
    assert deal.effective_forecast_category == ForecastCategory.BEST_CASE
    assert field_changes(deal) == [
        ("rep_a", {"forecast_category": ["pipeline", "commit"]}),
        ("manager_a", {"forecast_category_override": ["", "best_case"]}),
    ]


def test_manager_of_a_parent_team_and_admin_may_override(org, make_deal):
    north_deal = make_deal(owner=org.rep_north)

    services.override_forecast_category(deal=north_deal, actor=org.manager_a, category="commit")
    services.override_forecast_category(deal=north_deal, actor=org.admin, category="pipeline")

    north_deal.refresh_from_db()
    assert north_deal.forecast_category_override == ForecastCategory.PIPELINE


@pytest.mark.parametrize("who", ["rep_a", "rep_a2", "manager_b"])
def test_override_by_someone_who_does_not_manage_the_owner_is_refused_and_changes_nothing(org, make_deal, who):
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(ValidationError) as exc:
        services.override_forecast_category(deal=deal, actor=getattr(org, who), category="commit")

    assert "forecast_category_override" in exc.value.message_dict
    deal.refresh_from_db()
    assert deal.forecast_category_override == ""
    assert deal.version == 1
    assert field_changes(deal) == []


def test_override_with_an_unknown_category_is_refused(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(ValidationError):
        services.override_forecast_category(deal=deal, actor=org.manager_a, category="maybe")

    deal.refresh_from_db()
    assert deal.forecast_category_override == ""


def test_closing_a_deal_clears_the_override(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    services.override_forecast_category(deal=deal, actor=org.manager_a, category="commit")

    services.mark_deal_won(deal=deal, actor=org.rep_a)

    deal.refresh_from_db()
    assert (deal.forecast_category, deal.forecast_category_override) == (ForecastCategory.CLOSED, "")

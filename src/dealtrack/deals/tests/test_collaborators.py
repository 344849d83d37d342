"""Deal team: adding a collaborator writes `collaborator_added`, at the given time for recorded history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealCollaborator, DealEvent

pytestmark = pytest.mark.django_db


def test_add_collaborator_writes_event_at_the_given_time(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    when = timezone.now() - dt.timedelta(days=3)

    link = services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b, role="售前技术支持", at=when)

    assert (link.user, link.role) == (org.rep_b, "售前技术支持")
    event = DealEvent.objects.get(deal=deal, type=EventType.COLLABORATOR_ADDED)
    assert (event.occurred_at, event.actor, event.parameters) == (
        when,
        org.rep_a,
        {"user": org.rep_b.pk, "name": org.rep_b.name},
    )


def test_adding_a_collaborator_twice_writes_nothing_more(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b)

    services.add_collaborator(deal=deal, actor=org.rep_a, user=org.rep_b, role="财务")

    assert DealCollaborator.objects.filter(deal=deal).count() == 1
    assert DealEvent.objects.filter(deal=deal, type=EventType.COLLABORATOR_ADDED).count() == 1

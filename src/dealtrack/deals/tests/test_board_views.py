"""The board: totals from SQL, paged columns, and moves through the service with dialogs and refusals."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from dealtrack.core.exceptions import StaleVersionError
from dealtrack.deals.board import CARDS_PER_PAGE
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.queries import deals_visible_to
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.services import create_pipeline
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def stages(org):
    return list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))


def move(client, deal, stage, **extra):
    data = {"stage": stage.pk, "version": deal.version, "source": "board", **extra}
    return client.post(reverse("deals:move", args=[deal.pk]), data, HTTP_HX_REQUEST="true")


def test_board_totals_equal_database_sums_for_the_reader(client, org, make_deal):
    for value in ("1000.10", "2500.25", "99999.99"):
        make_deal(owner=org.rep_a, value=value)
    make_deal(owner=org.rep_b, value="5000000")
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:board"))

    first = stages(org)[0]
    column = next(c for c in response.context["columns"] if c.stage == first)
    expected = deals_visible_to(org.rep_a).filter(stage=first).aggregate(s=Sum("value_base"))["s"]
    assert column.totals.total == expected == Decimal("103500.34")
    assert column.totals.count == 3
    assert column.totals.weighted == (expected * first.probability / 100).quantize(Decimal("0.01"))


def test_board_filters_change_totals(client, org, make_deal):
    make_deal(owner=org.rep_a, value="100", priority="high")
    make_deal(owner=org.rep_a, value="200", priority="low")
    client.force_login(org.manager_a)

    response = client.get(reverse("deals:board"), {"priority": "high"})

    first = stages(org)[0]
    column = next(c for c in response.context["columns"] if c.stage == first)
    assert (column.totals.count, column.totals.total) == (1, Decimal("100.00"))


def test_invalid_filter_shows_the_unfiltered_board_not_an_error(client, org, make_deal):
    make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:board"), {"close_from": "not-a-date", "owner": "abc"})

    assert response.status_code == 200
    assert response.context["filterset"].errors


def test_column_pages_as_the_reader_scrolls(client, org, make_deal):
    for i in range(CARDS_PER_PAGE + 5):
        make_deal(owner=org.rep_a, name=f"deal {i}", value=str(1000 + i))
    client.force_login(org.rep_a)
    first = stages(org)[0]

    board = client.get(reverse("deals:board"))
    column = next(c for c in board.context["columns"] if c.stage == first)
    more = client.get(reverse("deals:board_column"), {"stage": first.pk, "offset": column.next_offset})

    assert len(column.cards) == CARDS_PER_PAGE
    html = more.content.decode()
    more_ids = set(re.findall(r'id="deal-(\d+)"', html))
    assert len(more_ids) == 5
    assert "more-cards" not in html  # no further page
    assert {str(d.pk) for d in column.cards}.isdisjoint(more_ids)


def test_won_and_lost_columns_start_collapsed_and_expand(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    won = org.pipeline.stages.get(kind=StageKind.WON)
    from dealtrack.deals.services import mark_deal_won

    mark_deal_won(deal=deal, actor=org.rep_a)
    client.force_login(org.rep_a)

    board = client.get(reverse("deals:board"))
    expanded = client.get(reverse("deals:board_column"), {"stage": won.pk, "expand": "1"})

    column = next(c for c in board.context["columns"] if c.stage == won)
    assert column.collapsed and column.cards == [] and column.totals.count == 1
    assert re.findall(r'id="deal-(\d+)"', expanded.content.decode()) == [str(deal.pk)]


def test_switching_pipeline_shows_its_stages(client, org, make_deal):
    other = create_pipeline(name="Renewals", template="process")
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:board"), {"pipeline": other.pk})

    assert [c.stage.pk for c in response.context["columns"]] == list(other.stages.values_list("pk", flat=True))


def test_move_to_next_stage_writes_event_and_answers_updated_heads(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    second = stages(org)[1]
    client.force_login(org.rep_a)

    response = move(client, deal, second)

    deal.refresh_from_db()
    assert deal.stage == second
    assert DealEvent.objects.filter(deal=deal, type=EventType.STAGE_CHANGED, to_stage=second).count() == 1
    assert "dealMoved" in response["HX-Trigger"]
    assert f'id="column-head-{second.pk}"' in response.content.decode()


def test_move_into_stage_with_missing_field_answers_dialog_and_moves_nothing(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    third = stages(org)[2]
    client.force_login(org.rep_a)

    response = move(client, deal, third)

    deal.refresh_from_db()
    assert deal.stage == stages(org)[0]
    assert "dealRefused" in response["HX-Trigger"]
    assert list(response.context["fields_form"].fields) == ["value"]


def test_dialog_with_the_missing_value_moves_the_deal(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    third = stages(org)[2]
    client.force_login(org.rep_a)

    move(client, deal, third, dialog="1", value="30000")

    deal.refresh_from_db()
    assert (deal.stage, deal.value) == (third, Decimal("30000.00"))


def test_dialog_with_bad_value_shows_message_in_users_language_and_moves_nothing(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    org.rep_a.language = "zh-hans"
    org.rep_a.save()
    third = stages(org)[2]
    client.force_login(org.rep_a)

    response = move(client, deal, third, dialog="1", value="很多钱")

    deal.refresh_from_db()
    assert deal.stage == stages(org)[0]
    assert response.context["fields_form"].errors["value"] == ["请输入数字。"]


def test_move_into_lost_needs_a_reason(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    lost = org.pipeline.stages.get(kind=StageKind.LOST)
    reason = LostReasonFactory()
    client.force_login(org.rep_a)

    asked = move(client, deal, lost)
    empty = move(client, deal, lost, dialog="1", lost_reason="")
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert asked.context["lost_form"] is not None
    assert "lost_reason" in empty.context["lost_form"].errors

    move(client, deal, lost, dialog="1", lost_reason=reason.pk, lost_note="选了友商")
    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason, deal.lost_note) == (DealStatus.LOST, reason, "选了友商")


def test_stale_move_is_refused_and_says_someone_saved_first(client, org, make_deal):
    from dealtrack.deals.services import update_deal

    deal = make_deal(owner=org.rep_a)
    stale_version = deal.version
    update_deal(deal=deal, actor=org.manager_a, changes={"value": "123"}, version=deal.version)
    client.force_login(org.rep_a)

    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages(org)[1].pk, "version": stale_version, "source": "board"},
        HTTP_HX_REQUEST="true",
    )

    deal.refresh_from_db()
    assert deal.stage == stages(org)[0]
    with translation.override("zh-hans"):
        expected = str(StaleVersionError(deal.version))
    assert json.loads(response["HX-Trigger"])["dealRefused"]["message"] == expected


def test_stale_dialog_keeps_the_users_input(client, org, make_deal):
    from dealtrack.deals.services import update_deal

    deal = make_deal(owner=org.rep_a, value="0")
    stale_version = deal.version
    update_deal(deal=deal, actor=org.manager_a, changes={"priority": "high"}, version=deal.version)
    client.force_login(org.rep_a)

    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages(org)[2].pk, "version": stale_version, "source": "board", "dialog": "1", "value": "777"},
        HTTP_HX_REQUEST="true",
    )

    deal.refresh_from_db()
    assert deal.value == Decimal("0")
    assert response.context["stale"]
    assert response.context["version"] == deal.version
    assert 'value="777"' in response.content.decode()


def test_moving_another_teams_deal_is_404_and_changes_nothing(client, org, make_deal):
    deal = make_deal(owner=org.rep_b)
    client.force_login(org.rep_a)

    response = move(client, deal, stages(org)[1])

    assert response.status_code == 404
    assert Deal.objects.get(pk=deal.pk).stage == stages(org)[0]


def test_stage_of_another_pipeline_is_404(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    other = create_pipeline(name="Other", template="salesflare")
    client.force_login(org.rep_a)

    response = move(client, deal, other.stages.first())

    assert response.status_code == 404

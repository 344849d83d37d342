"""Dates repeated down a deals sheet: read once, yet every row gets its own value and its own error."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from dealtrack.deals.choices import EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.imports.parsing import read_table
from dealtrack.imports.services import import_table

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def write(tmp_path, text: str):
    path = tmp_path / "deals.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_every_row_with_a_bad_date_is_reported(tmp_path, org):
    table = write(
        tmp_path,
        "name,owner,created_at\n云平台,rep_a,next tuesday\n数据中心,rep_a,2024-03-01\n机房改造,rep_a,next tuesday\n",
    )

    result = import_table(entity="deals", table=table, actor=org.admin)

    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (2, "created_at", "next tuesday"),
        (4, "created_at", "next tuesday"),
    ]
    assert not result.written
    assert Deal.objects.count() == 0
    assert DealEvent.objects.count() == 0


def test_the_same_date_in_two_columns_and_many_rows_gives_each_deal_its_dates(tmp_path, org):
    table = write(
        tmp_path,
        "external_id,name,owner,stage,value,created_at,closed_at\n"
        "A1,云平台,rep_a,Won,100,03/04/2024,03/14/2024\n"
        "A2,数据中心,rep_a,Lost,200,03/14/2024,03/14/2024\n"
        "A3,机房改造,rep_a,Won,300,03/04/2024,03/14/2024\n",
    )

    result = import_table(entity="deals", table=table, actor=org.admin)

    assert (result.created, result.errors, result.written) == (3, [], True)
    march_4, march_14 = (dt.datetime(2024, 3, day, tzinfo=SHANGHAI) for day in (4, 14))  # month/day/year
    stored = {d.external_id: (d.created_at, d.closed_at) for d in Deal.objects.all()}
    assert stored == {"A1": (march_4, march_14), "A2": (march_14, march_14), "A3": (march_4, march_14)}
    created = dict(DealEvent.objects.filter(type=EventType.CREATED).values_list("deal__external_id", "occurred_at"))
    assert created == {"A1": march_4, "A2": march_14, "A3": march_4}

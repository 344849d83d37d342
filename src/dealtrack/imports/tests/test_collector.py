"""An import pauses Python's garbage collector only while it runs, whatever the outcome."""

from __future__ import annotations

import gc

import pytest

from dealtrack.deals.models import Deal
from dealtrack.imports.parsing import read_table
from dealtrack.imports.services import import_table

pytestmark = pytest.mark.django_db


def deals_file(tmp_path, owner: str):
    path = tmp_path / "deals.csv"
    path.write_text(f"name,owner\n云平台,{owner}\n", encoding="utf-8")
    return read_table(path)


def test_the_collector_runs_again_after_an_import_and_after_a_refused_one(tmp_path, org):
    assert gc.isenabled()

    done = import_table(entity="deals", table=deals_file(tmp_path, "rep_a"), actor=org.admin)
    assert (done.created, gc.isenabled()) == (1, True)

    refused = import_table(entity="deals", table=deals_file(tmp_path, "nobody"), actor=org.admin)
    assert (refused.written, gc.isenabled()) == (False, True)
    assert Deal.objects.count() == 1


def test_a_collector_paused_by_the_caller_stays_paused(tmp_path, org):
    gc.disable()
    try:
        import_table(entity="deals", table=deals_file(tmp_path, "rep_a"), actor=org.admin)
        assert not gc.isenabled()
    finally:
        gc.enable()

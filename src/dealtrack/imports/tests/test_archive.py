"""`export-all` then `import-all` into an empty installation gives back every row, events included."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dealtrack.activities.models import Activity
from dealtrack.activities.services import log_activity
from dealtrack.core.models import Team, User
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.services import mark_deal_won, update_deal
from dealtrack.imports import archive
from dealtrack.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages(settings):
    """These tests read the English messages; in the site language (zh-hans) they are translated."""
    settings.LANGUAGE_CODE = "en"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every exported table, as stored."""
    result = {}
    for label in archive.TABLES:
        model = archive._model(label)
        names = [f.attname for f in model._meta.concrete_fields]
        result[label] = list(model._base_manager.order_by("pk").values_list(*names))
    return result


def empty_installation() -> None:
    for model in (Task, Activity, DealEvent, Deal, Contact, Company):
        model._base_manager.all().delete()
    Team.objects.update(manager=None, parent=None)
    User.objects.all().delete()
    Team.objects.all().delete()
    for label in ("deals.Product", "deals.Tag"):
        archive._model(label)._base_manager.all().delete()


def test_export_all_then_import_all_restores_everything(org, make_deal, tmp_path):
    deal = make_deal(owner=org.rep_a, name='=HYPERLINK("x")', tags=["重点", "'quoted"])
    update_deal(deal=deal, actor=org.rep_a, changes={"next_step": "-5% discount", "value": "-0"}, version=None)
    mark_deal_won(deal=deal, actor=org.rep_a)
    log_activity(actor=org.rep_a, kind="call", deal=deal, subject="@老板 电话", outcome='多行\n内容, "引号"')
    before = snapshot()
    path = tmp_path / "org.zip"
    call_command("export-all", str(path), stdout=StringIO())
    empty_installation()

    call_command("import-all", str(path), stdout=StringIO())

    assert snapshot() == before
    assert Deal.objects.get().name == '=HYPERLINK("x")'


def test_import_all_refuses_an_installation_with_data(org, make_deal, tmp_path):
    make_deal(owner=org.rep_a)
    path = tmp_path / "org.zip"
    call_command("export-all", str(path), stdout=StringIO())
    before = snapshot()

    with pytest.raises(CommandError, match="already has data"):
        call_command("import-all", str(path), stdout=StringIO())

    assert snapshot() == before


def test_import_all_refuses_a_file_that_is_not_an_export(db, tmp_path):
    path = tmp_path / "other.zip"
    path.write_bytes(b"not a zip")

    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("import-all", str(path), stdout=StringIO())

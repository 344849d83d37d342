"""The shipped catalogs are complete: every msgid in the code is in them, translated, not fuzzy, and compiled."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
LOCALES = ("zh_Hans", "zh_Hant", "en")


def catalog(locale: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"))


def entry_key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated_and_not_fuzzy(locale):
    po = catalog(locale)

    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_the_po_file(locale):
    po = catalog(locale)
    mo = polib.mofile(str(PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.mo"))

    compiled = {entry_key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    source = {entry_key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po if not e.obsolete}

    assert {k: v for k, v in source.items() if compiled.get(k) != v} == {}


@pytest.mark.slow
def test_every_msgid_in_the_code_is_in_the_catalogs(tmp_path, settings):
    # Extract from a copy, so the committed catalogs are never rewritten by the test.
    copy = tmp_path / "dealtrack"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    for po_file in (copy / "locale").rglob("django.po"):
        po_file.unlink()
    settings.LOCALE_PATHS = [copy / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    extracted = {entry_key(e) for e in polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}

    for locale in LOCALES:
        shipped = {entry_key(e) for e in catalog(locale) if not e.obsolete}
        assert sorted(extracted - shipped) == [], f"missing from {locale}: run makemessages and translate"


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("zh-hans", "Evaluating", "评估中"),
        ("zh-hant", "Evaluating", "評估中"),
        ("zh-hans", "Qualified", "符合条件"),
        ("zh-hans", "Building proposal", "建设提案"),
        ("zh-hans", "Negotiating", "洽谈"),
        ("zh-hans", "Won", "赢单"),
        ("zh-hans", "Lost", "丢单"),
        ("zh-hans", "Customer development", "客户开发"),
        ("zh-hans", "After-sales service", "售后维护"),
        ("zh-hans", "Sales pipeline", "销售管道"),
        ("zh-hans", "My work", "我的工作"),
        ("en", "Evaluating", "Evaluating"),
    ],
)
def test_shipped_names_read_in_each_language(language, msgid, expected):
    with translation.override(language):
        assert translation.gettext(msgid) == expected

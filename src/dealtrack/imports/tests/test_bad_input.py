"""Bad files get a clear message and import nothing: empty, binary, wrong encoding, too large, zip bomb,
no known column, unknown date formats."""

from __future__ import annotations

import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dealtrack.customers.models import Company
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.imports.parsing import UnreadableFileError, read_table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages(settings):
    """These tests read the English messages; in the site language (zh-hans) they are translated."""
    settings.LANGUAGE_CODE = "en"


def import_fails(*args: str) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("import", *args, stdout=StringIO(), stderr=StringIO(), verbosity=0)
    return str(exc.value)


def nothing_imported() -> bool:
    return Company.objects.count() == 0 and Deal.objects.count() == 0 and DealEvent.objects.count() == 0


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert "The file is empty" in import_fails("companies", str(path))
    assert nothing_imported()


def test_header_only_file(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("客户名称,行业\n", encoding="utf-8")

    assert "no data rows" in import_fails("companies", str(path))
    assert nothing_imported()


def test_binary_file(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)

    assert "binary data" in import_fails("companies", str(path))
    assert nothing_imported()


def test_wrong_encoding(tmp_path):
    path = tmp_path / "shiftjis.csv"
    path.write_bytes("会社名,業種\n株式会社トヨタ,自動車\nソニー株式会社,電機\n".encode("shift_jis"))

    message = import_fails("companies", str(path))

    assert "encoding" in message
    assert "UTF-8" in message
    assert nothing_imported()


def test_file_over_the_size_limit(tmp_path, settings):
    path = tmp_path / "huge.csv"
    path.write_text("name\n" + "华为科技\n" * 10, encoding="utf-8")
    with path.open("r+b") as handle:
        handle.truncate(settings.DEALTRACK_IMPORT_MAX_BYTES + 1)  # sparse: 50 MB without writing 50 MB

    message = import_fails("companies", str(path))

    assert "files up to 50.0\xa0MB can be imported" in message
    assert nothing_imported()


def test_zip_bomb_disguised_as_xlsx_is_refused_before_opening(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))

    message = import_fails("companies", str(path))

    assert "zip bomb" in message
    assert nothing_imported()


def test_zip_that_unpacks_past_the_limit_is_refused(tmp_path, settings):
    settings.DEALTRACK_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"x" * (2 * 1024 * 1024))

    with pytest.raises(UnreadableFileError, match="would unpack to"):
        read_table(path)


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 100)

    assert "damaged" in import_fails("companies", str(path))
    assert nothing_imported()


def test_header_row_with_no_known_column(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")

    message = import_fails("companies", str(path))

    assert "No column of the file is one this import knows" in message
    assert "foo, bar" in message
    assert nothing_imported()


def test_dates_in_unknown_formats_reject_the_whole_file(tmp_path, org):
    path = tmp_path / "deals.csv"
    path.write_text(
        "商机名称,负责人,创建日期\n云平台,rep_a,2024-03-01\n数据中心,rep_a,next tuesday\n", encoding="utf-8"
    )

    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "deals", str(path), stdout=out, stderr=StringIO(), verbosity=0)

    assert "row 3, 创建日期: “next tuesday” is not a date this importer understands" in out.getvalue()
    assert nothing_imported()


def test_xlsx_header_only_in_second_row_and_blank_rows_are_skipped(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append(["客户名称", "行业"])
    sheet.append(["华为科技有限公司", "通信"])
    sheet.append([None, None])
    sheet.append(["腾讯", "互联网"])
    path = tmp_path / "companies.xlsx"
    workbook.save(path)

    table = read_table(path)

    assert table.headers == ["客户名称", "行业"]
    assert table.rows == [["华为科技有限公司", "通信"], ["腾讯", "互联网"]]
    assert table.row_numbers == [3, 5]

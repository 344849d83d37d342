from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from dealtrack.core.spreadsheets import csv_bytes, neutralise, spreadsheet_response, xlsx_bytes


def test_neutralise_prefixes_formula_starts_only():
    assert [neutralise(v) for v in ["=1+1", "+86 138", "-5", "@SUM(A1)", "华为", 5]] == [
        "'=1+1",
        "'+86 138",
        "'-5",
        "'@SUM(A1)",
        "华为",
        5,
    ]


def test_csv_has_bom_and_neutralised_cells():
    body = csv_bytes(["名称", "金额"], [['=HYPERLINK("x")', Decimal("12.50")]]).decode("utf-8")

    assert body.startswith("\ufeff名称,金额")
    assert "'=HYPERLINK" in body
    assert "12.50" in body


def test_xlsx_round_trips_values_and_keeps_numbers_numeric():
    data = xlsx_bytes(["名称", "金额"], [["华为科技", Decimal("12.5")], ["@evil", 3]], title="交易")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "交易"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["名称", "金额"],
        ["华为科技", 12.5],
        ["'@evil", 3],
    ]


def test_response_names_the_file_in_utf8():
    response = spreadsheet_response(filename="交易", fmt="csv", headers=["a"], rows=[[1]])

    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E4%BA%A4%E6%98%93.csv"

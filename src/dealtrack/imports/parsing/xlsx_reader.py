"""XLSX through openpyxl in read-only (streaming) mode; cells keep their types (numbers, dates)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dealtrack.imports.parsing.errors import damaged_spreadsheet
from dealtrack.imports.parsing.table import Table, build_table


def read_xlsx(path: Path) -> Table:
    """The first worksheet (the active one when it has data) of the workbook."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise damaged_spreadsheet() from None
    try:
        sheet = workbook.active or workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if not any(any(v not in (None, "") for v in row) for row in rows) and len(workbook.worksheets) > 1:
            rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise damaged_spreadsheet() from None
    finally:
        workbook.close()
    return build_table(rows, "xlsx")

"""The table every reader produces, and the dispatch from file contents to the right reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dealtrack.imports.parsing.errors import UnreadableFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other MS Office binary files)


@dataclass
class Table:
    """A header row and the data rows below it. `row_numbers[i]` is the spreadsheet row of `rows[i]`."""

    headers: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    format: str
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


# Exports put an apostrophe before text a spreadsheet would run as a formula; reading it back drops it.
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value[1:] if value.startswith(NEUTRALISED) else value
    return "" if value is None else value


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def build_table(raw_rows: list[list[Any]], fmt: str, notes: list[str] | None = None) -> Table:
    """Take the first non-empty row as headers; drop empty rows but keep each row's real number."""
    numbered = [(n, row) for n, row in enumerate(raw_rows, start=1) if not all(_is_blank(v) for v in row)]
    if not numbered:
        raise UnreadableFileError(_("The file is empty: it has no header row and no data."))
    _header_number, header_row = numbered[0]
    headers = ["" if v is None else str(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UnreadableFileError(_("The file is empty: it has no header row and no data."))
    width = len(headers)
    rows = []
    numbers = []
    for number, row in numbered[1:]:
        cells = list(row[:width]) + [None] * (width - len(row))
        rows.append([_cell(v) for v in cells])
        numbers.append(number)
    if not rows:
        raise UnreadableFileError(_("The file has a header row but no data rows."))
    return Table(headers=headers, rows=rows, row_numbers=numbers, format=fmt, notes=notes or [])


def check_size(path: Path) -> int:
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFileError(_("The file is empty: it has no header row and no data."))
    if size > settings.DEALTRACK_IMPORT_MAX_BYTES:
        raise too_large(size)
    return size


def too_large(size: int) -> UnreadableFileError:
    return UnreadableFileError(
        _("The file is %(size)s; files up to %(limit)s can be imported. Split it into smaller files.")
        % {"size": filesizeformat(size), "limit": filesizeformat(settings.DEALTRACK_IMPORT_MAX_BYTES)}
    )


def read_table(path: Path) -> Table:
    """Read a CSV, XLSX, XLS or ODS file (told apart by content) into a Table, or raise UnreadableFileError."""
    from dealtrack.imports.parsing import calamine_reader, csv_reader, xlsx_reader, zip_guard

    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        kind = zip_guard.check_spreadsheet_zip(path)
        if kind == "xlsx":
            return xlsx_reader.read_xlsx(path)
        return calamine_reader.read_with_calamine(path, "ods")
    if head.startswith(OLE_MAGIC):
        return calamine_reader.read_with_calamine(path, "xls")
    return csv_reader.read_csv(path)

"""Legacy XLS and OpenDocument ODS through python-calamine (the calamine reader pandas also uses)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from dealtrack.imports.parsing.errors import UnreadableFileError
from dealtrack.imports.parsing.table import Table, build_table


def read_with_calamine(path: Path, fmt: str) -> Table:
    """The first worksheet of an .xls or .ods file."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError):
        raise UnreadableFileError(
            _("The file could not be read as a spreadsheet; open it and save it as XLSX or CSV.")
        ) from None
    return build_table([list(row) for row in rows], fmt)

"""Checks a zipped spreadsheet before any reader opens it: a zip bomb is refused on its directory alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dealtrack.imports.parsing.errors import UnreadableFileError, damaged_spreadsheet

# Real sheets compress 5–30×; a member unpacking more than this many times its packed size is a bomb.
MAX_RATIO = 100
# Below this unpacked size a member cannot hurt, whatever its ratio (a sheet of one repeated value).
RATIO_FLOOR = 10 * 1024 * 1024
MAX_MEMBERS = 10_000


def check_spreadsheet_zip(path: Path) -> str:
    """'xlsx' or 'ods' for a sane spreadsheet zip; UnreadableFileError for anything else or a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise damaged_spreadsheet() from None
    if len(members) > MAX_MEMBERS:
        raise UnreadableFileError(_("The file is not a spreadsheet this importer can read safely."))
    unpacked = sum(m.file_size for m in members)
    if unpacked > settings.DEALTRACK_IMPORT_MAX_UNPACKED_BYTES:
        raise UnreadableFileError(
            _("The spreadsheet would unpack to %(size)s, more than the %(limit)s allowed; it was not opened.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(settings.DEALTRACK_IMPORT_MAX_UNPACKED_BYTES)}
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnreadableFileError(
                _("The spreadsheet is compressed suspiciously well (a possible zip bomb); it was not opened.")
            )
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    raise UnreadableFileError(
        _("The file is a zip archive but not an XLSX or ODS spreadsheet. Upload a CSV, XLSX, XLS or ODS file.")
    )

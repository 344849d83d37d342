"""CSV with its encoding detected (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5) and its delimiter sniffed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from dealtrack.imports.parsing.errors import UnreadableFileError
from dealtrack.imports.parsing.table import Table, build_table

DELIMITERS = ",;\t|"
SAMPLE_BYTES = 256 * 1024
# What charset-normalizer may call a Chinese encoding, read with the superset that decodes all of it.
SUPPORTED = {
    "utf_8": "utf-8",
    "ascii": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
}


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    return b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes; UnreadableFileError when it is no supported text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "UTF-16"
    if _looks_binary(data):
        raise UnreadableFileError(
            _("This is not a spreadsheet: the file contains binary data. Upload a CSV, XLSX, XLS or ODS file.")
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:SAMPLE_BYTES]).best()
    encoding = SUPPORTED.get(best.encoding) if best else None
    if encoding is None:
        raise UnreadableFileError(
            _(
                "The text encoding of the file is not supported (it looks like %(encoding)s). Save it as "
                "CSV UTF-8, GB18030/GBK or Big5."
            )
            % {"encoding": best.encoding if best else _("unknown")}
        )
    return _strict(data, encoding), encoding.upper()


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            _("The file is not valid %(encoding)s text (a bad byte at position %(position)d). Save it as CSV UTF-8.")
            % {"encoding": encoding.upper(), "position": exc.start}
        ) from None


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","


def read_csv(path: Path) -> Table:
    data = path.read_bytes()
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
    shown = {"\t": "tab", ",": ",", ";": ";", "|": "|"}[delimiter]
    note = _("Read as CSV, encoding %(encoding)s, separator “%(delimiter)s”.") % {
        "encoding": encoding,
        "delimiter": shown,
    }
    return build_table(rows, "csv", [note])

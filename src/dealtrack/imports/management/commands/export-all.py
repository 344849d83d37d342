"""`dealtrack export-all FILE.zip`: every table of the organisation as CSV, plus manifest.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dealtrack.imports.archive import export_organisation


class Command(BaseCommand):
    help = "Export the whole organisation (zip of one CSV per table plus a JSON manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_organisation()
        options["file"].write_bytes(data)
        self.stdout.write(f"wrote {options['file']} ({len(data)} bytes)")

"""`dealtrack import-all FILE.zip`: restore an `export-all` archive into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealtrack.imports.archive import restore_organisation


class Command(BaseCommand):
    help = "Restore an organisation exported with export-all into an empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = restore_organisation(options["file"].read_bytes())
        except (ValidationError, OSError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count}")

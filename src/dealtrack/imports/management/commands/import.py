"""`dealtrack import ENTITY FILE`: the same validation and services as the web import, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dealtrack.core.models import User
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import auto_mapping, field_choices
from dealtrack.imports.importers import ImportOptions, MappingError
from dealtrack.imports.parsing import UnreadableFileError, read_table
from dealtrack.imports.services import import_table


class Command(BaseCommand):
    help = "Import deals, companies, contacts, activities, products or users from a CSV, XLSX, XLS or ODS file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=ImportEntity.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--pipeline", default="", help="pipeline for deals (default: the default pipeline)")
        parser.add_argument(
            "--map", action="append", default=[], metavar="SOURCE=FIELD", help="map a column explicitly (repeatable)"
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create the named pipeline and stages, owners (without login), companies, contacts and products",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and count, change nothing")
        parser.add_argument("--valid-rows-only", action="store_true", help="import the valid rows, report the rest")
        parser.add_argument("--as-user", default="", help="username recorded as the importing user")

    def handle(self, *args: Any, **options: Any) -> None:
        entity = options["entity"]
        try:
            table = read_table(options["file"])
        except (UnreadableFileError, OSError) as exc:
            raise CommandError(str(exc)) from None
        mapping = auto_mapping(entity, table.headers)
        known = {key for key, _label in field_choices(entity)}
        for item in options["map"]:
            source, sep, field = item.partition("=")
            if not sep or field.strip() not in known | {""}:
                raise CommandError(f"--map {item}: use SOURCE=FIELD with FIELD one of {', '.join(sorted(known))}")
            mapping = {h: f for h, f in mapping.items() if f != field.strip()}
            mapping[source.strip()] = field.strip()
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['as_user']!r}")
        self.stdout.write(f"{options['file'].name}: {len(table)} rows; mapping: " + ", ".join(
            f"{h} → {f}" for h, f in mapping.items()
        ))  # fmt: skip
        bar = tqdm(total=len(table), unit="rows", disable=options["verbosity"] == 0, file=self.stderr._out)
        seen = {"n": 0}

        def progress(n: int) -> None:
            bar.update(max(n - seen["n"], 0))
            seen["n"] = max(seen["n"], n)

        import_options = ImportOptions(
            pipeline=options["pipeline"],
            create_missing=options["create_missing"],
            valid_rows_only=options["valid_rows_only"],
            dry_run=options["dry_run"],
        )
        try:
            result = import_table(
                entity=entity, table=table, actor=actor, mapping=mapping, options=import_options, progress=progress
            )
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        for error in result.errors[:200]:
            self.stdout.write(f"row {error.row}, {error.column or '-'}: {error.message} [{error.value}]")
        if len(result.errors) > 200:
            self.stdout.write(f"… and {len(result.errors) - 200} more errors")
        verb = "would be" if options["dry_run"] else ("were" if result.written else "would have been")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged {verb}; "
            f"{len(result.rejected_rows)} rows rejected."
        )
        if options["dry_run"]:
            if result.errors and not options["valid_rows_only"]:
                raise CommandError("validation failed: nothing would be imported")
            return
        if not result.written:
            raise CommandError("nothing was imported (all or nothing; use --valid-rows-only to keep the good rows)")
        if result.imported == 0 and result.unchanged == 0:
            raise CommandError("nothing was imported")

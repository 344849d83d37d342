"""What every importer shares: reading mapped cells, collecting row errors and notes, row-by-row writes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.imports.fields import ENTITY_FIELDS
from dealtrack.imports.parsing import Table
from dealtrack.imports.values import ValueProblem, text

Progress = Callable[[int], None]


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem in one cell (or row): shown as row, column, value, message."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class ImportOptions:
    pipeline: str = ""
    create_missing: bool = False
    valid_rows_only: bool = False
    dry_run: bool = False


class MappingError(Exception):
    """The mapping cannot import anything (no known column, a required field unmapped); nothing was read."""


class Row:
    """One data row seen through the mapping: `row["company"]` is the cell mapped to `company`."""

    def __init__(self, number: int, cells: list[Any], columns: dict[str, int]) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns

    def raw(self, field: str) -> Any:
        index = self.columns.get(field)
        return self.cells[index] if index is not None else ""

    def __getitem__(self, field: str) -> str:
        return text(self.raw(field))

    def has(self, field: str) -> bool:
        return field in self.columns


class Importer:
    """Base of the per-entity importers. Subclasses implement `plan` (resolve and validate every row)
    and `write` (through the owning app's services); both run inside the caller's transaction.
    """

    entity: str = ""
    required: tuple[str, ...] = ("name",)

    def __init__(self, *, table: Table, mapping: dict[str, str], actor: User | None, options: ImportOptions) -> None:
        self.table = table
        self.actor = actor
        self.options = options
        self.columns: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        for index, header in enumerate(table.headers):
            field = mapping.get(header)
            if field and field not in self.columns:
                self.columns[field] = index
                self.headers[field] = header
        self.errors: list[RowError] = []
        self.bad_rows: set[int] = set()
        self.notes: Counter[str] = Counter()
        self.created = self.updated = self.unchanged = 0

    # -- checks before any row is read -------------------------------------------------------------
    def check_mapping(self) -> None:
        known = {spec.key for spec in ENTITY_FIELDS[self.entity]}
        if not any(field in known or field.startswith("custom.") for field in self.columns):
            raise MappingError(
                _("No column of the file is one this import knows (headers: %(headers)s). Map the columns first.")
                % {"headers": ", ".join(self.table.headers[:12])}
            )
        missing = [field for field in self.required if field not in self.columns]
        if missing:
            labels = {spec.key: str(spec.label) for spec in ENTITY_FIELDS[self.entity]}
            raise MappingError(
                _("The file has no column for: %(fields)s.") % {"fields": ", ".join(labels[f] for f in missing)}
            )

    def ignored_headers(self) -> list[str]:
        mapped = set(self.headers.values())
        return [h for h in self.table.headers if h and h not in mapped]

    # -- rows, errors, notes --------------------------------------------------------------------------
    def rows(self) -> Iterator[Row]:
        for number, cells in zip(self.table.row_numbers, self.table.rows, strict=True):
            yield Row(number, cells, self.columns)

    def error(self, row: Row, field: str, message: str) -> None:
        self.errors.append(RowError(row.number, self.headers.get(field, field), row[field], str(message)))
        self.bad_rows.add(row.number)

    def validation_errors(self, row: Row, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
        """Record a service's ValidationError against the columns its field names map to."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(row, "", message)
            return
        for field, messages in exc.message_dict.items():
            column = (fields or {}).get(field, field)
            for message in messages:
                self.error(row, column, message)

    def read(self, row: Row, field: str, reader: Callable[..., Any], **kwargs: Any) -> Any:
        """`reader(cell)`, or None after recording the problem against the cell."""
        try:
            return reader(row.raw(field), **kwargs)
        except ValueProblem as exc:
            self.error(row, field, str(exc))
            return None

    def note(self, message: str) -> None:
        """A quirk of the data the importer handled; repeated notes are counted, not repeated."""
        self.notes[message] += 1

    def note_list(self) -> list[str]:
        return [message if count == 1 else f"{message} (×{count})" for message, count in self.notes.items()]

    def saving(self, row: Row, action: Callable[[], str], fields: dict[str, str] | None = None) -> None:
        """Run one row's service call in a savepoint; count its outcome or record its errors."""
        try:
            with transaction.atomic():
                outcome = action()
        except ValidationError as exc:
            self.validation_errors(row, exc, fields)
            return
        if outcome == "created":
            self.created += 1
        elif outcome == "updated":
            self.updated += 1
        elif outcome == "unchanged":
            self.unchanged += 1

    # -- the two phases -------------------------------------------------------------------------------
    def plan(self, progress: Progress) -> None:
        raise NotImplementedError

    def write(self, progress: Progress) -> None:
        raise NotImplementedError

"""Import use cases: read a file, validate every row, write all (or only the valid rows) in one transaction.

Every write to domain records goes through the owning app's services, called by the importers. A run that
is a dry run, or that found errors in all-or-nothing mode, is rolled back whole: nothing changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.core.spreadsheets import xlsx_bytes
from dealtrack.imports.choices import ImportEntity, ImportStatus
from dealtrack.imports.fields import auto_mapping, field_choices
from dealtrack.imports.importers import IMPORTERS, ImportOptions, MappingError, RowError
from dealtrack.imports.models import ImportJob, MappingPreset
from dealtrack.imports.parsing import Table, UnreadableFileError, read_table
from dealtrack.imports.parsing.table import too_large

Progress = Callable[[int], None]


@dataclasses.dataclass
class ImportResult:
    """What a run did (or, for a dry run or a refused all-or-nothing run, would have done)."""

    total_rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    rejected_rows: set[int] = dataclasses.field(default_factory=set)
    notes: list[str] = dataclasses.field(default_factory=list)
    written: bool = False

    @property
    def imported(self) -> int:
        return self.created + self.updated if self.written else 0


def import_table(
    *,
    entity: str,
    table: Table,
    actor: User | None,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import `table` as `entity`. Raises MappingError when no column can be imported (nothing is read).

    All rows are validated first (`plan`), then written (`write`) in the same transaction. Default is all
    or nothing: any row error rolls everything back. With `valid_rows_only` the good rows are kept and the
    bad ones reported; with `dry_run` everything is rolled back after counting.
    """
    options = options or ImportOptions()
    mapping = auto_mapping(entity, table.headers) if mapping is None else mapping
    importer = IMPORTERS[entity](table=table, mapping=mapping, actor=actor, options=options)
    importer.check_mapping()
    total = len(table)
    report = progress or (lambda n: None)
    result = ImportResult(total_rows=total)
    with _collector_paused(), transaction.atomic():
        importer.plan(lambda n: report(n // 2))
        refused = bool(importer.errors) and not options.valid_rows_only
        if not refused:
            importer.write(lambda n: report(total // 2 + min(n, total) // 2))
            refused = bool(importer.errors) and not options.valid_rows_only
        result.written = not (refused or options.dry_run)
        if not result.written:
            transaction.set_rollback(True)
    report(total)
    ignored = importer.ignored_headers()
    result.notes = [*table.notes, *importer.note_list()]
    if ignored:
        result.notes.append(_("Columns not imported: %(columns)s.") % {"columns": ", ".join(ignored)})
    result.created, result.updated, result.unchanged = importer.created, importer.updated, importer.unchanged
    result.errors = sorted(importer.errors, key=lambda e: e.row)
    result.rejected_rows = importer.bad_rows
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one run, as bulk loaders do.

    A run builds hundreds of thousands of short-lived objects (a deal, its events and rows per line), and
    the collector would walk all the live ones again and again: about a fifth of an import's time. The
    run itself makes no reference cycles worth collecting early; reference counting still frees its
    garbage, and the collector resumes (unless someone else had paused it) when the run ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- jobs (the web flow) -------------------------------------------------------------------------------


def _storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def progress_path(job: ImportJob) -> Path:
    return Path(job.stored_path).parent / "progress"


@transaction.atomic
def start_import(*, actor: User, entity: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded file and read it once; UnreadableFileError (nothing kept) when it is no spreadsheet.

    The job starts with the mapping the header aliases suggest, or the saved preset that fits the headers.
    """
    if entity not in ImportEntity.values:
        raise ValidationError({"entity": [_("Select a valid choice.")]})
    if upload.size and upload.size > settings.DEALTRACK_IMPORT_MAX_BYTES:
        raise too_large(upload.size)  # refused before a byte is stored
    folder = _storage_root() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name or "upload").suffix.lower()[:8]
    path = folder / f"upload{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        table = read_table(path)
    except UnreadableFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ImportJob.objects.create(
        entity=entity,
        original_name=(upload.name or "upload")[:255],
        stored_path=str(path),
        file_size=path.stat().st_size,
        mapping=suggested_mapping(entity, table.headers),
        total_rows=len(table),
        created_by=actor,
        notes=table.notes,
    )


def suggested_mapping(entity: str, headers: list[str]) -> dict[str, str]:
    """A saved preset that covers the headers best, else the aliases' guess."""
    guess = auto_mapping(entity, headers)
    best, best_hits = guess, len(guess)
    for preset in MappingPreset.objects.filter(entity=entity):
        fitted = {h: f for h, f in preset.mapping.items() if h in headers}
        if len(fitted) > best_hits:
            best, best_hits = fitted, len(fitted)
    return best


def job_table(job: ImportJob) -> Table:
    return read_table(Path(job.stored_path))


@transaction.atomic
def update_job_settings(*, job: ImportJob, mapping: dict[str, str], options: dict[str, Any]) -> ImportJob:
    """Store the mapping ({header: field}, empty field = skip) and options chosen on the preview page."""
    allowed = {key for key, _label in field_choices(job.entity)}
    errors = [field for field in mapping.values() if field and field not in allowed]
    if errors:
        raise ValidationError({"mapping": [_("Unknown field: %(fields)s") % {"fields": ", ".join(errors)}]})
    used = [f for f in mapping.values() if f]
    if len(used) != len(set(used)):
        raise ValidationError({"mapping": [_("Each field can take only one column.")]})
    job.mapping = {header: field for header, field in mapping.items() if field}
    job.options = {
        "pipeline": str(options.get("pipeline") or "")[:100],
        "create_missing": bool(options.get("create_missing")),
        "valid_rows_only": bool(options.get("valid_rows_only")),
    }
    job.save(update_fields=["mapping", "options", "updated_at"])
    return job


@transaction.atomic
def queue_import_job(*, job: ImportJob, dry_run: bool) -> ImportJob:
    """Mark the job as validating (dry run) or importing and enqueue the background task."""
    from dealtrack.imports.tasks import run_import_job_task

    if job.is_active:
        raise ValidationError(_("This import is already running."))
    if job.status == ImportStatus.DONE:
        raise ValidationError(_("This file has already been imported; upload it again to re-import."))
    job.status = ImportStatus.VALIDATING if dry_run else ImportStatus.RUNNING
    job.processed_rows = 0
    job.options = {**job.options, "language": translation.get_language() or settings.LANGUAGE_CODE}
    job.save(update_fields=["status", "processed_rows", "options", "updated_at"])
    transaction.on_commit(lambda: run_import_job_task.enqueue(job_id=job.pk, dry_run=dry_run))
    return job


def run_import_job(*, job_id: int, dry_run: bool) -> ImportJob:
    """Run a queued job (the background task's body): import, then store counts, errors and notes.

    Messages are written in the language of the person who started the run.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.options.get("language") or settings.LANGUAGE_CODE):
        return _run(job, dry_run)


def _run(job: ImportJob, dry_run: bool) -> ImportJob:
    marker = progress_path(job)
    last = {"n": -1}

    def progress(n: int) -> None:
        # A file beside the upload, not the job row: the row's update would wait for the import's transaction.
        if n - last["n"] >= max(job.total_rows // 100, 1) or n >= job.total_rows:
            marker.write_text(str(n))
            last["n"] = n

    options = ImportOptions(
        pipeline=job.options.get("pipeline", ""),
        create_missing=job.options.get("create_missing", False),
        valid_rows_only=job.options.get("valid_rows_only", False),
        dry_run=dry_run,
    )
    try:
        result = import_table(
            entity=job.entity,
            table=job_table(job),
            actor=job.created_by,
            mapping=job.mapping,
            options=options,
            progress=progress,
        )
    except (MappingError, UnreadableFileError) as exc:
        job.status, job.message, job.errors = ImportStatus.FAILED, str(exc), []
        job.finished_at = timezone.now()
        job.save()
        return job
    finally:
        marker.unlink(missing_ok=True)
    job.processed_rows = job.total_rows
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.rejected_count = len(result.rejected_rows)
    job.errors = [e.as_dict() for e in result.errors[:5000]]
    job.notes = result.notes
    if dry_run:
        job.status = ImportStatus.VALIDATED
        job.message = _summary(result, would=True)
    elif result.written:
        job.status, job.finished_at = ImportStatus.DONE, timezone.now()
        job.message = _summary(result, would=False)
    else:
        job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
        job.message = _(
            "Nothing was imported: %(n)d rows have errors. Fix them, or choose to import the valid rows."
        ) % {"n": len(result.rejected_rows)}
    job.save()
    return job


def _summary(result: ImportResult, *, would: bool) -> str:
    numbers = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
               "rejected": len(result.rejected_rows)}  # fmt: skip
    if would:
        return _("Checked: %(created)d to create, %(updated)d to update, %(unchanged)d unchanged, "
                 "%(rejected)d rows with errors.") % numbers  # fmt: skip
    return _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
             "%(rejected)d rows rejected.") % numbers  # fmt: skip


def job_progress(job: ImportJob) -> int:
    """Rows processed so far: from the progress file while the task runs, else from the job."""
    if job.is_active:
        try:
            return min(int(progress_path(job).read_text() or 0), job.total_rows)
        except (OSError, ValueError):
            return 0
    return job.processed_rows


def rejected_rows_xlsx(job: ImportJob) -> bytes:
    """The rows a job rejected, as uploaded, with an added column listing each row's errors."""
    table = job_table(job)
    messages: dict[int, list[str]] = {}
    for error in job.errors:
        messages.setdefault(error["row"], []).append(
            f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        )
    rows = [
        [*cells, "; ".join(messages[number])]
        for number, cells in zip(table.row_numbers, table.rows, strict=True)
        if number in messages
    ]
    return xlsx_bytes([*table.headers, _("Errors")], rows, title=_("Rejected rows"))


@transaction.atomic
def save_mapping_preset(*, actor: User, name: str, entity: str, mapping: dict[str, str]) -> MappingPreset:
    """Save (or overwrite) a named mapping for later files of the same shape."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if entity not in ImportEntity.values:
        raise ValidationError({"entity": [_("Select a valid choice.")]})
    preset, _created = MappingPreset.objects.update_or_create(
        entity=entity, name=name, defaults={"mapping": {h: f for h, f in mapping.items() if f}, "created_by": actor}
    )
    return preset

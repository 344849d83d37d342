"""The full organisation export (a zip of one CSV per table plus manifest.json) and its restore.

`restore_organisation` is the one writer here that does not go through the domain services, on purpose:
it puts back rows exactly as they were (ids, timestamps, the append-only event log), where a service
would stamp new times and write new events. It only runs on an empty installation, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.core.spreadsheets import csv_bytes
from dealtrack.deals.services import rebuild_derived_report_data

FORMAT = "dealtrack-organisation-export"
VERSION = 1
# In an order that lets a reader follow references; the restore defers constraint checks to the commit.
TABLES = (
    "core.User", "core.Team", "core.Currency", "core.CustomFieldDefinition", "pipelines.Pipeline",
    "pipelines.Stage", "customers.Company", "customers.Contact", "deals.LostReason", "deals.Source", "deals.Tag",
    "deals.Product", "deals.Deal", "deals.Deal_tags", "deals.Deal_contacts", "deals.DealCollaborator",
    "deals.DealLineItem", "deals.DealEvent", "activities.Activity", "tasks.Task",
)  # fmt: skip
# Rows the migrations ship into every installation; a restore replaces them with the archive's.
SHIPPED_DEFAULTS = ("pipelines.Stage", "pipelines.Pipeline", "deals.LostReason", "deals.Source", "core.Currency")
MUST_BE_EMPTY = ("core.User", "customers.Company", "customers.Contact", "deals.Deal", "deals.Product",
                 "activities.Activity", "tasks.Task")  # fmt: skip


def _model(label: str) -> type[models.Model]:
    app_label, _dot, name = label.partition(".")
    if "_" in name:  # an automatic many-to-many table, e.g. deals.Deal_tags
        owner, _underscore, field = name.partition("_")
        return apps.get_model(app_label, owner)._meta.get_field(field).remote_field.through
    return apps.get_model(app_label, name)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _escape(text: str) -> str:
    # csv_bytes puts an apostrophe before =, +, -, @ (formula injection); text already starting with one gets
    # another, so the restore can always drop exactly one and get the original back.
    return "'" + text if text.startswith("'") else text


def _serialise(field: models.Field, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(field, models.JSONField):
        return _escape(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _escape(str(value))


def export_organisation() -> bytes:
    """Every table of the organisation's data as CSV (UTF-8, formula cells neutralised) in a zip."""
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {"format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                                "tables": []}  # fmt: skip
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label in TABLES:
            model = _model(label)
            fields = _fields(model)
            rows = [
                [_serialise(f, value) for f, value in zip(fields, values, strict=True)]
                for values in model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
            ]
            name = f"{label}.csv"
            archive.writestr(name, csv_bytes([f.attname for f in fields], rows))
            manifest["tables"].append({"table": label, "file": name, "rows": len(rows),
                                       "columns": [f.attname for f in fields]})  # fmt: skip
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def _deserialise(field: models.Field, text: str) -> Any:
    text = text[1:] if text.startswith("'") else text
    if text == "" and field.null:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(text) if text else field.get_default()
    if isinstance(field, models.BooleanField):
        return text == "1"
    target = field.target_field if field.is_relation else field
    return target.to_python(text)


def _insert_verbatim(model: type[models.Model], objects: list[models.Model]) -> None:
    """bulk_create, then put back the created/updated times that auto_now(_add) overwrote on insert."""
    stamped = [f for f in _fields(model) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    kept = [[getattr(obj, f.attname) for f in stamped] for obj in objects]
    model._base_manager.bulk_create(objects, batch_size=1000)
    if stamped and objects:
        for obj, values in zip(objects, kept, strict=True):
            for f, value in zip(stamped, values, strict=True):
                setattr(obj, f.attname, value)
        model._base_manager.bulk_update(objects, [f.name for f in stamped], batch_size=1000)


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise ValidationError(_("This is not a Dealtrack export: manifest.json is missing or unreadable.")) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ValidationError(_("This is not a Dealtrack export of a version this installation can restore."))
    return manifest


@transaction.atomic
def restore_organisation(data: bytes) -> dict[str, int]:
    """Restore an `export_organisation` zip into an empty installation; returns rows restored per table.

    Refused (nothing changed) when the installation already holds users, companies, contacts, deals,
    products, activities or tasks, or when the archive is not such an export.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(_("This is not a Dealtrack export: the file is not a zip archive.")) from None
    manifest = _read_manifest(archive)
    if any(_model(label)._base_manager.exists() for label in MUST_BE_EMPTY):
        raise ValidationError(_("This installation already has data; restore only into an empty installation."))
    for label in SHIPPED_DEFAULTS:
        _model(label)._base_manager.all().delete()
    counts: dict[str, int] = {}
    restored = []
    for entry in manifest["tables"]:
        if entry["table"] not in TABLES:
            raise ValidationError(_("The export holds an unknown table %(table)s.") % {"table": entry["table"]})
        model = _model(entry["table"])
        by_name = {f.attname: f for f in _fields(model)}
        text = archive.read(entry["file"]).decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        fields = [by_name[name] for name in header]
        objects = [model(**{f.attname: _deserialise(f, cell) for f, cell in zip(fields, row, strict=True)})
                   for row in reader]  # fmt: skip
        _insert_verbatim(model, objects)
        counts[entry["table"]] = len(objects)
        restored.append(model)
    with connection.cursor() as cursor:  # PostgreSQL sequences continue after the restored ids
        for statement in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(statement)
    rebuild_derived_report_data()  # stage visits and first responses are derived, not archived
    return counts

"""Contacts, matched on external id, else name at the same company, else e-mail."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dealtrack.customers.models import Contact
from dealtrack.customers.services import create_contact, update_contact
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import CUSTOM_PREFIX
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.references import References
from dealtrack.imports.values import name_key

PLAIN_FIELDS = ("external_id", "title", "phone", "email", "wechat")


class ContactImporter(Importer):
    entity = ImportEntity.CONTACTS

    def plan(self, progress: Progress) -> None:
        self.refs = References(actor=self.actor, create_missing=self.options.create_missing, note=self.note)
        contacts = list(Contact.objects.all())
        by_external = {c.external_id: c for c in contacts if c.external_id}
        by_name = {(c.company_id, name_key(c.name)): c for c in contacts}
        by_email = {c.email.casefold(): c for c in contacts if c.email}
        self.planned: list[tuple[Row, Contact | None, dict[str, Any]]] = []
        seen: dict[Any, int] = {}
        for row in self.rows():
            failed = len(self.errors)
            if not row["name"]:
                self.error(row, "name", _("This field is required."))
            company = self.read(row, "company", self.refs.company)
            values: dict[str, Any] = {"name": row["name"], "company": company}
            values.update({f: row[f] for f in PLAIN_FIELDS if row.has(f)})
            if row["owner"]:
                values["owner"] = self.read(row, "owner", self.refs.user)
            custom = {f.removeprefix(CUSTOM_PREFIX): row.raw(f) for f in self.columns if f.startswith(CUSTOM_PREFIX)}
            if custom:
                values["custom"] = custom
            if len(self.errors) > failed:
                continue
            key = (company.pk if company else None, name_key(row["name"]))
            if key in seen:
                self.error(row, "name", _("Repeats the contact of row %(row)d.") % {"row": seen[key]})
                continue
            seen[key] = row.number
            existing = (
                by_external.get(row["external_id"]) or by_name.get(key) or by_email.get(row["email"].casefold())
                if row["email"] or row["external_id"]
                else by_name.get(key)
            )
            self.planned.append((row, existing, values))
        progress(len(self.table))

    def write(self, progress: Progress) -> None:
        for done, (row, existing, values) in enumerate(self.planned, start=1):
            self.saving(row, lambda e=existing, v=values: self._save(e, v))
            if done % 200 == 0:
                progress(done)

    def _save(self, existing: Contact | None, values: dict[str, Any]) -> str:
        if existing is None:
            create_contact(actor=self.actor, **values)
            return "created"
        changes = {k: v for k, v in values.items() if k != "custom" and getattr(existing, k) != v}
        if values.get("custom") and {**existing.custom, **values["custom"]} != existing.custom:
            changes["custom"] = values["custom"]
        if not changes:
            return "unchanged"
        update_contact(contact=existing, actor=self.actor, changes=changes, version=None)
        return "updated"

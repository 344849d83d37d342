"""Companies, de-duplicated by normalised name (or matched on external id); parents linked after all rows."""

from __future__ import annotations

import difflib
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, normalise_company_name
from dealtrack.customers.services import create_company, update_company
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import CUSTOM_PREFIX
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.references import References
from dealtrack.imports.values import ValueProblem, choice, choice_index, translations, whole_number

# Common industry names (msgids); a value one typo away from one of them is read as it ("technolgy").
KNOWN_INDUSTRIES = (
    N_("technology"), N_("software"), N_("finance"), N_("banking"), N_("insurance"), N_("retail"), N_("medical"),
    N_("healthcare"), N_("education"), N_("manufacturing"), N_("energy"), N_("telecommunications"), N_("logistics"),
    N_("marketing"), N_("entertainment"), N_("employment"), N_("services"), N_("real estate"), N_("government"),
    N_("construction"), N_("automotive"), N_("agriculture"), N_("media"), N_("consulting"),
)  # fmt: skip
PLAIN_FIELDS = ("external_id", "industry", "region", "website", "phone", "address")


def size_band(employees: int) -> str:
    for band, upper in ((CompanySize.MICRO, 10), (CompanySize.SMALL, 50), (CompanySize.MEDIUM, 200),
                        (CompanySize.LARGE, 1000)):  # fmt: skip
        if employees <= upper:
            return band
    return CompanySize.ENTERPRISE


class CompanyImporter(Importer):
    entity = ImportEntity.COMPANIES

    def plan(self, progress: Progress) -> None:
        self.refs = References(actor=self.actor, create_missing=self.options.create_missing, note=self.note)
        self.size_index = choice_index(CompanySize.choices)
        self.industries = {shown.casefold(): msgid for msgid in KNOWN_INDUSTRIES for shown in translations(msgid)}
        by_external = {c.external_id: c for c in Company.objects.exclude(external_id="")}
        self.planned: list[tuple[Row, Company | None, dict[str, Any], str]] = []
        seen: dict[str, int] = {}
        for index, row in enumerate(self.rows(), start=1):
            values = self._values(row)
            key = normalise_company_name(row["name"]) if row["name"] else ""
            if key in seen:
                self.error(row, "name", _("Repeats the company of row %(row)d.") % {"row": seen[key]})
            elif values is not None:
                seen[key] = row.number
                existing = by_external.get(row["external_id"]) if row["external_id"] else None
                existing = existing or self.refs.companies.get(key)
                self.planned.append((row, existing, values, row["parent"]))
            if index % 500 == 0:
                progress(index)

    def _values(self, row: Row) -> dict[str, Any] | None:
        failed = len(self.errors)
        if not row["name"]:
            self.error(row, "name", _("This field is required."))
        values: dict[str, Any] = {"name": row["name"]}
        for field in PLAIN_FIELDS:
            if row.has(field):
                values[field] = row[field]
        if row["industry"]:
            values["industry"] = self._industry(row["industry"])
        if row["size"]:
            values["size"] = self.read(row, "size", self._size)
        if row["owner"]:
            values["owner"] = self.read(row, "owner", self.refs.user)
        custom = {f.removeprefix(CUSTOM_PREFIX): row.raw(f) for f in self.columns if f.startswith(CUSTOM_PREFIX)}
        if custom:
            values["custom"] = custom
        return None if len(self.errors) > failed else values

    def _size(self, value: Any) -> str:
        try:
            employees = whole_number(value)
        except ValueProblem:
            return choice(value, self.size_index)
        self.note(_("Employee counts were read as company size bands."))
        return size_band(employees or 0)

    def _industry(self, value: str) -> str:
        if value.casefold() in self.industries:
            return value
        close = difflib.get_close_matches(value.casefold(), list(self.industries), n=1, cutoff=0.85)
        if not close:
            return value
        corrected = self.industries[close[0]]
        self.note(_("Industry “%(value)s” read as “%(fixed)s”.") % {"value": value, "fixed": corrected})
        return corrected

    def write(self, progress: Progress) -> None:
        saved: dict[int, Company] = {}
        for done, (row, existing, values, _parent) in enumerate(self.planned, start=1):
            self.saving(row, lambda r=row, e=existing, v=values: self._save(r, e, v, saved))
            if done % 200 == 0:
                progress(done)
        for row, _existing, _values, parent_name in self.planned:
            if parent_name and row.number in saved:
                self.saving(row, lambda r=row, p=parent_name: self._link_parent(r, saved[r.number], p))

    def _save(self, row: Row, existing: Company | None, values: dict[str, Any], saved: dict[int, Company]) -> str:
        if existing is None:
            company = create_company(actor=self.actor, **values)
            self.refs.remember_company(company)
            saved[row.number] = company
            return "created"
        saved[row.number] = existing
        changes = {k: v for k, v in values.items() if k != "custom" and getattr(existing, k) != v}
        if values.get("custom") and {**existing.custom, **values["custom"]} != existing.custom:
            changes["custom"] = values["custom"]
        if not changes:
            return "unchanged"
        saved[row.number] = update_company(company=existing, actor=self.actor, changes=changes, version=None)
        return "updated"

    def _link_parent(self, row: Row, company: Company, parent_name: str) -> str:
        parent = self.read(row, "parent", lambda v: self.refs.company(str(v), create=True))
        if parent is None or parent.pk == company.parent_id:
            return "linked"
        if parent.pk == company.pk:
            self.error(row, "parent", _("A company cannot be its own parent."))
            return "linked"
        update_company(company=company, actor=self.actor, changes={"parent": parent}, version=None)
        self.note(_("Linked subsidiaries to their parent companies."))
        return "linked"

"""Activities (calls, visits, notes …) through `log_activity`; a row already imported is not logged twice."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import Activity
from dealtrack.activities.services import log_activity
from dealtrack.deals.models import Deal
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.references import References
from dealtrack.imports.values import choice, choice_index, day_order, moment, name_key, whole_number

KIND_SYNONYMS = {
    "phone": ActivityKind.CALL, "phone call": ActivityKind.CALL, "电话": ActivityKind.CALL, "電話": ActivityKind.CALL,
    "mail": ActivityKind.EMAIL, "邮件": ActivityKind.EMAIL, "郵件": ActivityKind.EMAIL,
    "拜访": ActivityKind.VISIT, "拜訪": ActivityKind.VISIT, "上门": ActivityKind.VISIT,
    "会议": ActivityKind.MEETING, "會議": ActivityKind.MEETING,
    "备注": ActivityKind.NOTE, "備註": ActivityKind.NOTE, "需求": ActivityKind.NOTE, "requirement": ActivityKind.NOTE,
}  # fmt: skip


class ActivityImporter(Importer):
    entity = ImportEntity.ACTIVITIES
    required = ()

    def plan(self, progress: Progress) -> None:
        self.refs = References(actor=self.actor, create_missing=self.options.create_missing, note=self.note)
        rows = list(self.rows())
        order = day_order(row.raw("occurred_at") for row in rows)
        kinds = choice_index(ActivityKind.choices, KIND_SYNONYMS)
        deals_by_id = {d.external_id: d for d in Deal.objects.exclude(external_id="")}
        deals_by_name = {name_key(d.name): d for d in Deal.objects.all()}
        self.planned: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            failed = len(self.errors)
            kind = self.read(row, "kind", lambda v: choice(v, kinds) if v else ActivityKind.NOTE)
            when = self.read(row, "occurred_at", moment, order=order)
            user = self.read(row, "user", self.refs.user) if row["user"] else self.actor
            deal = None
            if row["deal"]:
                deal = deals_by_id.get(row["deal"]) or deals_by_name.get(name_key(row["deal"]))
                if deal is None:
                    self.error(row, "deal", _("No deal “%(value)s”.") % {"value": row["deal"]})
            company = self.read(row, "company", self.refs.company)
            contact = self.read(row, "contact", lambda v, c=company: self.refs.contact(str(v).strip(), c))
            duration = self.read(row, "duration_minutes", whole_number)
            if user is None:
                self.error(row, "user", _("This field is required."))
            if len(self.errors) > failed:
                continue
            self.planned.append((row, {
                "actor": user, "kind": kind, "deal": deal, "company": company, "contact": contact,
                "subject": row["subject"], "outcome": row["outcome"], "occurred_at": when,
                "duration_minutes": duration,
            }))  # fmt: skip
        progress(len(rows))

    def write(self, progress: Progress) -> None:
        for done, (row, values) in enumerate(self.planned, start=1):
            self.saving(row, lambda v=values: self._save(v), {"actor": "user"})
            if done % 200 == 0:
                progress(done)

    def _save(self, values: dict[str, Any]) -> str:
        if values["occurred_at"] is not None:
            same = Activity.objects.filter(
                kind=values["kind"], occurred_at=values["occurred_at"], user=values["actor"], deal=values["deal"],
                subject=values["subject"][:200], outcome=values["outcome"],
            )  # fmt: skip
            if same.exists():
                return "unchanged"
        else:
            self.note(_("Activities without a date were recorded at import time."))
        log_activity(**values)
        return "created"

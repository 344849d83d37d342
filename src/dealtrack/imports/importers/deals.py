"""Deals with their history: new rows go in through `import_deals_bulk`, matched rows through the services."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.customers.models import Company
from dealtrack.deals.choices import DealStatus, Priority
from dealtrack.deals.models import Deal
from dealtrack.deals.services import (
    ImportedDeal,
    Lookups,
    import_deals_bulk,
    move_deal_to_stage,
    prepare_imported_deal,
    reassign_deal,
    update_deal,
)
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import CUSTOM_PREFIX
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.references import References
from dealtrack.imports.values import (
    MDY,
    ValueProblem,
    amount,
    choice,
    choice_index,
    day_order,
    moment,
    name_key,
    text,
)
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.pipelines.services import stage_for_kind

STATUS_SYNONYMS = {
    "open": DealStatus.OPEN, "in progress": DealStatus.OPEN, "active": DealStatus.OPEN, "进行中": DealStatus.OPEN,
    "跟进中": DealStatus.OPEN, "進行中": DealStatus.OPEN, "跟進中": DealStatus.OPEN,
    "won": DealStatus.WON, "win": DealStatus.WON, "closed won": DealStatus.WON, "赢单": DealStatus.WON,
    "成交": DealStatus.WON, "已成交": DealStatus.WON, "贏單": DealStatus.WON, "已签约": DealStatus.WON,
    "lost": DealStatus.LOST, "closed lost": DealStatus.LOST, "丢单": DealStatus.LOST, "输单": DealStatus.LOST,
    "丟單": DealStatus.LOST, "輸單": DealStatus.LOST, "失败": DealStatus.LOST,
}  # fmt: skip
DATE_FIELDS = ("created_at", "closed_at", "expected_close_date")
# Fields of the deal service that sit in a differently named import column.
SERVICE_FIELDS = {"primary_contact": "contact", "stage": "stage", "owner": "owner"}
COMPARED = ("name", "company", "primary_contact", "value", "currency", "expected_close_date", "priority", "source",
            "next_step", "custom")  # fmt: skip


def _tag_names(value: str) -> list[str]:
    return [t.strip() for t in re.split(r"[,;，；、]", value) if t.strip()]


class DealImporter(Importer):
    entity = ImportEntity.DEALS
    required = ()

    def plan(self, progress: Progress) -> None:
        self.refs = References(actor=self.actor, create_missing=self.options.create_missing, note=self.note)
        rows = list(self.rows())
        self.orders = {f: day_order({row.raw(f) for row in rows}) for f in DATE_FIELDS if row_has(rows, f)}
        if MDY in self.orders.values():
            self.note(_("Dates like 10/20/2016 were read as month/day/year."))
        self.moments: dict[tuple[Any, str | None], Any] = {}
        self.lookups = Lookups()
        self.status_index = choice_index(DealStatus.choices, STATUS_SYNONYMS)
        self.priority_index = choice_index(Priority.choices)
        self._load_existing()
        self.pipelines: dict[str, tuple[Pipeline | None, str]] = {}
        self.kinds: dict[int, dict[str, Stage]] = {}
        self.new: list[tuple[Row, ImportedDeal]] = []
        self.matched: list[tuple[Row, Deal, ImportedDeal]] = []
        seen: dict[str, int] = {}
        now = timezone.now()
        for index, row in enumerate(rows, start=1):
            planned = self._plan_row(row, rows, now)
            if planned is not None:
                key = planned.deal.external_id or f"{name_key(planned.deal.name)}|{planned.deal.company_id}"
                if key in seen:
                    self.error(row, "external_id", _("Repeats the deal of row %(row)d.") % {"row": seen[key]})
                else:
                    seen[key] = row.number
                    existing = self._existing(planned.deal)
                    if existing is None:
                        self.new.append((row, planned))
                    else:
                        self.matched.append((row, existing, planned))
            if index % 500 == 0:
                progress(index)
        progress(len(rows))

    def _load_existing(self) -> None:
        """Deals already stored, by external id and by (name, company): what a row updates instead of adding."""
        self.by_external_id: dict[str, Deal] = {}
        self.by_name: dict[tuple[str, int | None], Deal] = {}
        for deal in Deal.objects.select_related("stage", "owner", "pipeline"):
            if deal.external_id:
                self.by_external_id.setdefault(deal.external_id, deal)
            self.by_name.setdefault((name_key(deal.name), deal.company_id), deal)

    def _existing(self, deal: Deal) -> Deal | None:
        if deal.external_id and deal.external_id in self.by_external_id:
            return self.by_external_id[deal.external_id]
        if not self.by_name:  # nothing stored yet: spare the name key
            return None
        return self.by_name.get((name_key(deal.name), deal.company_id))

    def _pipeline(self, row: Row, rows: list[Row]) -> Pipeline | None:
        name = row["pipeline"] or self.options.pipeline
        if name not in self.pipelines:
            # The stage order is needed only when the pipeline is created: worked out then.
            mine = (r for r in rows if (r["pipeline"] or self.options.pipeline) == name)
            try:
                self.pipelines[name] = (self.refs.pipeline(name, lambda: _order_stage_names(list(mine))), "")
            except ValueProblem as exc:
                self.pipelines[name] = (None, str(exc))
        pipeline, problem = self.pipelines[name]
        if pipeline is None:
            self.error(row, "pipeline", problem)
        return pipeline

    def _plan_row(self, row: Row, rows: list[Row], now: Any) -> ImportedDeal | None:
        failed = len(self.errors)
        pipeline = self._pipeline(row, rows)
        if pipeline is None:
            return None
        status = self.read(row, "status", lambda v: choice(v, self.status_index) if v else "")
        stage = self.read(row, "stage", lambda v: self.refs.stage(pipeline, str(v).strip()))
        entry, stage = self._stages(pipeline, stage, status)
        owner = self.read(row, "owner", self.refs.user) if row["owner"] else self.actor
        company = self.read(row, "company", self.refs.company)
        contact = self.read(row, "contact", lambda v: self.refs.contact(str(v).strip(), company))
        products = self.read(row, "product", lambda v: [self.refs.product(p) for p in _tag_names(text(v))])
        source = self.read(row, "source", lambda v: self.refs.source(str(v).strip()))
        lost_reason = self.read(row, "lost_reason", lambda v: self.refs.lost_reason(str(v).strip()))
        dates = {f: self.read(row, f, self._moment, order=self.orders.get(f)) for f in DATE_FIELDS if row.has(f)}
        value = self.read(row, "value", amount)
        priority = self.read(row, "priority", lambda v: choice(v, self.priority_index) if v else Priority.NORMAL)
        if len(self.errors) > failed or stage is None:
            return None
        fields: dict[str, Any] = {
            "name": row["name"] or self._derived_name(row, company, (products or [None])[0]),
            "company": company,
            "primary_contact": contact,
            "value": value,
            "priority": priority,
            "source": source,
        }
        for optional in ("currency", "next_step"):
            if row[optional]:
                fields[optional] = row[optional]
        if dates.get("expected_close_date"):
            fields["expected_close_date"] = timezone.localdate(dates["expected_close_date"])
        custom = {f.removeprefix(CUSTOM_PREFIX): row.raw(f) for f in self.columns if f.startswith(CUSTOM_PREFIX)}
        if custom:
            fields["custom"] = custom
        self._note_quirks(row, stage, company, value, dates, lost_reason)
        try:
            return prepare_imported_deal(
                actor=self.actor,
                owner=owner,
                pipeline=pipeline,
                stage=stage,
                entry_stage=entry,
                created_at=dates.get("created_at"),
                closed_at=dates.get("closed_at"),
                lost_reason=lost_reason,
                external_id=row["external_id"],
                tags=_tag_names(row["tags"]),
                products=products or [],
                now=now,
                lookups=self.lookups,
                **fields,
            )
        except ValidationError as exc:
            self.validation_errors(row, exc, SERVICE_FIELDS)
            return None

    def _moment(self, value: Any, *, order: str | None) -> Any:
        """`moment`, read once per distinct cell: a sheet repeats its dates over thousands of rows."""
        key = (value, order)
        if key not in self.moments:
            self.moments[key] = moment(value, order=order)  # a ValueProblem is raised for every bad cell
        return self.moments[key]

    def _stages(self, pipeline: Pipeline, stage: Stage | None, status: str | None) -> tuple[Stage, Stage | None]:
        """(where the deal entered, where it is now). A closing status on an open stage closes it from there;
        a deal closed without an open stage named entered at the pipeline's first open stage."""
        if pipeline.pk not in self.kinds:
            self.kinds[pipeline.pk] = {
                kind: stage_for_kind(pipeline, kind) for kind in (StageKind.OPEN, StageKind.WON, StageKind.LOST)
            }
        kinds = self.kinds[pipeline.pk]
        if status in (DealStatus.WON, DealStatus.LOST):
            if stage is not None and stage.kind in (StageKind.OPEN, StageKind.FRIDGE):
                return stage, kinds[status]
            return kinds[StageKind.OPEN], kinds[status]
        if stage is None and status is not None:
            return kinds[StageKind.OPEN], kinds[StageKind.OPEN]
        return kinds[StageKind.OPEN] if stage is None or stage.is_closed else stage, stage

    def _derived_name(self, row: Row, company: Company | None, product: Any) -> str:
        self.note(_("Deals without a name were named after their company and product (or external id)."))
        parts = [p.name for p in (company, product) if p is not None]
        return " · ".join(parts) or row["external_id"] or _("Imported deal, row %(row)d") % {"row": row.number}

    def _note_quirks(self, row: Row, stage: Stage, company: Any, value: Any, dates: dict, lost_reason: Any) -> None:
        closing = stage.kind in (StageKind.WON, StageKind.LOST)
        if not dates.get("created_at"):
            self.note(_("Deals without a creation date were recorded as created at import time."))
        if not closing and value is None:
            self.note(_("Open deals without a value were imported with value 0."))
        if not closing and dates.get("closed_at"):
            self.note(_("A close date on an open deal was ignored."))
        if company is None:
            self.note(_("Deals without a company were imported without one."))
        if stage.kind == StageKind.LOST and lost_reason is None:
            self.note(_("Lost deals without a lost reason were imported without one."))

    def write(self, progress: Progress) -> None:
        good = [planned for row, planned in self.new if row.number not in self.bad_rows]
        if good:
            import_deals_bulk(actor=self.actor, deals=good)
        self.created += len(good)
        progress(len(good))
        for done, (row, existing, planned) in enumerate(self.matched, start=len(good) + 1):
            if row.number not in self.bad_rows:
                self.saving(row, lambda e=existing, p=planned: self._update(e, p), SERVICE_FIELDS)
            if done % 200 == 0:
                progress(done)

    def _update(self, deal: Deal, planned: ImportedDeal) -> str:
        """Bring a matched deal in line with the file through the services; 'unchanged' when it already is."""
        new = planned.deal
        changes = {f: getattr(new, f) for f in COMPARED if _stored(new, f) != _stored(deal, f)}
        if "custom" in changes:
            changes["custom"] = {**deal.custom, **new.custom}
        touched = False
        if changes:
            deal = update_deal(deal=deal, actor=self.actor, changes=changes, version=None)
            touched = True
        if new.owner_id != deal.owner_id:
            deal = reassign_deal(deal=deal, actor=self.actor, owner=new.owner)
            touched = True
        if new.stage_id != deal.stage_id:
            move_deal_to_stage(
                deal=deal, stage=new.stage, actor=self.actor, lost_reason=new.lost_reason,
                at=planned.closed_at if new.status != DealStatus.OPEN else None,
            )  # fmt: skip
            touched = True
        return "updated" if touched else "unchanged"


def _stored(deal: Deal, field: str) -> Any:
    """The field as stored (ids for relations), so comparing does not load related rows."""
    return getattr(deal, Deal._meta.get_field(field).attname)


def row_has(rows: list[Row], field: str) -> bool:
    return bool(rows) and rows[0].has(field)


def _order_stage_names(rows: list[Row]) -> list[str]:
    """The file's stage names in the order deals pass them: a stage whose rows fill fewer cells comes earlier
    (a prospect has no dates or value yet). Used only to lay out a pipeline the import creates."""
    filled: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row["stage"]:
            filled[row["stage"]].append(sum(1 for cell in row.cells if str(cell).strip()))
    return sorted(filled, key=lambda n: sum(filled[n]) / len(filled[n]))

"""Stage sets shipped for the trackers teams already use. Names are msgids: shown translated."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from dealtrack.pipelines.choices import StageKind


@dataclass(frozen=True)
class StageTemplate:
    name: str
    probability: int
    kind: str = StageKind.OPEN
    rotting_days: int | None = None
    required_fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PipelineTemplate:
    key: str
    label: object
    stages: list[StageTemplate]


SLACK_TRACKER = PipelineTemplate(
    "slack",
    _("Sales tracker (Evaluating → Negotiating)"),
    [
        StageTemplate(N_("Evaluating"), 10, rotting_days=14),
        StageTemplate(N_("Qualified"), 25, rotting_days=14),
        StageTemplate(N_("Building proposal"), 50, rotting_days=21, required_fields=["value"]),
        StageTemplate(N_("Negotiating"), 75, rotting_days=21, required_fields=["value", "expected_close_date"]),
        StageTemplate(N_("Won"), 100, StageKind.WON),
        StageTemplate(N_("Lost"), 0, StageKind.LOST),
    ],
)

SALESFLARE = PipelineTemplate(
    "salesflare",
    _("Lead → Contacted → Qualified → Proposal"),
    [
        StageTemplate(N_("Lead"), 10, rotting_days=7),
        StageTemplate(N_("Contacted"), 20, rotting_days=14),
        StageTemplate(N_("Qualified lead"), 40, rotting_days=14),
        StageTemplate(N_("Proposal"), 70, rotting_days=21, required_fields=["value"]),
        StageTemplate(N_("Won"), 100, StageKind.WON),
        StageTemplate(N_("Lost"), 0, StageKind.LOST),
    ],
)

CHINESE_PROCESS = PipelineTemplate(
    "process",
    _("Customer development → After-sales (sales process template)"),
    [
        StageTemplate(N_("Customer development"), 10, rotting_days=14),
        StageTemplate(N_("Needs discovery"), 20, rotting_days=14),
        StageTemplate(N_("Solution design"), 40, rotting_days=21),
        StageTemplate(N_("Business negotiation"), 60, rotting_days=21, required_fields=["value"]),
        StageTemplate(N_("Contract signing"), 80, rotting_days=14, required_fields=["value", "expected_close_date"]),
        StageTemplate(N_("After-sales service"), 90, rotting_days=30),
        StageTemplate(N_("Won"), 100, StageKind.WON),
        StageTemplate(N_("Lost"), 0, StageKind.LOST),
    ],
)

PIPELINE_TEMPLATES = {t.key: t for t in (SLACK_TRACKER, SALESFLARE, CHINESE_PROCESS)}
DEFAULT_TEMPLATE = SLACK_TRACKER

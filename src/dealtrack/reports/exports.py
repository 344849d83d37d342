"""The table each report page exports to CSV/XLSX: headers and rows, labels in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Table = tuple[list[str], list[Sequence[Any]]]

SUMMARY_LABELS = [
    ("won_value", gettext_lazy("Won value")),
    ("won_count", gettext_lazy("Deals won")),
    ("lost_count", gettext_lazy("Deals lost")),
    ("win_rate", gettext_lazy("Win rate (by count)")),
    ("win_rate_by_value", gettext_lazy("Win rate (by value)")),
    ("avg_won_value", gettext_lazy("Average deal size")),
    ("avg_cycle_days", gettext_lazy("Sales cycle, mean (days)")),
    ("median_cycle_days", gettext_lazy("Sales cycle, median (days)")),
    ("new_deals", gettext_lazy("New deals")),
    ("new_deals_value", gettext_lazy("New deals value (pipeline generated)")),
    ("open_count", gettext_lazy("Open deals")),
    ("pipeline_value", gettext_lazy("Pipeline value")),
    ("weighted_pipeline_value", gettext_lazy("Weighted pipeline value")),
]


def summary_table(current: dict[str, Any], previous: dict[str, Any]) -> Table:
    rows = [(str(label), current[key], previous[key]) for key, label in SUMMARY_LABELS]
    return [_("Figure"), _("This period"), _("Previous period")], rows


def team_columns() -> list[tuple[str, str]]:
    """(key, label) of the team table's columns, in order."""
    return [
        ("name", _("Rep")),
        ("calls", _("Calls")),
        ("emails", _("E-mails")),
        ("meetings", _("Meetings")),
        ("visits", _("Visits")),
        ("notes", _("Notes")),
        ("follow_ups_per_deal", _("Follow-ups per deal")),
        ("won_count", _("Won")),
        ("lost_count", _("Lost")),
        ("dropped", _("Dropped")),
        ("win_rate", _("Win rate")),
        ("won_value", _("Won value")),
        ("quota", _("Quota")),
        ("attainment", _("Attainment")),
        ("lead_response_hours", _("Lead response (hours)")),
        ("stalled", _("Stalled deals")),
    ]


def team_table_export(rows: list[dict[str, Any]]) -> Table:
    columns = team_columns()
    return [label for _key, label in columns], [[row[key] for key, _label in columns] for row in rows]


def steps_table(steps: list[dict[str, Any]]) -> Table:
    return [_("Step"), _("Deals"), _("Value")], [(s["label"], s["count"], s["value"]) for s in steps]


def retention_table(types: list[dict[str, Any]]) -> Table:
    headers = [_("Type"), _("Won"), _("Won value"), _("Lost"), _("Lost value"), _("Win rate")]
    rows = [
        (t["label"], t["won_count"], t["won_value"], t["lost_count"], t["lost_value"], t["win_rate"]) for t in types
    ]
    return headers, rows


def forecast_table(months: list[dict[str, Any]]) -> Table:
    columns = [
        ("month", _("Month")),
        ("commit", _("Commit")),
        ("best_case", _("Best case")),
        ("pipeline", _("Pipeline")),
        ("weighted_value", _("Weighted")),
        ("won_value", _("Won")),
        ("quota", _("Quota")),
        ("attainment", _("Attainment")),
        ("forecast_at_start", _("Forecast at month start")),
        ("accuracy", _("Forecast accuracy")),
    ]
    return [label for _key, label in columns], [[m[key] for key, _label in columns] for m in months]


def quotas_table(quotas: list[dict[str, Any]]) -> Table:
    headers = [_("Rep or team"), _("Year"), _("Measured in"), _("Target"), "Q1", "Q2", "Q3", "Q4"]
    rows = [(q["name"], q["year"], q["metric"], q["target"], *q["quarters"]) for q in quotas]
    return headers, rows

"""A deal's timeline: its event log turned into readable entries, newest first, filterable by kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealtrack.activities.models import Activity
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import Deal, DealEvent

TIMELINE_FILTERS = {
    "activities": (gettext_lazy("Activities"), [EventType.ACTIVITY_LOGGED]),
    "stages": (
        gettext_lazy("Stage changes"),
        [EventType.CREATED, EventType.STAGE_CHANGED, EventType.WON, EventType.LOST, EventType.REOPENED],
    ),
    "fields": (
        gettext_lazy("Field changes"),
        [
            EventType.FIELD_CHANGED,
            EventType.OWNER_CHANGED,
            EventType.COLLABORATOR_ADDED,
            EventType.COLLABORATOR_REMOVED,
        ],
    ),
    "tasks": (gettext_lazy("Tasks done"), [EventType.TASK_DONE]),
}
ICONS = {
    EventType.CREATED: "✚",
    EventType.STAGE_CHANGED: "➜",
    EventType.WON: "🏆",
    EventType.LOST: "✖",
    EventType.REOPENED: "↺",
    EventType.FIELD_CHANGED: "✎",
    EventType.OWNER_CHANGED: "👤",
    EventType.ACTIVITY_LOGGED: "☎",
    EventType.TASK_DONE: "✓",
    EventType.COLLABORATOR_ADDED: "👥",
    EventType.COLLABORATOR_REMOVED: "👥",
}
TIMELINE_LIMIT = 200


@dataclass
class Entry:
    kind: str
    icon: str
    title: str
    when: dt.datetime
    actor: str
    details: list[str] = field(default_factory=list)
    activity: Activity | None = None


def duration_text(seconds: int | None) -> str:
    """ "3 days", "5 hours", "12 minutes": the time spent in a stage, in the reader's language."""
    if seconds is None:
        return ""
    from django.utils.translation import ngettext

    days, rest = divmod(int(seconds), 86400)
    if days:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = rest // 3600
    if hours:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    minutes = max(1, rest // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _field_label(name: str) -> str:
    if name.startswith("custom"):
        return _("Custom fields")
    try:
        return str(Deal._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field renamed since the event was written still shows its name
        return name


def _value_text(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _entry(event: DealEvent, activities: dict[int, Activity]) -> Entry:
    actor = event.actor.name if event.actor else _("System")
    entry = Entry(event.type, ICONS.get(event.type, "•"), event.get_type_display(), event.occurred_at, actor)
    params = event.parameters or {}
    if event.type == EventType.CREATED:
        entry.title = _("Deal created in %(stage)s") % {"stage": event.to_stage or "—"}
    elif event.type == EventType.STAGE_CHANGED:
        entry.title = _("%(from)s → %(to)s") % {"from": event.from_stage or "—", "to": event.to_stage or "—"}
        spent = duration_text(params.get("seconds_in_stage"))
        if spent:
            entry.details.append(_("%(time)s in %(stage)s") % {"time": spent, "stage": event.from_stage or "—"})
    elif event.type == EventType.LOST:
        reason = params.get("reason_name")
        entry.title = _("Marked lost")
        if reason:
            entry.details.append(_("Reason: %(reason)s") % {"reason": _(reason)})
        if params.get("note"):
            entry.details.append(params["note"])
    elif event.type == EventType.WON:
        entry.title = _("Marked won")
    elif event.type == EventType.REOPENED:
        entry.title = _("Reopened in %(stage)s") % {"stage": event.to_stage or "—"}
    elif event.type == EventType.FIELD_CHANGED:
        entry.title = _("Fields changed")
        for name, (old, new) in (params.get("changes") or {}).items():
            entry.details.append(f"{_field_label(name)}: {_value_text(old)} → {_value_text(new)}")
    elif event.type == EventType.OWNER_CHANGED:
        entry.title = _("Owner: %(from)s → %(to)s") % {
            "from": params.get("from_name", "—"),
            "to": params.get("to_name", "—"),
        }
    elif event.type == EventType.ACTIVITY_LOGGED:
        activity = activities.get(params.get("activity"))
        entry.activity = activity
        if activity is not None:
            entry.icon = {"call": "☎", "email": "✉", "meeting": "👥", "visit": "🚗", "note": "📝"}.get(
                activity.kind, "•"
            )
            entry.title = (
                f"{activity.get_kind_display()}: {activity.subject}"
                if activity.subject
                else activity.get_kind_display()
            )
            if activity.outcome:
                entry.details.append(activity.outcome)
    elif event.type == EventType.TASK_DONE:
        entry.title = _("Task done: %(title)s") % {"title": params.get("title", "")}
    elif event.type in (EventType.COLLABORATOR_ADDED, EventType.COLLABORATOR_REMOVED):
        entry.details.append(params.get("name", ""))
    return entry


def timeline(events: QuerySet[DealEvent], kind: str = "") -> list[Entry]:
    """Entries for the (already visibility-checked) events, newest first; `kind` is a TIMELINE_FILTERS key."""
    if kind in TIMELINE_FILTERS:
        events = events.filter(type__in=TIMELINE_FILTERS[kind][1])
    rows = list(events[:TIMELINE_LIMIT])
    activity_ids = [e.parameters.get("activity") for e in rows if e.type == EventType.ACTIVITY_LOGGED]
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=[i for i in activity_ids if i])}
    return [_entry(event, activities) for event in rows]

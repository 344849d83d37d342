"""The one short form for logging a call, e-mail, meeting, visit or note, with an optional follow-up task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealtrack.activities.choices import ActivityKind


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=ActivityKind.choices, initial=ActivityKind.CALL, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )
    follow_up_title = forms.CharField(label=_("Follow-up task"), max_length=200, required=False)
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        due = data.get("follow_up_due")
        return {
            "kind": data["kind"],
            "subject": data.get("subject") or "",
            "outcome": data.get("outcome") or "",
            "occurred_at": data.get("occurred_at") or None,
            "follow_up_title": data.get("follow_up_title") or "",
            "follow_up_due": timezone.make_aware(dt.datetime.combine(due, dt.time(9, 0))) if due else None,
        }

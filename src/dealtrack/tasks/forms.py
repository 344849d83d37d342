"""Forms for next steps: scheduling one, snoozing one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SNOOZE_CHOICES = [
    ("1", _("Tomorrow")),
    ("3", _("In 3 days")),
    ("7", _("Next week")),
]


class TaskForm(forms.Form):
    """A next step; the due time defaults to 09:00 of the chosen day."""

    title = forms.CharField(label=_("Next step"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    due_time = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def due_at(self) -> dt.datetime:
        time = self.cleaned_data.get("due_time") or dt.time(9, 0)
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["due_date"], time))


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(label=_("Snooze until"), choices=SNOOZE_CHOICES, coerce=int)

    def until(self) -> dt.datetime:
        day = timezone.localdate() + dt.timedelta(days=self.cleaned_data["days"])
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))

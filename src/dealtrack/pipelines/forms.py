"""Settings forms for pipelines and stages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealtrack.pipelines.templates_catalog import PIPELINE_TEMPLATES


class PipelineCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    template = forms.ChoiceField(label=_("Start from"), choices=[(k, t.label) for k, t in PIPELINE_TEMPLATES.items()])
    is_default = forms.BooleanField(label=_("Default pipeline"), required=False)


class PipelineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_default = forms.BooleanField(label=_("Default pipeline"), required=False)
    is_archived = forms.BooleanField(label=_("Archived"), required=False)


class StageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    probability = forms.IntegerField(label=_("Win probability (%)"), min_value=0, max_value=100)
    rotting_days = forms.IntegerField(label=_("Rotting after (days)"), min_value=0, required=False)
    required_fields = forms.MultipleChoiceField(
        label=_("Required to enter"), required=False, widget=forms.CheckboxSelectMultiple
    )
    checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One action per line."),
    )

    def __init__(self, *args: Any, requirable: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_fields"].choices = requirable

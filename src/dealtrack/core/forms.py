"""Forms of the core app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import ApiToken


class ApiTokenForm(forms.Form):
    """A new personal API token: a name to recognise it by and what it may do."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=_("e.g. the tool that uses it"))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)

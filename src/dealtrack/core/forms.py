"""Forms of the core pages (profile, users, teams, custom fields). Services validate and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType, Role
from dealtrack.core.models import ApiToken, Team, User


def language_choices() -> list[tuple[str, str]]:
    return [("", _("Same as my browser")), *settings.LANGUAGES]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current password."),
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.filter(is_active=True), required=False)
    parent = forms.ModelChoiceField(label=_("Parent team"), queryset=Team.objects.all(), required=False)


class CustomFieldForm(forms.Form):
    entity = forms.ChoiceField(label=_("Applies to"), choices=CustomFieldEntity.choices)
    label = forms.CharField(label=_("Label"), max_length=100)
    field_type = forms.ChoiceField(label=_("Type"), choices=CustomFieldType.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        help_text=_("One per line, for choice fields."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)


class ApiTokenForm(forms.Form):
    """A new personal API token: a name to recognise it by and what it may do."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=_("e.g. the tool that uses it"))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)

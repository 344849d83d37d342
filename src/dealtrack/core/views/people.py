"""Settings for people and fields: users, teams and roles, custom fields. Admins edit; managers see their team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dealtrack.core import services
from dealtrack.core.access import admin_only, managers_and_admins
from dealtrack.core.form_fields import add_service_errors
from dealtrack.core.forms import CustomFieldForm, TeamForm, UserForm
from dealtrack.core.models import CustomFieldDefinition, Team, User
from dealtrack.core.queries import managed_team_ids


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """Admins land on pipelines, managers on their team, reps on their own profile."""
    if request.user.is_admin:
        return redirect("pipelines:pipeline_list")
    if request.user.is_manager:
        return redirect("settings_users")
    return redirect("profile")


@managers_and_admins
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("team").order_by("username")
    if not request.user.is_admin:
        users = users.filter(team_id__in=managed_team_ids(request.user)) | users.filter(pk=request.user.pk)
    return render(request, "core/settings/users.html", {"users": users, "section": "users"})


def _user_initial(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "team": user.team_id,
        "language": user.language,
        "is_active": user.is_active,
    }


@admin_only
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if not data["password"]:
                raise ValidationError({"password": [_("This field is required.")]})
            services.create_user(
                actor=request.user, username=data.pop("username"), password=data.pop("password"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User created."))
            return redirect("settings_users")
    return render(request, "core/settings/form.html", {"form": form, "section": "users", "heading": _("New user")})


@admin_only
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, initial=_user_initial(user))
    form.fields["username"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("username")
        password = data.pop("password")
        try:
            services.update_user(actor=request.user, user=user, changes=data, password=password)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings_users")
    return render(request, "core/settings/form.html", {"form": form, "section": "users", "heading": user.name})


@managers_and_admins
def team_list(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.select_related("manager", "parent").order_by("name")
    if not request.user.is_admin:
        teams = teams.filter(pk__in=managed_team_ids(request.user))
    form = TeamForm(request.POST or None) if request.user.is_admin else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.save_team(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("settings_teams")
    return render(request, "core/settings/teams.html", {"teams": teams, "form": form, "section": "teams"})


@admin_only
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    initial = {"name": team.name, "manager": team.manager_id, "parent": team.parent_id}
    form = TeamForm(request.POST or None, initial=initial)
    form.fields["parent"].queryset = Team.objects.exclude(pk=team.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("settings_teams")
    return render(request, "core/settings/form.html", {"form": form, "section": "teams", "heading": team.name})


def _custom_field_arguments(form: CustomFieldForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["choices"] = [line for line in data.get("choices", "").splitlines() if line.strip()]
    return data


@admin_only
def custom_field_list(request: HttpRequest) -> HttpResponse:
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_custom_field(actor=request.user, **_custom_field_arguments(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Custom field added."))
            return redirect("settings_custom_fields")
    definitions = CustomFieldDefinition.objects.order_by("entity", "position", "id")
    return render(
        request, "core/settings/custom_fields.html", {"definitions": definitions, "form": form, "section": "fields"}
    )


@admin_only
def custom_field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(CustomFieldDefinition, pk=pk)
    if request.method == "POST" and request.POST.get("delete") == "1":
        services.delete_custom_field(actor=request.user, definition=definition)
        messages.success(request, _("Custom field removed."))
        return redirect("settings_custom_fields")
    initial = {
        "entity": definition.entity,
        "label": definition.label,
        "field_type": definition.field_type,
        "choices": "\n".join(definition.choices),
        "required": definition.required,
    }
    form = CustomFieldForm(request.POST or None, initial=initial)
    form.fields["entity"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_custom_field(actor=request.user, definition=definition, **_custom_field_arguments(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings_custom_fields")
    return render(
        request,
        "core/settings/form.html",
        {"form": form, "section": "fields", "heading": definition.label, "delete_confirm": True},
    )

"""Writes to users and teams."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User


def _check_user_fields(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "role" in values and values["role"] not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    known = {code for code, _name in settings.LANGUAGES}
    if values.get("language") and values["language"] not in known:
        errors["language"] = [_("Select a valid choice.")]
    return errors


@transaction.atomic
def create_user(
    *,
    username: str,
    display_name: str = "",
    email: str = "",
    role: str = Role.REP,
    team: Team | None = None,
    password: str | None = None,
    language: str = "",
    check_password: bool = True,
) -> User:
    """Create a user. Without a password the user cannot log in (e.g. an owner brought in by an import)."""
    username = (username or "").strip()
    errors = _check_user_fields({"role": role, "email": email, "language": language})
    if not username:
        errors["username"] = [_("This field is required.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email.strip(),
        role=role,
        team=team,
        language=language,
        is_staff=role == Role.ADMIN,
    )
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                errors["password"] = exc.messages
        user.set_password(password)
    else:
        user.set_unusable_password()
    if errors:
        raise ValidationError(errors)
    user.save()
    return user


@transaction.atomic
def update_user(*, user: User, changes: dict[str, Any]) -> User:
    """Change profile fields, role, team or language; the last active admin cannot lose the role."""
    allowed = {"display_name", "email", "role", "team", "language", "phone", "is_active"}
    errors = {field: [_("This field cannot be changed here.")] for field in changes if field not in allowed}
    errors.update(_check_user_fields(changes))
    demoting = changes.get("role", user.role) != Role.ADMIN or changes.get("is_active") is False
    if (
        user.role == Role.ADMIN
        and demoting
        and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()
    ):
        errors["role"] = [_("The organisation needs at least one active administrator.")]
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(user, field, value)
    user.is_staff = user.role == Role.ADMIN or user.is_superuser
    user.save()
    return user


@transaction.atomic
def create_team(*, name: str, manager: User | None = None, parent: Team | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Team.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("A team with this name already exists.")]})
    return Team.objects.create(name=name, manager=manager, parent=parent)


@transaction.atomic
def update_team(*, team: Team, changes: dict[str, Any]) -> Team:
    """Rename, set the manager or move the team under another; a team cannot nest inside itself."""
    parent = changes.get("parent", team.parent)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == team.pk:
            raise ValidationError({"parent": [_("A team cannot be placed under itself.")]})
        ancestor = ancestor.parent
    name = (changes.get("name", team.name) or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Team.objects.filter(name=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": [_("A team with this name already exists.")]})
    team.name = name
    team.parent = parent
    team.manager = changes.get("manager", team.manager)
    team.save()
    return team

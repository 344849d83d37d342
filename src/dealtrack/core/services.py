"""Writes to users and teams (the people side every other app refers to)."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User

_UNSET = object()


def username_from_name(name: str) -> str:
    """A username for someone known only by name: "Moses Frase" → "moses.frase", "张三" → "张三" (unique)."""
    base = unicodedata.normalize("NFKC", name).strip().lower()
    base = re.sub(r"\s+", ".", base)
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "user"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _email_errors(email: str, exclude_pk: int | None = None) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return [_("Enter a valid e-mail address.")]
    if User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        return [_("A user with this e-mail address already exists.")]
    return []


def _language_known(language: str) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


@transaction.atomic
def create_user(*, username: str = "", name: str = "", email: str = "", role: str = Role.REP,
                team: Team | None = None, password: str | None = None, language: str = "",
                validate_password_strength: bool = True) -> User:  # fmt: skip
    """Create a person. Without `password` they cannot log in until an admin sets one (e.g. imported reps).

    A missing username is derived from the name; usernames and e-mail addresses must be unique.
    """
    name = (name or "").strip()
    username = (username or "").strip() or (username_from_name(name) if name else "")
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give a username or a name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with this username already exists.")]
    email = (email or "").strip()
    if email and (problems := _email_errors(email)):
        errors["email"] = problems
    if role not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if language and not _language_known(language):
        errors["language"] = [_("Select a valid choice.")]
    user = User(username=username[:150], display_name=name[:150], email=email, role=role, team=team,
                language=language, is_staff=role == Role.ADMIN)  # fmt: skip
    if password:
        if validate_password_strength:
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
def update_user(*, user: User, name: str | None = None, email: str | None = None, role: str | None = None,
                team: Team | None | object = _UNSET, language: str | None = None, phone: str | None = None,
                is_active: bool | None = None) -> User:  # fmt: skip
    """Change only the arguments given; the last active administrator cannot lose the role or be deactivated."""
    errors: dict[str, list[str]] = {}
    if email and (problems := _email_errors(email, exclude_pk=user.pk)):
        errors["email"] = problems
    if role is not None and role not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if language and not _language_known(language):
        errors["language"] = [_("Select a valid choice.")]
    losing_admin = user.role == Role.ADMIN and ((role is not None and role != Role.ADMIN) or is_active is False)
    others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    if losing_admin and not others.exists():
        errors["role"] = [_("The organisation needs at least one active administrator.")]
    if errors:
        raise ValidationError(errors)
    changes = {"display_name": name, "email": email, "role": role, "language": language, "phone": phone,
               "is_active": is_active}  # fmt: skip
    if team is not _UNSET:
        changes["team"] = team
    fields = []
    for attr, value in changes.items():
        if value is not None or attr == "team":
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                fields.append(attr)
    if "role" in fields:
        user.is_staff = user.role == Role.ADMIN or user.is_superuser
        fields.append("is_staff")
    if fields:
        user.save(update_fields=fields)
    return user


@transaction.atomic
def get_or_create_team(*, name: str, manager: User | None = None, parent: Team | None = None) -> Team:
    """The team of this name, created (below `parent`) when missing; a given `manager` becomes its manager."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"team": [_("This field is required.")]})
    team, _created = Team.objects.get_or_create(name=name, defaults={"parent": parent})
    if manager is not None and team.manager_id != manager.pk:
        team.manager = manager
        team.save(update_fields=["manager", "updated_at"])
    return team


@transaction.atomic
def create_team(*, name: str, manager: User | None = None, parent: Team | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Team.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("A team with this name already exists.")]})
    return Team.objects.create(name=name, manager=manager, parent=parent)


@transaction.atomic
def update_team(*, team: Team, name: str | None = None, manager: User | None | object = _UNSET,
                parent: Team | None | object = _UNSET) -> Team:  # fmt: skip
    """Rename, set the manager or move the team under another; a team cannot nest inside itself."""
    new_parent = team.parent if parent is _UNSET else parent
    ancestor = new_parent
    while ancestor is not None:
        if ancestor.pk == team.pk:
            raise ValidationError({"parent": [_("A team cannot be placed under itself.")]})
        ancestor = ancestor.parent
    new_name = (team.name if name is None else name).strip()
    if not new_name:
        raise ValidationError({"name": [_("This field is required.")]})
    if Team.objects.filter(name=new_name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": [_("A team with this name already exists.")]})
    team.name = new_name
    team.parent = new_parent
    if manager is not _UNSET:
        team.manager = manager
    team.save()
    return team

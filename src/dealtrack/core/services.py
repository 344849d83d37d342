"""Writes to users and teams (the people side every other app refers to)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User


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


@transaction.atomic
def create_user(
    *,
    username: str = "",
    name: str = "",
    email: str = "",
    role: str = Role.REP,
    team: Team | None = None,
    password: str | None = None,
) -> User:
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
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            if User.objects.filter(email__iexact=email).exists():
                errors["email"] = [_("A user with this e-mail address already exists.")]
    if role not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if errors:
        raise ValidationError(errors)
    user = User(username=username[:150], display_name=name[:150], email=email, role=role, team=team)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def update_user(*, user: User, name: str | None = None, email: str | None = None, role: str | None = None,
                team: Team | None = None) -> User:  # fmt: skip
    """Change a person's name, e-mail, role or team (only the arguments given)."""
    errors: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
        else:
            if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
                errors["email"] = [_("A user with this e-mail address already exists.")]
    if role is not None and role not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if errors:
        raise ValidationError(errors)
    fields = []
    for attr, value in (("display_name", name), ("email", email), ("role", role), ("team", team)):
        if value is not None and getattr(user, attr) != value:
            setattr(user, attr, value)
            fields.append(attr)
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

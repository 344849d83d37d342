"""Writes to users, teams, custom field definitions, saved list views and personal preferences.

Each function is one transaction, validates its input and raises `ValidationError` keyed by field with
messages in the reader's language; nothing is written when it raises.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType, Role
from dealtrack.core.models import CustomFieldDefinition, SavedView, Team, User

USER_FIELDS = ("display_name", "email", "role", "team", "phone", "language", "is_active")


def _check_language(language: str) -> None:
    if language and language not in {code for code, _label in settings.LANGUAGES}:
        raise ValidationError({"language": [_("Select a valid choice.")]})


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
def set_user_language(*, user: User, language: str) -> User:
    """The user's interface language ("" follows the browser)."""
    _check_language(language)
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def update_profile(*, user: User, display_name: str, email: str, phone: str, language: str) -> User:
    """What every user may change about themselves."""
    errors: dict[str, list[str]] = {}
    try:
        _check_language(language)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if email.strip() and (problems := _email_errors(email.strip(), exclude_pk=user.pk)):
        errors["email"] = problems
    if errors:
        raise ValidationError(errors)
    user.display_name = display_name.strip()[:150]
    user.email = email.strip()
    user.phone = phone.strip()[:40]
    user.language = language
    user.save(update_fields=["display_name", "email", "phone", "language"])
    return user


def _email_errors(email: str, exclude_pk: int | None = None) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return [_("Enter a valid e-mail address.")]
    if User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        return [_("A user with this e-mail address already exists.")]
    return []


def _apply_user_fields(user: User, values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if field not in USER_FIELDS:
            errors[field] = [_("This field cannot be changed here.")]
            continue
        setattr(user, field, value.strip() if isinstance(value, str) else value)
    if user.role not in Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if user.language and user.language not in {code for code, _label in settings.LANGUAGES}:
        errors["language"] = [_("Select a valid choice.")]
    if user.email and "email" in values and (problems := _email_errors(user.email, exclude_pk=user.pk)):
        errors["email"] = problems
    user.is_staff = user.role == Role.ADMIN or user.is_superuser
    return errors


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@transaction.atomic
def create_user(*, actor: User | None = None, username: str = "", password: str | None = None,
                validate_password_strength: bool = True, **values: Any) -> User:  # fmt: skip
    """Create a person. Without `password` they cannot log in until an admin sets one (e.g. imported reps).

    `values` are model fields (display_name, email, role, team, phone, language, is_active). A missing
    username is derived from the display name; usernames and e-mail addresses must be unique.
    """
    name = (values.get("display_name") or "").strip()
    username = (username or "").strip() or (username_from_name(name) if name else "")
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give a username or a name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with this username already exists.")]
    user = User(username=username[:150])
    errors.update(_apply_user_fields(user, {k: v for k, v in values.items() if v is not None}))
    if password:
        if validate_password_strength and (problems := _password_errors(password, user)):
            errors["password"] = problems
        user.set_password(password)
    else:
        user.set_unusable_password()
    if errors:
        raise ValidationError(errors)
    user.save()
    return user


@transaction.atomic
def update_user(*, user: User, changes: dict[str, Any], actor: User | None = None, password: str = "") -> User:
    """Change a user's name, role, team, status…

    An admin cannot demote or deactivate themselves, and the last active administrator keeps the role.
    """
    errors: dict[str, list[str]] = {}
    new_role = changes.get("role", user.role)
    deactivating = changes.get("is_active", True) is False
    if actor is not None and actor.pk == user.pk:
        if new_role != user.role and user.role == Role.ADMIN:
            errors["role"] = [_("You cannot remove your own administrator role.")]
        if deactivating:
            errors["is_active"] = [_("You cannot deactivate yourself.")]
    if user.role == Role.ADMIN and (new_role != Role.ADMIN or deactivating):
        if not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists():
            errors.setdefault("role", [_("The organisation needs at least one active administrator.")])
    user = User.objects.select_for_update().get(pk=user.pk)
    errors.update(_apply_user_fields(user, changes))
    if password:
        if problems := _password_errors(password, user):
            errors["password"] = problems
        user.set_password(password)
    if errors:
        raise ValidationError(errors)
    user.save()
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


def _would_cycle(team: Team, parent: Team | None) -> bool:
    seen = set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == team.pk:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


@transaction.atomic
def save_team(
    *, actor: User | None, name: str, manager: User | None, parent: Team | None, team: Team | None = None
) -> Team:
    """Create a team, or change one; a team cannot sit below itself."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    clash = Team.objects.filter(name=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError({"name": [_("A team with this name already exists.")]})
    team = team or Team()
    if team.pk and _would_cycle(team, parent):
        raise ValidationError({"parent": [_("A team cannot be placed below itself.")]})
    team.name, team.manager, team.parent = name, manager, parent
    team.save()
    return team


@transaction.atomic
def save_custom_field(
    *,
    actor: User | None,
    entity: str,
    label: str,
    field_type: str,
    choices: list[str] | None = None,
    required: bool = False,
    key: str = "",
    definition: CustomFieldDefinition | None = None,
) -> CustomFieldDefinition:
    """Add or change a custom field of deals, companies or contacts. The key is fixed once created."""
    errors: dict[str, list[str]] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = [_("This field is required.")]
    if entity not in CustomFieldEntity.values:
        errors["entity"] = [_("Select a valid choice.")]
    if field_type not in CustomFieldType.values:
        errors["field_type"] = [_("Select a valid choice.")]
    cleaned_choices = [c.strip() for c in (choices or []) if c.strip()]
    if field_type in (CustomFieldType.CHOICE, CustomFieldType.MULTI_CHOICE) and not cleaned_choices:
        errors["choices"] = [_("List at least one choice.")]
    if definition is None:
        key = slugify(key or label).replace("-", "_")[:50] or f"field_{CustomFieldDefinition.objects.count() + 1}"
        if CustomFieldDefinition.objects.filter(entity=entity, key=key).exists():
            errors["key"] = [_("A field with this key already exists.")]
    if errors:
        raise ValidationError(errors)
    if definition is None:
        position = (CustomFieldDefinition.objects.filter(entity=entity).aggregate(m=Max("position"))["m"] or 0) + 1
        definition = CustomFieldDefinition(entity=entity, key=key, position=position)
    definition.label = label[:100]
    definition.field_type = field_type
    definition.choices = cleaned_choices
    definition.required = required
    definition.save()
    return definition


@transaction.atomic
def delete_custom_field(*, actor: User | None, definition: CustomFieldDefinition) -> None:
    """Remove the definition; values stay in records' `custom` JSON but are no longer shown or validated."""
    definition.delete()


@transaction.atomic
def save_list_view(*, owner: User, list_key: str, name: str, query: str, shared: bool = False) -> SavedView:
    """Save (or overwrite, by name) the owner's view of a list; `shared` shows it to the owner's team."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"name": [_("Give the view a name.")]})
    view, _created = SavedView.objects.update_or_create(
        owner=owner, list_key=list_key, name=name, defaults={"query": query.lstrip("?"), "shared": shared}
    )
    return view


@transaction.atomic
def delete_list_view(*, owner: User, view: SavedView) -> None:
    """Only the owner deletes a saved view."""
    if view.owner_id != owner.pk:
        raise ValidationError(_("Only the person who saved this view can delete it."))
    view.delete()

"""Writes to companies and contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.custom_fields import clean_custom_values
from dealtrack.core.exceptions import StaleVersionError
from dealtrack.core.models import User
from dealtrack.customers.models import Company, Contact, normalise_company_name

COMPANY_FIELDS = (
    "name",
    "external_id",
    "industry",
    "size",
    "region",
    "parent",
    "website",
    "phone",
    "address",
    "owner",
    "custom",
)
CONTACT_FIELDS = ("name", "external_id", "company", "title", "phone", "mobile", "email", "wechat", "owner", "custom")


def _assign(instance: Company | Contact, entity: str, fields: tuple[str, ...], values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for field, raw in values.items():
        if field not in fields:
            errors[field] = [_("This field cannot be changed here.")]
            continue
        if field == "custom":
            try:
                instance.custom = clean_custom_values(entity, raw or {}, existing=instance.custom)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            continue
        value = raw if raw is not None else ("" if field not in ("parent", "owner", "company") else None)
        if isinstance(value, str):
            value = value.strip()
        setattr(instance, field, value)
    if not instance.name:
        errors["name"] = [_("This field is required.")]
    email = getattr(instance, "email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(errors)
    try:
        instance.full_clean(exclude=["custom", "normalised_name", "parent", "owner", "company"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@transaction.atomic
def create_company(*, actor: User | None, name: str, **values: Any) -> Company:
    """Create a company owned by `actor` unless an owner is given."""
    company = Company(owner=values.pop("owner", actor))
    _assign(company, CustomFieldEntity.COMPANY, COMPANY_FIELDS, {"name": name, **values})
    company.normalised_name = normalise_company_name(company.name)
    company.save()
    return company


@transaction.atomic
def update_company(*, company: Company, actor: User | None, changes: dict[str, Any], version: int | None) -> Company:
    company = Company.objects.select_for_update().get(pk=company.pk)
    if version is not None and int(version) != company.version:
        raise StaleVersionError(company.version)
    if changes.get("parent") is not None and getattr(changes["parent"], "pk", None) == company.pk:
        raise ValidationError({"parent": [_("A company cannot be its own parent.")]})
    _assign(company, CustomFieldEntity.COMPANY, COMPANY_FIELDS, changes)
    company.normalised_name = normalise_company_name(company.name)
    company.version += 1
    company.save()
    return company


def find_company_by_name(name: str) -> Company | None:
    """The company whose normalised name equals this one's (华为科技有限公司 ≈ 华为科技)."""
    return Company.objects.filter(normalised_name=normalise_company_name(name)).order_by("id").first()


@transaction.atomic
def get_or_create_company(*, actor: User | None, name: str, **values: Any) -> tuple[Company, bool]:
    existing = find_company_by_name(name)
    if existing:
        return existing, False
    return create_company(actor=actor, name=name, **values), True


@transaction.atomic
def create_contact(*, actor: User | None, name: str, **values: Any) -> Contact:
    contact = Contact(owner=values.pop("owner", actor))
    _assign(contact, CustomFieldEntity.CONTACT, CONTACT_FIELDS, {"name": name, **values})
    contact.save()
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, actor: User | None, changes: dict[str, Any], version: int | None) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if version is not None and int(version) != contact.version:
        raise StaleVersionError(contact.version)
    _assign(contact, CustomFieldEntity.CONTACT, CONTACT_FIELDS, changes)
    contact.version += 1
    contact.save()
    return contact

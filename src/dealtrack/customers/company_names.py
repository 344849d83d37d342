"""Turning a typed company name into a company: a visible one with that name, else the shared lookup/create."""

from __future__ import annotations

from dealtrack.core.models import User
from dealtrack.customers.models import Company
from dealtrack.customers.queries import companies_visible_to
from dealtrack.customers.services import get_or_create_company


def company_for_name(user: User, name: str) -> Company | None:
    """The company a rep means by `name`: exact visible match first, then the de-duplicating service."""
    name = (name or "").strip()
    if not name:
        return None
    visible = companies_visible_to(user).filter(name=name).order_by("id").first()
    if visible is not None:
        return visible
    company, _created = get_or_create_company(actor=user, name=name)
    return company

"""Reads of companies and contacts with visibility: own, managed teams', and those of visible deals."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from dealtrack.core.models import User
from dealtrack.core.queries import owner_scope
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.queries import deals_visible_to


def companies_visible_to(user: User) -> QuerySet[Company]:
    """Companies the user owns (or their managed teams own), plus the companies of deals they can see."""
    scope = owner_scope(user, "owner")
    if scope is None:
        return Company.objects.all()
    with_visible_deal = Exists(deals_visible_to(user).filter(company=OuterRef("pk")))
    return Company.objects.filter(scope | Q(with_visible_deal))


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """Contacts the user owns (or managed teams own), contacts of visible companies or of visible deals."""
    scope = owner_scope(user, "owner")
    if scope is None:
        return Contact.objects.all()
    visible_companies = companies_visible_to(user).values("pk")
    on_visible_deal = Exists(deals_visible_to(user).filter(primary_contact=OuterRef("pk")))
    return Contact.objects.filter(scope | Q(company__in=visible_companies) | Q(on_visible_deal))


def get_company_for(user: User, pk: int | str) -> Company:
    try:
        return companies_visible_to(user).get(pk=pk)
    except (Company.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_contact_for(user: User, pk: int | str) -> Contact:
    try:
        return contacts_visible_to(user).select_related("company").get(pk=pk)
    except (Contact.DoesNotExist, ValueError) as exc:
        raise Http404 from exc

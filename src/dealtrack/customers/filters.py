"""`CompanyFilterSet` and `ContactFilterSet`: the one definition of how companies and contacts are filtered,
shared by the web lists, their exports and the API.

They only narrow the querysets they are given (from `companies_visible_to` / `contacts_visible_to`). Companies a
form offers (parent, company) are the reader's visible ones, and only those already chosen: there can be tens of
thousands.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.filters import ChoiceListFilter, IdListFilter, MomentFilter
from dealtrack.core.filtersets import ListFilterSet
from dealtrack.core.queries import users_visible_to
from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, Contact, normalise_company_name
from dealtrack.customers.queries import companies_visible_to


class CompanyFilterSet(ListFilterSet):
    """Companies by text, industry, region, size, owner, parent company, external id, change time, custom fields."""

    custom_entity = CustomFieldEntity.COMPANY

    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    industry = django_filters.CharFilter(label=_("Industry"), lookup_expr="icontains")
    region = django_filters.CharFilter(label=_("Region"), lookup_expr="icontains")
    size = ChoiceListFilter(label=_("Size"), choices=CompanySize.choices)
    owner = IdListFilter(field_name="owner_id", label=_("Owner"), records=users_visible_to)
    parent = IdListFilter(
        field_name="parent_id", label=_("Parent company"), records=companies_visible_to, selected_only=True
    )
    external_id = django_filters.CharFilter(field_name="external_id", label=_("External id"))
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    class Meta:
        model = Company
        fields: list[str] = []

    descriptions = {"q": _("Name (also as written differently), phone or website")}

    form_filters = ("q", "industry", "region", "size", "owner", "parent")

    def filter_text(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        value = value.strip()
        if not value:
            return queryset
        matches = Q(name__icontains=value) | Q(phone__icontains=value) | Q(website__icontains=value)
        normalised = normalise_company_name(value)
        if normalised:  # punctuation alone normalises to "", which every name contains
            matches |= Q(normalised_name__contains=normalised)
        return queryset.filter(matches)


class ContactFilterSet(ListFilterSet):
    """Contacts by text, company (id or name), title, owner, external id, change time, custom fields."""

    custom_entity = CustomFieldEntity.CONTACT

    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    company_name = django_filters.CharFilter(
        label=_("Company name"), field_name="company__name", lookup_expr="icontains"
    )
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    owner = IdListFilter(field_name="owner_id", label=_("Owner"), records=users_visible_to)
    company = IdListFilter(
        field_name="company_id", label=_("Company"), records=companies_visible_to, selected_only=True
    )
    external_id = django_filters.CharFilter(field_name="external_id", label=_("External id"))
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    class Meta:
        model = Contact
        fields: list[str] = []

    descriptions = {"q": _("Name, e-mail, phone, mobile or WeChat id")}

    form_filters = ("q", "company_name", "title", "owner", "company")

    def filter_text(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__icontains=value)
            | Q(mobile__icontains=value)
            | Q(wechat__icontains=value)
        )

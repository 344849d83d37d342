"""Company and contact list filters, shared by the web lists, the API and exports.

Give them querysets from `companies_visible_to` / `contacts_visible_to`; they only narrow.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.filters import CustomFieldFilterSet, IdListFilter
from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, Contact, normalise_company_name


class CompanyFilterSet(CustomFieldFilterSet):
    custom_entity = CustomFieldEntity.COMPANY

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    owner = IdListFilter(field_name="owner_id", label=_("Owner"))
    parent = IdListFilter(field_name="parent_id", label=_("Parent company"))
    industry = django_filters.CharFilter(field_name="industry", label=_("Industry"))
    region = django_filters.CharFilter(field_name="region", label=_("Region"))
    size = django_filters.MultipleChoiceFilter(choices=CompanySize.choices, label=_("Size"))
    external_id = django_filters.CharFilter(field_name="external_id", label=_("External id"))
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed since")
    )

    class Meta:
        model = Company
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        value = value.strip()
        if not value:
            return queryset
        normalised = normalise_company_name(value)
        return queryset.filter(Q(name__icontains=value) | Q(normalised_name__contains=normalised))


class ContactFilterSet(CustomFieldFilterSet):
    custom_entity = CustomFieldEntity.CONTACT

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    owner = IdListFilter(field_name="owner_id", label=_("Owner"))
    company = IdListFilter(field_name="company_id", label=_("Company"))
    external_id = django_filters.CharFilter(field_name="external_id", label=_("External id"))
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed since")
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__contains=value)
            | Q(mobile__contains=value)
            | Q(wechat=value)
        )

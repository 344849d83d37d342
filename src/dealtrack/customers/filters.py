"""Filtersets for companies and contacts, shared by the lists, the API and exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import User
from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, Contact


def _active_users(request: Any = None) -> QuerySet[User]:
    return User.objects.filter(is_active=True)


class CompanyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    industry = django_filters.CharFilter(label=_("Industry"), lookup_expr="icontains")
    region = django_filters.CharFilter(label=_("Region"), lookup_expr="icontains")
    size = django_filters.ChoiceFilter(label=_("Size"), choices=CompanySize.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_active_users)

    class Meta:
        model = Company
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Company], name: str, value: str) -> QuerySet[Company]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value) | Q(website__icontains=value))


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    company = django_filters.CharFilter(label=_("Company"), field_name="company__name", lookup_expr="icontains")
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_active_users)

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
            | Q(phone__icontains=value)
            | Q(mobile__icontains=value)
            | Q(wechat__icontains=value)
        )

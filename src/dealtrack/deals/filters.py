"""`DealFilterSet`: the one definition of how deals are filtered, shared by the board, the list and exports.

It filters a queryset it is given (always one from `deals_visible_to(user)`), so it never widens visibility.
Custom fields of deals become `cf_<key>` filters.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.custom_fields import definitions_for
from dealtrack.core.models import Team, User
from dealtrack.deals.choices import DealStatus, DealType, Health, LeadGrade, Priority
from dealtrack.deals.models import Deal, Source, Tag
from dealtrack.pipelines.models import Pipeline, Stage


def _active_users(request: Any = None) -> QuerySet[User]:
    return User.objects.filter(is_active=True)


class DealFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    mine = django_filters.BooleanFilter(label=_("My deals"), method="filter_mine", widget=forms.CheckboxInput)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_active_users)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all(), field_name="owner__team")
    tag = django_filters.ModelChoiceFilter(label=_("Tag"), queryset=Tag.objects.all(), field_name="tags")
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices)
    source = django_filters.ModelChoiceFilter(label=_("Source"), queryset=Source.objects.all())
    close_from = django_filters.DateFilter(
        label=_("Closing from"),
        field_name="expected_close_date",
        lookup_expr="gte",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    close_to = django_filters.DateFilter(
        label=_("Closing until"),
        field_name="expected_close_date",
        lookup_expr="lte",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    pipeline = django_filters.ModelChoiceFilter(label=_("Pipeline"), queryset=Pipeline.objects.all())
    stage = django_filters.ModelChoiceFilter(label=_("Stage"), queryset=Stage.objects.select_related("pipeline"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DealStatus.choices)
    health = django_filters.ChoiceFilter(label=_("Health"), choices=Health.choices)
    lead_grade = django_filters.ChoiceFilter(label=_("Lead grade"), choices=LeadGrade.choices)
    deal_type = django_filters.ChoiceFilter(label=_("Type"), choices=DealType.choices)

    class Meta:
        model = Deal
        fields: list[str] = []

    # Filters the board shows; the list shows all of them.
    BOARD_FILTERS = ("q", "mine", "owner", "team", "tag", "priority", "source", "close_from", "close_to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_definitions = definitions_for(CustomFieldEntity.DEAL)
        for definition in self.custom_definitions:
            self.filters[f"cf_{definition.key}"] = self._custom_filter(definition)

    @staticmethod
    def _custom_filter(definition: Any) -> django_filters.Filter:
        field_name = f"custom__{definition.key}"
        label = definition.label
        if definition.field_type == CustomFieldType.CHOICE:
            return django_filters.ChoiceFilter(
                label=label, field_name=field_name, choices=[(c, c) for c in definition.choices]
            )
        if definition.field_type == CustomFieldType.MULTI_CHOICE:
            return django_filters.ChoiceFilter(
                label=label,
                field_name=field_name,
                choices=[(c, c) for c in definition.choices],
                lookup_expr="contains",
                method="filter_multi_choice",
            )
        if definition.field_type == CustomFieldType.BOOLEAN:
            return django_filters.BooleanFilter(label=label, field_name=field_name)
        return django_filters.CharFilter(label=label, field_name=field_name, lookup_expr="icontains")

    def filter_multi_choice(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        # JSON arrays are stored as text-compatible JSON on SQLite and jsonb on PostgreSQL: match the quoted item.
        return queryset.filter(**{f"{name}__icontains": f'"{value}"'})

    def filter_text(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(company__name__icontains=value))

    def filter_mine(self, queryset: QuerySet[Deal], name: str, value: bool) -> QuerySet[Deal]:
        if value and self.request is not None and self.request.user.is_authenticated:
            return queryset.filter(owner=self.request.user)
        return queryset

    @property
    def active_count(self) -> int:
        """How many filters the reader has set (for the "Filters (3)" label)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return sum(1 for key, value in data.items() if value not in (None, "", [], False) and key != "pipeline")

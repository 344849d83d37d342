"""`DealFilterSet`: the deal list's filters, shared by the web list, the API and exports.

Always give it a queryset from `deals_visible_to(user)`; it only narrows.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.filters import CustomFieldFilterSet, IdListFilter
from dealtrack.core.queries import team_tree_ids
from dealtrack.deals.choices import DealStatus, DealType, ForecastCategory, Health, LeadGrade, Priority
from dealtrack.deals.models import Deal


class DealFilterSet(CustomFieldFilterSet):
    custom_entity = CustomFieldEntity.DEAL

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    owner = IdListFilter(field_name="owner_id", label=_("Owner"))
    team = IdListFilter(method="filter_team", label=_("Team (with the teams below it)"))
    pipeline = IdListFilter(field_name="pipeline_id", label=_("Pipeline"))
    stage = IdListFilter(field_name="stage_id", label=_("Stage"))
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices, label=_("Status"))
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, label=_("Priority"))
    health = django_filters.MultipleChoiceFilter(choices=Health.choices, label=_("Health"))
    deal_type = django_filters.MultipleChoiceFilter(choices=DealType.choices, label=_("Type"))
    lead_grade = django_filters.MultipleChoiceFilter(choices=LeadGrade.choices, label=_("Lead grade"))
    forecast_category = django_filters.MultipleChoiceFilter(
        choices=ForecastCategory.choices, label=_("Forecast category")
    )
    source = IdListFilter(field_name="source_id", label=_("Source"))
    tag = IdListFilter(method="filter_tag", label=_("Tag"))
    company = IdListFilter(field_name="company_id", label=_("Company"))
    expected_close = django_filters.DateFromToRangeFilter(
        field_name="expected_close_date", label=_("Expected close date")
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed since")
    )

    class Meta:
        model = Deal
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(company__name__icontains=value) | Q(external_id=value))

    def filter_team(self, queryset: QuerySet[Deal], name: str, value: list[int]) -> QuerySet[Deal]:
        return queryset.filter(owner__team_id__in=team_tree_ids(value)) if value else queryset

    def filter_tag(self, queryset: QuerySet[Deal], name: str, value: list[int]) -> QuerySet[Deal]:
        if not value:
            return queryset
        tagged = Deal.tags.through.objects.filter(deal_id=OuterRef("pk"), tag_id__in=value)
        return queryset.filter(Exists(tagged))

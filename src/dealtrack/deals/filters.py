"""`DealFilterSet`: the one definition of how deals are filtered, shared by the list, the board, exports and the API.

It only narrows the queryset it is given (always one from `deals_visible_to(user)`). The API derives its query
parameters and their documentation from these filters (`api/list_params.py`); the web forms render them.

Names are the API's documented ones. The web lists' older names stay accepted as aliases, because saved views
and links hold them: `close_from`/`close_to` for `expected_close_after`/`expected_close_before`, `cf_<key>` for
`custom.<key>`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.filters import (
    CUSTOM_PREFIX,
    ChoiceListFilter,
    FlagFilter,
    IdListFilter,
    MomentFilter,
    reader_of,
)
from dealtrack.core.filtersets import ListFilterSet
from dealtrack.core.queries import team_tree_ids, teams_visible_to, users_visible_to
from dealtrack.customers.queries import companies_visible_to
from dealtrack.deals.choices import DealStatus, DealType, ForecastCategory, Health, LeadGrade, Priority
from dealtrack.deals.models import Deal, Source, Tag
from dealtrack.pipelines.models import Pipeline, Stage

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _sources(user: Any) -> QuerySet[Source]:
    return Source.objects.all()


def _tags(user: Any) -> QuerySet[Tag]:
    return Tag.objects.all()


def _pipelines(user: Any) -> QuerySet[Pipeline]:
    return Pipeline.objects.all()


def _stages(user: Any) -> QuerySet[Stage]:
    return Stage.objects.select_related("pipeline")


class DealFilterSet(ListFilterSet):
    """Deals narrowed by owner, team (with nested teams), stage, dates, custom fields …; ids and choices take several
    values (any of them matches), filters combine with AND."""

    custom_entity = CustomFieldEntity.DEAL
    aliases = {"close_from": "expected_close_after", "close_to": "expected_close_before"}
    alias_prefixes = {"cf_": CUSTOM_PREFIX}

    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    mine = FlagFilter(label=_("My deals"), method="filter_mine")
    owner = IdListFilter(field_name="owner_id", label=_("Owner"), records=users_visible_to)
    team = IdListFilter(method="filter_team", label=_("Team"), records=teams_visible_to)
    tag = IdListFilter(method="filter_tag", label=_("Tag"), records=_tags)
    priority = ChoiceListFilter(label=_("Priority"), choices=Priority.choices)
    source = IdListFilter(field_name="source_id", label=_("Source"), records=_sources)
    expected_close_after = django_filters.DateFilter(
        label=_("Closing from"), field_name="expected_close_date", lookup_expr="gte", widget=DATE_INPUT
    )
    expected_close_before = django_filters.DateFilter(
        label=_("Closing until"), field_name="expected_close_date", lookup_expr="lte", widget=DATE_INPUT
    )
    pipeline = IdListFilter(field_name="pipeline_id", label=_("Pipeline"), records=_pipelines)
    stage = IdListFilter(field_name="stage_id", label=_("Stage"), records=_stages)
    status = ChoiceListFilter(label=_("Status"), choices=DealStatus.choices)
    health = ChoiceListFilter(label=_("Health"), choices=Health.choices)
    lead_grade = ChoiceListFilter(label=_("Lead grade"), choices=LeadGrade.choices)
    deal_type = ChoiceListFilter(label=_("Type"), choices=DealType.choices)
    forecast_category = ChoiceListFilter(label=_("Forecast category"), choices=ForecastCategory.choices)
    company = IdListFilter(
        field_name="company_id", label=_("Company"), records=companies_visible_to, selected_only=True
    )
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    class Meta:
        model = Deal
        fields: list[str] = []

    descriptions = {"q": _("Name, company name or external id"), "team": _("Team (with the teams below it)")}

    # The deal list's form (custom fields follow); `updated_since` is for API syncs.
    form_filters = (
        "q", "mine", "owner", "team", "tag", "priority", "source", "expected_close_after", "expected_close_before",
        "pipeline", "stage", "status", "health", "lead_grade", "deal_type", "forecast_category", "company",
    )  # fmt: skip
    # The board's form: the pipeline is chosen beside it, stages are its columns.
    BOARD_FILTERS = (
        "q", "mine", "owner", "team", "tag", "priority", "source", "expected_close_after", "expected_close_before",
        "company",
    )  # fmt: skip

    def filter_text(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(company__name__icontains=value) | Q(external_id=value))

    def filter_mine(self, queryset: QuerySet[Deal], name: str, value: bool) -> QuerySet[Deal]:
        if not value:
            return queryset
        reader = reader_of(self)
        return queryset.filter(owner=reader) if reader is not None else queryset.none()

    def filter_team(self, queryset: QuerySet[Deal], name: str, value: list[int]) -> QuerySet[Deal]:
        return queryset.filter(owner__team_id__in=team_tree_ids(value))

    def filter_tag(self, queryset: QuerySet[Deal], name: str, value: list[int]) -> QuerySet[Deal]:
        tagged = Deal.tags.through.objects.filter(deal_id=OuterRef("pk"), tag_id__in=value)
        return queryset.filter(Exists(tagged))

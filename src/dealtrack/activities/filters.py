"""The activity list's filters (web, API, exports). Give it `activities_visible_to(user)`; it only narrows."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import Activity
from dealtrack.core.filters import IdListFilter, MomentFilter, MomentRangeFilter


class ActivityFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("Type"))
    user = IdListFilter(field_name="user_id", label=_("By"))
    deal = IdListFilter(field_name="deal_id", label=_("Deal"))
    company = IdListFilter(field_name="company_id", label=_("Company"))
    contact = IdListFilter(field_name="contact_id", label=_("Contact"))
    occurred = MomentRangeFilter(field_name="occurred_at", label=_("When"))
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    class Meta:
        model = Activity
        fields: list[str] = []

"""The task list's filters (web, API, exports). Give it `tasks_visible_to(user)`; it only narrows."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dealtrack.core.filters import IdListFilter, MomentFilter, MomentRangeFilter
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task


class TaskFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    assignee = IdListFilter(field_name="assignee_id", label=_("Assignee"))
    deal = IdListFilter(field_name="deal_id", label=_("Deal"))
    company = IdListFilter(field_name="company_id", label=_("Company"))
    due = MomentRangeFilter(field_name="due_at", label=_("Due"))
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte", label=_("Changed since"))

    class Meta:
        model = Task
        fields: list[str] = []

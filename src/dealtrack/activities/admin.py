from django.contrib import admin

from dealtrack.activities.models import Activity, ActivityDayTotal
from dealtrack.core.admin import ReadOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject", "user", "deal", "occurred_at")
    list_filter = ("kind",)
    list_select_related = ("user", "deal")
    raw_id_fields = ("deal", "company", "contact", "user")


@admin.register(ActivityDayTotal)
class ActivityDayTotalAdmin(ReadOnlyAdmin):
    """Derived from the activities by `activities.totals`: to look at, not to edit."""

    list_display = ("day", "user", "pipeline", "dimension", "kind", "previous_day", "count")
    list_filter = ("dimension", "kind")
    list_select_related = ("user", "pipeline")

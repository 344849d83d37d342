from django.contrib import admin

from dealtrack.activities.models import Activity, ActivityDayTotal


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject", "user", "deal", "occurred_at")
    list_filter = ("kind",)
    list_select_related = ("user", "deal")
    raw_id_fields = ("deal", "company", "contact", "user")


@admin.register(ActivityDayTotal)
class ActivityDayTotalAdmin(admin.ModelAdmin):
    """Derived from the activities by `activities.totals`: to look at, not to edit."""

    list_display = ("day", "user", "pipeline", "dimension", "kind", "previous_day", "count")
    list_filter = ("dimension", "kind")
    list_select_related = ("user", "pipeline")

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

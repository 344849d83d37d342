from django.contrib import admin

from dealtrack.reports.models import PipelineSnapshot, SnapshotDay, SnapshotTotal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Snapshots are written by the nightly job only (their totals with them); here they can be looked at."""

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(SnapshotDay)
class SnapshotDayAdmin(ReadOnlyAdmin):
    list_display = ("day",)


@admin.register(PipelineSnapshot)
class PipelineSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("day", "deal", "pipeline", "stage", "owner", "value_base", "forecast_category")
    list_filter = ("day",)
    raw_id_fields = ("deal",)
    list_select_related = ("deal", "pipeline", "stage", "owner")


@admin.register(SnapshotTotal)
class SnapshotTotalAdmin(ReadOnlyAdmin):
    list_display = ("day", "owner", "pipeline", "forecast_category", "close_month", "deal_count", "value")
    list_filter = ("day", "forecast_category")
    list_select_related = ("owner", "pipeline")

from django.contrib import admin

from dealtrack.core.admin import ReadOnlyAdmin
from dealtrack.reports.models import PipelineSnapshot, SnapshotDay, SnapshotTotal


# Snapshots are written by the nightly job only (their totals with them); here they can be looked at.
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

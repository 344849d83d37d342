from django.contrib import admin
from django.http import HttpRequest

from dealtrack.core.admin import ReadOnlyAdmin
from dealtrack.deals.models import (
    DayTotal,
    Deal,
    DealCollaborator,
    DealEvent,
    DealLineItem,
    LostReason,
    Product,
    Source,
    StageDayTotal,
    StageVisit,
    Tag,
)


class LineItemInline(admin.TabularInline):
    model = DealLineItem
    extra = 0
    raw_id_fields = ("product",)


class CollaboratorInline(admin.TabularInline):
    model = DealCollaborator
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    """Browsing and light corrections. Stage, owner, status and every field the reports total belong to
    the services, and so does deleting (the deal list's bulk delete, through `delete_deals`, which keeps
    the daily, stage, activity and snapshot totals exact)."""

    list_display = ("name", "company", "owner", "pipeline", "stage", "status", "value", "currency", "health")
    list_filter = ("pipeline", "status", "health", "priority")
    search_fields = ("name", "external_id")
    list_select_related = ("company", "owner", "pipeline", "stage")
    raw_id_fields = ("company", "primary_contact", "owner", "created_by")
    readonly_fields = (
        "pipeline",
        "stage",
        "status",
        "closed_at",
        "owner",
        "value_base",
        "version",
        "stage_entered_at",
        "last_activity_at",
        "source",
        "deal_type",
        "lost_reason",
    )
    inlines = [LineItemInline, CollaboratorInline]

    def has_delete_permission(self, request: HttpRequest, obj: Deal | None = None) -> bool:
        return False


@admin.register(DealEvent)
class DealEventAdmin(ReadOnlyAdmin):
    """The event log is append-only: nothing here can be added, changed or deleted."""

    list_display = ("deal", "type", "actor", "occurred_at", "from_stage", "to_stage")
    list_filter = ("type",)
    list_select_related = ("deal", "actor", "from_stage", "to_stage")
    raw_id_fields = ("deal",)


@admin.register(StageVisit)
class StageVisitAdmin(DealEventAdmin):
    """Derived from the event log by `deals.stage_visits`: read-only like the log itself."""

    list_display = ("deal", "stage", "entered_at", "left_at", "seconds", "moved_on")
    list_filter = ("moved_on",)
    list_select_related = ("deal", "stage")


@admin.register(DayTotal)
class DayTotalAdmin(ReadOnlyAdmin):
    """Derived from the deals by `deals.day_totals`: read-only like the event log."""

    list_display = ("day", "owner", "pipeline", "dimension", "created_count", "won_count", "won_value", "lost_count")
    list_filter = ("dimension", "pipeline")
    list_select_related = ("owner", "pipeline")


@admin.register(StageDayTotal)
class StageDayTotalAdmin(ReadOnlyAdmin):
    """Derived from the stage visits by `deals.stage_totals`: read-only like the event log."""

    list_display = ("day", "stage", "owner", "kind", "previous_day", "visits", "moved_on", "seconds")
    list_filter = ("kind",)
    list_select_related = ("stage", "owner")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Sources are switched off (`is_active`), not deleted: deleting one would clear it on its deals behind
    `Deal.save`, leaving the daily totals by source counting deals that no longer carry it."""

    list_display = ("name", "position", "is_active")

    def has_delete_permission(self, request: HttpRequest, obj: Source | None = None) -> bool:
        return False


for model in (LostReason, Tag, Product, DealLineItem, DealCollaborator):
    admin.site.register(model)

from django.contrib import admin

from dealtrack.api.models import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """Stored first answers to POSTs with an Idempotency-Key; purged daily. Read-only."""

    list_display = ("key", "user", "status_code", "created_at")
    list_select_related = ("user",)

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

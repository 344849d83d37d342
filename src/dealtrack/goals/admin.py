from django.contrib import admin

from dealtrack.goals.models import Quota


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    """Browsing only: quotas are set through `goals.services.set_quota` (the Goals page)."""

    list_display = ("year", "owner", "team", "metric", "target")
    list_filter = ("year", "metric")

    def has_add_permission(self, request):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

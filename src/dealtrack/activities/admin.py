from django.contrib import admin

from dealtrack.activities.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject", "user", "deal", "occurred_at")
    list_filter = ("kind",)
    list_select_related = ("user", "deal")
    raw_id_fields = ("deal", "company", "contact", "user")

from django.contrib import admin

from dealtrack.tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "assignee", "deal", "due_at", "status")
    list_filter = ("status",)
    list_select_related = ("assignee", "deal")
    raw_id_fields = ("deal", "company", "assignee", "created_by")

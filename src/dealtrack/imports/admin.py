from django.contrib import admin

from dealtrack.imports.models import ImportJob, MappingPreset


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Import history; jobs are created and run from the Import pages or `dealtrack import`."""

    list_display = ("id", "original_name", "entity", "status", "created_by", "created_at")
    list_filter = ("entity", "status")
    list_select_related = ("created_by",)

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(MappingPreset)
class MappingPresetAdmin(admin.ModelAdmin):
    list_display = ("name", "entity", "created_by", "created_at")
    list_filter = ("entity",)

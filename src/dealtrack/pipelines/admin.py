from django.contrib import admin

from dealtrack.pipelines.models import Pipeline, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "is_default", "is_archived")
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("name", "pipeline", "position", "kind", "probability", "rotting_days")
    list_filter = ("pipeline", "kind")

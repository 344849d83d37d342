from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import Currency, CustomFieldDefinition, PeriodicJobRun, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Dealtrack"), {"fields": ("display_name", "role", "team", "language", "phone")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "manager", "parent")
    search_fields = ("name",)


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rate_to_base")


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ("label", "entity", "key", "field_type", "required", "position")
    list_filter = ("entity", "field_type")


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(admin.ModelAdmin):
    list_display = ("job", "period", "enqueued_at")
    list_filter = ("job",)

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

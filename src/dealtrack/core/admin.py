from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from dealtrack.core.models import ApiToken, Currency, CustomFieldDefinition, PeriodicJobRun, SavedView, Team, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows only the application writes (the event log, derived totals, snapshots): to look at in the
    admin, never to add, change or delete there, as that would leave what is derived from them wrong."""

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner (profile page or `dealtrack token create`); here only listed."""

    list_display = ("prefix", "user", "name", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    readonly_fields = ("user", "prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "list_key", "owner", "shared")
    list_filter = ("list_key", "shared")
    list_select_related = ("owner",)

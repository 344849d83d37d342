from django.contrib import admin

from dealtrack.customers.models import Company, Contact


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "region", "owner")
    search_fields = ("name", "external_id")
    list_select_related = ("owner",)
    raw_id_fields = ("parent", "owner")
    readonly_fields = ("normalised_name",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "title", "phone", "email", "owner")
    search_fields = ("name", "email", "phone")
    list_select_related = ("company", "owner")
    raw_id_fields = ("company", "owner")

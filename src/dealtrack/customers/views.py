"""Companies and contacts: lists with search and filters, detail pages with their deals, contacts and timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealtrack.activities.forms import ActivityForm
from dealtrack.activities.queries import activities_visible_to
from dealtrack.core.exceptions import StaleVersionError
from dealtrack.core.form_fields import add_service_errors
from dealtrack.core.templatetags.dealtrack_format import day
from dealtrack.core.views.lists import ListColumn, ListDefinition, list_page
from dealtrack.customers import services
from dealtrack.customers.columns import company_column
from dealtrack.customers.company_names import company_for_name
from dealtrack.customers.filters import CompanyFilterSet, ContactFilterSet
from dealtrack.customers.forms import CompanyForm, ContactForm
from dealtrack.customers.models import Company, Contact
from dealtrack.customers.queries import (
    companies_visible_to,
    contacts_visible_to,
    get_company_for,
    get_contact_for,
)
from dealtrack.deals.queries import deals_visible_to

RELATED_LIMIT = 50


def company_columns() -> list[ListColumn]:
    return [
        ListColumn(
            "name",
            gettext_lazy("Name"),
            lambda c: c.name,
            sort="name",
            link=lambda c: reverse("customers:company_detail", args=[c.pk]),
        ),
        ListColumn("industry", gettext_lazy("Industry"), lambda c: c.industry, sort="industry"),
        ListColumn("size", gettext_lazy("Size"), lambda c: c.get_size_display(), sort="size"),
        ListColumn("region", gettext_lazy("Region"), lambda c: c.region, sort="region"),
        ListColumn("phone", gettext_lazy("Phone"), lambda c: c.phone),
        ListColumn("website", gettext_lazy("Website"), lambda c: c.website),
        ListColumn(
            "owner",
            gettext_lazy("Owner"),
            lambda c: c.owner.name if c.owner else "",
            sort="owner__username",
            nullable=True,
        ),
        ListColumn(
            "created_at",
            gettext_lazy("Created on"),
            lambda c: day(c.created_at),
            export=lambda c: c.created_at,
            sort="created_at",
        ),
    ]


def contact_columns() -> list[ListColumn]:
    return [
        ListColumn(
            "name",
            gettext_lazy("Name"),
            lambda c: c.name,
            sort="name",
            link=lambda c: reverse("customers:contact_detail", args=[c.pk]),
        ),
        company_column(),
        ListColumn("title", gettext_lazy("Title"), lambda c: c.title, sort="title"),
        ListColumn("phone", gettext_lazy("Phone"), lambda c: c.phone or c.mobile),
        ListColumn("email", gettext_lazy("E-mail"), lambda c: c.email, sort="email"),
        ListColumn("wechat", gettext_lazy("WeChat id"), lambda c: c.wechat),
        ListColumn(
            "owner",
            gettext_lazy("Owner"),
            lambda c: c.owner.name if c.owner else "",
            sort="owner__username",
            nullable=True,
        ),
    ]


COMPANY_LIST = ListDefinition(
    key="companies",
    title=gettext_lazy("Companies"),
    rows=companies_visible_to,
    filterset_class=CompanyFilterSet,
    columns=company_columns,
    default_columns=("name", "industry", "region", "size", "owner"),
    default_sort="name",
    template="customers/company_list.html",
    prepare=lambda qs: qs.select_related("owner"),
)
CONTACT_LIST = ListDefinition(
    key="contacts",
    title=gettext_lazy("Contacts"),
    rows=contacts_visible_to,
    filterset_class=ContactFilterSet,
    columns=contact_columns,
    default_columns=("name", "company", "title", "phone", "email", "owner"),
    default_sort="name",
    template="customers/contact_list.html",
    prepare=lambda qs: qs.select_related("owner", "company"),
)


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, COMPANY_LIST)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, CONTACT_LIST)


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_company_for(request.user, pk)
    deals = deals_visible_to(request.user).filter(company=company)
    summary = deals.order_by().values("status").annotate(count=Count("id"), total=Sum("value_base"))
    context = {
        "company": company,
        "deals": list(deals.select_related("stage", "owner").order_by("-created_at", "-id")[:RELATED_LIMIT]),
        "deal_summary": {row["status"]: row for row in summary},
        "contacts": list(contacts_visible_to(request.user).filter(company=company)[:RELATED_LIMIT]),
        "activities": list(
            activities_visible_to(request.user)
            .filter(company=company)
            .select_related("user", "deal", "contact")
            .order_by("-occurred_at", "-id")[:RELATED_LIMIT]
        ),
        "subsidiaries": list(companies_visible_to(request.user).filter(parent=company)[:RELATED_LIMIT]),
        "activity_form": ActivityForm(),
        "custom_values": _custom_values(CompanyForm(company=company), company.custom),
    }
    return render(request, "customers/company_detail.html", context)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk)
    context = {
        "contact": contact,
        "deals": list(
            deals_visible_to(request.user)
            .filter(primary_contact=contact)
            .select_related("stage", "owner")
            .order_by("-created_at", "-id")[:RELATED_LIMIT]
        ),
        "activities": list(
            activities_visible_to(request.user)
            .filter(contact=contact)
            .select_related("user", "deal")
            .order_by("-occurred_at", "-id")[:RELATED_LIMIT]
        ),
        "activity_form": ActivityForm(),
        "custom_values": _custom_values(ContactForm(contact=contact), contact.custom),
    }
    return render(request, "customers/contact_detail.html", context)


def _custom_values(form: Any, custom: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(d.label, custom.get(d.key)) for d in form.custom_definitions]


def _save(
    request: HttpRequest, form_class: type, instance: Company | Contact | None, template: str, kind: str
) -> HttpResponse:
    """Create or edit a company/contact; stale edits keep the input and say someone else saved first."""
    key = "company" if kind == "company" else "contact"
    form = form_class(request.POST or None, **{key: instance})
    version = request.POST.get("version") or (instance.version if instance else None)
    stale = ""
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if kind == "contact":
                values["company"] = company_for_name(request.user, form.cleaned_data.get("company_name", ""))
            if instance is None:
                create = services.create_company if kind == "company" else services.create_contact
                saved = create(actor=request.user, **values)
            elif kind == "company":
                saved = services.update_company(company=instance, actor=request.user, changes=values, version=version)
            else:
                saved = services.update_contact(contact=instance, actor=request.user, changes=values, version=version)
        except StaleVersionError as exc:
            stale = str(exc)
            version = type(instance).objects.get(pk=instance.pk).version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"customers:{kind}_detail", pk=saved.pk)
    return render(
        request, template, {"form": form, "instance": instance, "version": version, "stale": stale, "kind": kind}
    )


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    return _save(request, CompanyForm, None, "customers/edit.html", "company")


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, CompanyForm, get_company_for(request.user, pk), "customers/edit.html", "company")


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    return _save(request, ContactForm, None, "customers/edit.html", "contact")


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, ContactForm, get_contact_for(request.user, pk), "customers/edit.html", "contact")

"""API: companies and contacts, read through the visibility queries and written through the customer services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from dealtrack.api.auth import current_user
from dealtrack.api.concurrency import expected_version, set_etag
from dealtrack.api.inputs import Id, text
from dealtrack.api.list_params import apply_filters, list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.problems import Problem
from dealtrack.api.references import provided, visible_or_error
from dealtrack.core.models import User
from dealtrack.core.queries import users_visible_to
from dealtrack.customers import services
from dealtrack.customers.choices import CompanySize
from dealtrack.customers.filters import CompanyFilterSet, ContactFilterSet
from dealtrack.customers.models import Company, Contact
from dealtrack.customers.queries import (
    companies_visible_to,
    contacts_visible_to,
    get_company_for,
    get_contact_for,
)

router = Router()

VERSIONED_WRITE = {409: Problem, 428: Problem}


class CompanyOut(Schema):
    id: int
    external_id: str
    name: str
    industry: str
    size: CompanySize | None
    region: str
    parent: int | None = Field(validation_alias="parent_id")
    website: str
    phone: str
    address: str
    owner: int | None = Field(validation_alias="owner_id")
    custom: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_size(company: Company) -> str | None:
        return company.size or None


class CompanyFields(Schema):
    model_config = ConfigDict(extra="forbid")

    external_id: text(100) = ""  # type: ignore[valid-type]
    industry: text(100) = ""  # type: ignore[valid-type]
    size: CompanySize | None = None
    region: text(100) = ""  # type: ignore[valid-type]
    parent: Id | None = Field(None, description="Parent company id")
    website: text(200) = ""  # type: ignore[valid-type]
    phone: text(50) = ""  # type: ignore[valid-type]
    address: text(300) = ""  # type: ignore[valid-type]
    owner: Id | None = Field(None, description="Owner's user id (default: the caller)")
    custom: dict[str, Any] = Field(default_factory=dict, description="Values by custom field key")


class CompanyIn(CompanyFields):
    name: text(200)  # type: ignore[valid-type]


class CompanyPatch(CompanyFields):
    name: text(200) | None = None  # type: ignore[valid-type]
    version: Id | None = Field(None, description="The version you read (or send If-Match)")


class ContactOut(Schema):
    id: int
    external_id: str
    name: str
    company: int | None = Field(validation_alias="company_id")
    title: str
    phone: str
    mobile: str
    email: str
    wechat: str
    owner: int | None = Field(validation_alias="owner_id")
    custom: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactFields(Schema):
    model_config = ConfigDict(extra="forbid")

    external_id: text(100) = ""  # type: ignore[valid-type]
    company: Id | None = Field(None, description="Company id")
    title: text(100) = ""  # type: ignore[valid-type]
    phone: text(50) = ""  # type: ignore[valid-type]
    mobile: text(50) = ""  # type: ignore[valid-type]
    email: text(254) = ""  # type: ignore[valid-type]
    wechat: text(100) = ""  # type: ignore[valid-type]
    owner: Id | None = Field(None, description="Owner's user id (default: the caller)")
    custom: dict[str, Any] = Field(default_factory=dict, description="Values by custom field key")


class ContactIn(ContactFields):
    name: text(150)  # type: ignore[valid-type]


class ContactPatch(ContactFields):
    name: text(150) | None = None  # type: ignore[valid-type]
    version: Id | None = Field(None, description="The version you read (or send If-Match)")


CompanyPage = page_schema(CompanyOut, "CompanyPage")
ContactPage = page_schema(ContactOut, "ContactPage")
ORDERINGS = {"name": "name", "created_at": "created_at", "updated_at": "updated_at", "id": "id"}
CompanyListParams = list_params(
    "CompanyListParams", filterset=CompanyFilterSet, orderings=ORDERINGS, default_order="name"
)
ContactListParams = list_params(
    "ContactListParams", filterset=ContactFilterSet, orderings=ORDERINGS, default_order="name"
)


def _company_values(user: User, fields: dict[str, Any]) -> dict[str, Any]:
    """Body fields as the service takes them: referenced ids become records the caller can see."""
    values = dict(fields)
    if "parent" in values:
        values["parent"] = visible_or_error(companies_visible_to(user), values["parent"], "parent")
    if "owner" in values:
        values["owner"] = visible_or_error(users_visible_to(user), values["owner"], "owner") or user
    if values.get("size") is None and "size" in values:
        values["size"] = ""
    return values


def _contact_values(user: User, fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    if "company" in values:
        values["company"] = visible_or_error(companies_visible_to(user), values["company"], "company")
    if "owner" in values:
        values["owner"] = visible_or_error(users_visible_to(user), values["owner"], "owner") or user
    return values


@router.get("/companies", response=CompanyPage, tags=["companies"], summary="List companies")
def list_companies(request: HttpRequest, params: Query[CompanyListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    companies = apply_filters(CompanyFilterSet, request, companies_visible_to(current_user(request)))
    return page(request, companies, params, ORDERINGS)


@router.get("/companies/{company_id}", response=CompanyOut, tags=["companies"], url_name="company")
def get_company(request: HttpRequest, company_id: Id, response: HttpResponse) -> Company:
    """One company; the `ETag` header carries its version."""
    company = get_company_for(current_user(request), company_id)
    set_etag(response, company.version)
    return company


@router.post("/companies", response={201: CompanyOut}, tags=["companies"], summary="Create a company")
def create_company(request: HttpRequest, payload: CompanyIn, response: HttpResponse) -> Status:
    user = current_user(request)
    values = _company_values(user, provided(payload))
    company = services.create_company(actor=user, **values)
    response["Location"] = reverse("api-v1:company", kwargs={"company_id": company.pk})
    set_etag(response, company.version)
    return Status(201, company)


@router.patch(
    "/companies/{company_id}",
    response={200: CompanyOut, **VERSIONED_WRITE},
    tags=["companies"],
    summary="Change a company",
)
def update_company(request: HttpRequest, company_id: Id, payload: CompanyPatch, response: HttpResponse) -> Company:
    """Only the fields sent change. Send the `version` you read (or If-Match); a stale one gets 409."""
    user = current_user(request)
    company = get_company_for(user, company_id)
    version = expected_version(request, payload.version)
    changes = _company_values(user, provided(payload, exclude={"version"}))
    company = services.update_company(company=company, actor=user, changes=changes, version=version)
    set_etag(response, company.version)
    return company


@router.get("/contacts", response=ContactPage, tags=["contacts"], summary="List contacts")
def list_contacts(request: HttpRequest, params: Query[ContactListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    contacts = apply_filters(ContactFilterSet, request, contacts_visible_to(current_user(request)))
    return page(request, contacts, params, ORDERINGS)


@router.get("/contacts/{contact_id}", response=ContactOut, tags=["contacts"], url_name="contact")
def get_contact(request: HttpRequest, contact_id: Id, response: HttpResponse) -> Contact:
    """One contact; the `ETag` header carries its version."""
    contact = get_contact_for(current_user(request), contact_id)
    set_etag(response, contact.version)
    return contact


@router.post("/contacts", response={201: ContactOut}, tags=["contacts"], summary="Create a contact")
def create_contact(request: HttpRequest, payload: ContactIn, response: HttpResponse) -> Status:
    user = current_user(request)
    values = _contact_values(user, provided(payload))
    contact = services.create_contact(actor=user, **values)
    response["Location"] = reverse("api-v1:contact", kwargs={"contact_id": contact.pk})
    set_etag(response, contact.version)
    return Status(201, contact)


@router.patch(
    "/contacts/{contact_id}",
    response={200: ContactOut, **VERSIONED_WRITE},
    tags=["contacts"],
    summary="Change a contact",
)
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch, response: HttpResponse) -> Contact:
    """Only the fields sent change. Send the `version` you read (or If-Match); a stale one gets 409."""
    user = current_user(request)
    contact = get_contact_for(user, contact_id)
    version = expected_version(request, payload.version)
    changes = _contact_values(user, provided(payload, exclude={"version"}))
    contact = services.update_contact(contact=contact, actor=user, changes=changes, version=version)
    set_etag(response, contact.version)
    return contact

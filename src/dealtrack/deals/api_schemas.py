"""The deal API's `…In`/`…Out` schemas, list parameters, and how a deal becomes a `DealOut`.

Relations are loaded with one flat query per kind for a whole page, and embedded records (`include=`) are
fetched through the caller's visibility queries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from dealtrack.api.inputs import Day, Id, text
from dealtrack.api.list_params import list_params
from dealtrack.api.pagination import page_schema
from dealtrack.api.problems import Problem
from dealtrack.core.models import User
from dealtrack.customers.api import CompanyOut, ContactOut
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals.choices import DealStatus, DealType, EventType, ForecastCategory, Health, LeadGrade, Priority
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.models import Deal, DealCollaborator, LostReason, Source

VERSIONED_WRITE = {409: Problem, 428: Problem}
Include = Literal["company", "contacts"]


class DealIncluded(Schema):
    """Related records asked for with `include=`; only those the caller can see."""

    company: CompanyOut | None = None
    contacts: list[ContactOut] | None = None


class DealOut(BaseModel):
    """A deal as the API shows it. Built from dicts (`deal_out`), which pydantic checks far faster than objects."""

    id: int
    external_id: str
    name: str
    company: int | None
    primary_contact: int | None
    contacts: list[int]
    owner: int
    collaborators: list[int]
    pipeline: int
    stage: int
    status: DealStatus
    value: Decimal
    currency: str
    value_base: Decimal = Field(description="The value in the base currency (CNY)")
    probability: int = Field(description="The override if set, else the stage's win probability")
    probability_override: int | None
    weighted_value: Decimal
    expected_close_date: dt.date | None
    closed_at: dt.datetime | None
    priority: Priority
    source: int | None
    lead_grade: LeadGrade | None
    deal_type: DealType
    next_step: str
    lost_reason: int | None
    lost_note: str
    tags: list[str]
    custom: dict[str, Any]
    health: Health
    forecast_category: ForecastCategory
    stage_entered_at: dt.datetime | None
    last_activity_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    included: DealIncluded | None = None


def deal_out(deal: Deal) -> dict[str, Any]:
    """The DealOut fields of a deal loaded by `with_relations` and `load_relations`."""
    return {
        "id": deal.pk,
        "external_id": deal.external_id,
        "name": deal.name,
        "company": deal.company_id,
        "primary_contact": deal.primary_contact_id,
        "contacts": deal.api_contacts,  # type: ignore[attr-defined]
        "owner": deal.owner_id,
        "collaborators": deal.api_collaborators,  # type: ignore[attr-defined]
        "pipeline": deal.pipeline_id,
        "stage": deal.stage_id,
        "status": deal.status,
        "value": deal.value,
        "currency": deal.currency,
        "value_base": deal.value_base,
        "probability": deal.probability,
        "probability_override": deal.probability_override,
        "weighted_value": deal.weighted_value,
        "expected_close_date": deal.expected_close_date,
        "closed_at": deal.closed_at,
        "priority": deal.priority,
        "source": deal.source_id,
        "lead_grade": deal.lead_grade or None,
        "deal_type": deal.deal_type,
        "next_step": deal.next_step,
        "lost_reason": deal.lost_reason_id,
        "lost_note": deal.lost_note,
        "tags": deal.api_tags,  # type: ignore[attr-defined]
        "custom": deal.custom,
        "health": deal.health,
        "forecast_category": deal.forecast_category,
        "stage_entered_at": deal.stage_entered_at,
        "last_activity_at": deal.last_activity_at,
        "created_at": deal.created_at,
        "updated_at": deal.updated_at,
        "version": deal.version,
        "included": getattr(deal, "api_included", None),
    }


class DealChanges(Schema):
    """Plain deal fields; stage, owner and status change through the action endpoints."""

    model_config = ConfigDict(extra="forbid")

    name: text(200) | None = None  # type: ignore[valid-type]
    company: Id | None = Field(None, description="Company id")
    primary_contact: Id | None = Field(None, description="Contact id")
    value: Decimal | None = Field(None, ge=0, description="Amount in `currency`")
    currency: text(3) | None = None  # type: ignore[valid-type]
    expected_close_date: Day | None = None
    priority: Priority | None = None
    source: Id | None = Field(None, description="Source id")
    lead_grade: LeadGrade | Literal[""] | None = None
    deal_type: DealType | None = None
    next_step: text(300) | None = None  # type: ignore[valid-type]
    probability_override: int | None = Field(None, ge=0, le=100)
    forecast_category: ForecastCategory | None = None
    custom: dict[str, Any] | None = Field(None, description='Values by custom field key; null or "" clears one')
    tags: list[text(50)] | None = Field(None, max_length=50, description="Tag names; unknown ones are created")  # type: ignore[valid-type]


class DealIn(DealChanges):
    name: text(200)  # type: ignore[valid-type]
    external_id: text(100) = ""  # type: ignore[valid-type]
    owner: Id | None = Field(None, description="Owner's user id (default: the caller)")
    pipeline: Id | None = Field(None, description="Pipeline id (default: the default pipeline, or the stage's)")
    stage: Id | None = Field(None, description="An open stage (default: the pipeline's first)")
    collaborators: list[Id] = Field(default_factory=list, max_length=50, description="User ids on the deal team")


class DealPatch(DealChanges):
    version: Id | None = Field(None, description="The version you read (or send If-Match)")


class Versioned(Schema):
    model_config = ConfigDict(extra="forbid")

    version: Id | None = Field(None, description="The version you read (or send If-Match)")


class MoveIn(Versioned):
    stage: Id = Field(description="A stage of the deal's pipeline; Won/Lost stages close the deal")
    values: DealChanges | None = Field(None, description="Fields to fill first (what the stage requires)")
    lost_reason: Id | None = Field(None, description="Required when moving to the Lost stage")
    lost_note: text(2000) = ""  # type: ignore[valid-type]


class LostIn(Versioned):
    reason: Id = Field(description="Lost reason id")
    note: text(2000) = ""  # type: ignore[valid-type]


class ReopenIn(Versioned):
    stage: Id | None = Field(None, description="Open stage to reopen into (default: where it was before closing)")


class ReassignIn(Versioned):
    owner: Id = Field(description="The new owner's user id")


class EventOut(Schema):
    id: int
    type: EventType
    actor: int | None = Field(validation_alias="actor_id")
    occurred_at: dt.datetime
    from_stage: int | None = Field(validation_alias="from_stage_id")
    to_stage: int | None = Field(validation_alias="to_stage_id")
    parameters: dict[str, Any]


class LookupOut(Schema):
    id: int
    name: str = Field(description="In the caller's language for shipped names")
    position: int
    is_active: bool

    @staticmethod
    def resolve_name(row: LostReason | Source) -> str:
        return str(row)


class TagOut(Schema):
    id: int
    name: str
    color: str


class ProductOut(Schema):
    id: int
    code: str
    name: str
    series: str
    price: Decimal
    currency: str
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


DealPage = page_schema(DealOut, "DealPage")
EventPage = page_schema(EventOut, "DealEventPage")
LookupPage = page_schema(LookupOut, "LookupPage")
TagPage = page_schema(TagOut, "TagPage")
ProductPage = page_schema(ProductOut, "ProductPage")

DEAL_ORDERINGS = {
    "created_at": "created_at",
    "updated_at": "updated_at",
    "value": "value_base",
    "expected_close_date": "expected_close_date",
    "name": "name",
    "id": "id",
}
INCLUDE_PARAM = (list[Include], Field(default_factory=list, max_length=2, description="Embed related records"))
DealListParams = list_params(
    "DealListParams",
    filterset=DealFilterSet,
    orderings=DEAL_ORDERINGS,
    default_order="-created_at",
    extra={"include": INCLUDE_PARAM},
)
EVENT_ORDERINGS = {"occurred_at": "occurred_at", "id": "id"}
EventListParams = list_params(
    "DealEventListParams", filterset=None, orderings=EVENT_ORDERINGS, default_order="-occurred_at"
)
LOOKUP_ORDERINGS = {"position": "position", "id": "id"}
LookupListParams = list_params(
    "LookupListParams",
    filterset=None,
    orderings=LOOKUP_ORDERINGS,
    default_order="position",
    extra={"active": (bool | None, Field(None, description="Only active (true) or retired (false) ones"))},
)
NAME_ORDERINGS = {"name": "name", "id": "id"}
TagListParams = list_params("TagListParams", filterset=None, orderings=NAME_ORDERINGS, default_order="name")
ProductListParams = list_params(
    "ProductListParams",
    filterset=None,
    orderings={**NAME_ORDERINGS, "updated_at": "updated_at"},
    default_order="name",
    extra={"active": (bool | None, Field(None, description="Only active (true) or retired (false) ones"))},
)


class IncludeParams(Schema):
    include: list[Include] = Field(default_factory=list, max_length=2, description="Embed related records")


def with_relations(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    # The stage gives the probability; its JSON columns are not needed here, and decoding them costs.
    return deals.select_related("stage").defer("stage__required_fields", "stage__checklist")


def load_relations(deals: list[Deal]) -> list[Deal]:
    """Fill each deal's contacts, collaborators and tags with one flat query each.

    Cheaper than prefetch_related, which builds a queryset per deal to cache its rows.
    """
    ids = [deal.pk for deal in deals]
    contacts: dict[int, list[int]] = {pk: [] for pk in ids}
    collaborators: dict[int, list[int]] = {pk: [] for pk in ids}
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    if ids:
        links = Deal.contacts.through.objects.filter(deal_id__in=ids).order_by("contact_id")
        for deal_id, contact_id in links.values_list("deal_id", "contact_id"):
            contacts[deal_id].append(contact_id)
        team = DealCollaborator.objects.filter(deal_id__in=ids).order_by("added_at", "id")
        for deal_id, user_id in team.values_list("deal_id", "user_id"):
            collaborators[deal_id].append(user_id)
        tagged = Deal.tags.through.objects.filter(deal_id__in=ids).order_by("tag__name")
        for deal_id, name in tagged.values_list("deal_id", "tag__name"):
            tags[deal_id].append(name)
    for deal in deals:
        deal.api_contacts = contacts[deal.pk]  # type: ignore[attr-defined]
        deal.api_collaborators = collaborators[deal.pk]  # type: ignore[attr-defined]
        deal.api_tags = tags[deal.pk]  # type: ignore[attr-defined]
    return deals


def attach_included(user: User, deals: list[Deal], include: list[str]) -> None:
    """Embed the requested related records, each fetched through the caller's visibility (one query per kind)."""
    if not include:
        return
    companies: dict[int, Any] = {}
    contacts: dict[int, Any] = {}
    if "company" in include:
        ids = {deal.company_id for deal in deals if deal.company_id}
        companies = {c.pk: c for c in companies_visible_to(user).filter(pk__in=ids)}
    if "contacts" in include:
        ids = {pk for deal in deals for pk in deal.api_contacts} | {  # type: ignore[attr-defined]
            deal.primary_contact_id for deal in deals if deal.primary_contact_id
        }
        contacts = {c.pk: c for c in contacts_visible_to(user).filter(pk__in=ids)}
    for deal in deals:
        included: dict[str, Any] = {}
        if "company" in include:
            included["company"] = companies.get(deal.company_id) if deal.company_id else None
        if "contacts" in include:
            wanted = dict.fromkeys([deal.primary_contact_id, *deal.api_contacts])  # type: ignore[attr-defined]
            included["contacts"] = [contacts[pk] for pk in wanted if pk in contacts]
        deal.api_included = included  # type: ignore[attr-defined]

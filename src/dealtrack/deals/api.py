"""API: deals (list, read, create, change, move, win, lose, reopen, reassign, event log) and deal lookups.

Every read starts from `deals_visible_to`; every write is one call to a `deals.services` function. Ids in a body
are resolved through the visibility queries first, so a deal can never be pointed at a record the caller
cannot see.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import BaseModel, ConfigDict, Field

from dealtrack.api.auth import current_user
from dealtrack.api.concurrency import expected_version, set_etag
from dealtrack.api.inputs import Day, Id, text
from dealtrack.api.list_params import apply_filters, list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.problems import Problem, not_found
from dealtrack.api.references import all_visible_or_error, get_or_404, provided, visible_or_error
from dealtrack.core.models import User
from dealtrack.core.queries import users_visible_to
from dealtrack.customers.api import CompanyOut, ContactOut
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals import services
from dealtrack.deals.choices import DealStatus, DealType, EventType, ForecastCategory, Health, LeadGrade, Priority
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.models import Deal, DealCollaborator, DealEvent, LostReason, Product, Source, Tag
from dealtrack.deals.queries import deal_events, deals_visible_to, get_deal_for
from dealtrack.pipelines.models import Pipeline, Stage

router = Router()

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
    """The DealOut fields of a deal loaded by `_with_relations` and `_load_relations`."""
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


def _with_relations(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    # The stage gives the probability; its JSON columns are not needed here, and decoding them costs.
    return deals.select_related("stage").defer("stage__required_fields", "stage__checklist")


def _load_relations(deals: list[Deal]) -> list[Deal]:
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


def _attach_included(user: User, deals: list[Deal], include: list[str]) -> None:
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


def _deal(user: User, deal_id: int) -> Deal:
    """A visible deal with what DealOut needs, or 404."""
    deal = _with_relations(deals_visible_to(user).filter(pk=deal_id)).first()
    if deal is None:
        raise not_found()
    return _load_relations([deal])[0]


def _answer(response: HttpResponse, user: User, deal: Deal) -> dict[str, Any]:
    """The deal as stored now, with its ETag."""
    fresh = _load_relations([_with_relations(Deal.objects.filter(pk=deal.pk)).get()])[0]
    set_etag(response, fresh.version)
    return deal_out(fresh)


def _deal_values(user: User, fields: dict[str, Any]) -> dict[str, Any]:
    """Body fields as the services take them: ids become records the caller may see."""
    values = dict(fields)
    if "company" in values:
        values["company"] = visible_or_error(companies_visible_to(user), values["company"], "company")
    if "primary_contact" in values:
        values["primary_contact"] = visible_or_error(
            contacts_visible_to(user), values["primary_contact"], "primary_contact"
        )
    if "source" in values:
        values["source"] = visible_or_error(Source.objects.all(), values["source"], "source")
    return values  # nulls for other fields go to the service, which clears or refuses them as the web form does


@router.get("/deals", response=DealPage, tags=["deals"], summary="List deals")
def list_deals(request: HttpRequest, params: Query[DealListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    """Filters as the web list; `updated_since` with `order=updated_at` for incremental sync."""
    user = current_user(request)
    deals = apply_filters(DealFilterSet, request, deals_visible_to(user))
    result = page(request, _with_relations(deals), params, DEAL_ORDERINGS)
    _load_relations(result["results"])
    _attach_included(user, result["results"], params.include)
    result["results"] = [deal_out(deal) for deal in result["results"]]
    return result


@router.get("/deals/{deal_id}", response=DealOut, tags=["deals"], url_name="deal", summary="One deal")
def get_deal(request: HttpRequest, deal_id: Id, params: Query[IncludeParams], response: HttpResponse) -> dict[str, Any]:
    """The `ETag` header carries the version to send back with a change."""
    user = current_user(request)
    deal = _deal(user, deal_id)
    _attach_included(user, [deal], params.include)
    set_etag(response, deal.version)
    return deal_out(deal)


@router.post("/deals", response={201: DealOut}, tags=["deals"], summary="Create a deal")
def create_deal(request: HttpRequest, payload: DealIn, response: HttpResponse) -> Status:
    user = current_user(request)
    fields = provided(payload)
    owner = visible_or_error(users_visible_to(user), fields.pop("owner", None), "owner") or user
    pipeline = visible_or_error(Pipeline.objects.all(), fields.pop("pipeline", None), "pipeline")
    stage = visible_or_error(Stage.objects.select_related("pipeline"), fields.pop("stage", None), "stage")
    collaborators = all_visible_or_error(users_visible_to(user), fields.pop("collaborators", []), "collaborators")
    values = _deal_values(user, fields)
    deal = services.create_deal(
        actor=user,
        owner=owner,
        pipeline=pipeline,
        stage=stage,
        collaborators=collaborators,
        tags=values.pop("tags", None) or (),
        **values,
    )
    response["Location"] = reverse("api-v1:deal", kwargs={"deal_id": deal.pk})
    return Status(201, _answer(response, user, deal))


@router.patch("/deals/{deal_id}", response={200: DealOut, **VERSIONED_WRITE}, tags=["deals"], summary="Change a deal")
def update_deal(request: HttpRequest, deal_id: Id, payload: DealPatch, response: HttpResponse) -> dict[str, Any]:
    """Only the fields sent change. Send the `version` you read (or If-Match); a stale one gets 409."""
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    changes = _deal_values(user, provided(payload, exclude={"version"}))
    deal = services.update_deal(deal=deal, actor=user, changes=changes, version=version)
    return _answer(response, user, deal)


@router.post(
    "/deals/{deal_id}/move",
    response={200: DealOut, **VERSIONED_WRITE},
    tags=["deals"],
    summary="Move a deal to a stage",
)
def move_deal(request: HttpRequest, deal_id: Id, payload: MoveIn, response: HttpResponse) -> dict[str, Any]:
    """Fills `values` first; a stage's required fields still missing answer 422 `missing_required_fields`."""
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    stage = visible_or_error(Stage.objects.all(), payload.stage, "stage")
    reason = visible_or_error(LostReason.objects.all(), payload.lost_reason, "lost_reason")
    values = _deal_values(user, provided(payload.values)) if payload.values else None
    deal = services.move_deal_to_stage(
        deal=deal,
        stage=stage,  # type: ignore[arg-type]
        actor=user,
        values=values,
        lost_reason=reason,
        lost_note=payload.lost_note,
        version=version,
    )
    return _answer(response, user, deal)


@router.post(
    "/deals/{deal_id}/won", response={200: DealOut, **VERSIONED_WRITE}, tags=["deals"], summary="Mark a deal won"
)
def mark_won(request: HttpRequest, deal_id: Id, payload: Versioned, response: HttpResponse) -> dict[str, Any]:
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    deal = services.mark_deal_won(deal=deal, actor=user, version=version)
    return _answer(response, user, deal)


@router.post(
    "/deals/{deal_id}/lost", response={200: DealOut, **VERSIONED_WRITE}, tags=["deals"], summary="Mark a deal lost"
)
def mark_lost(request: HttpRequest, deal_id: Id, payload: LostIn, response: HttpResponse) -> dict[str, Any]:
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    reason = visible_or_error(LostReason.objects.all(), payload.reason, "reason")
    deal = services.mark_deal_lost(deal=deal, actor=user, reason=reason, note=payload.note, version=version)
    return _answer(response, user, deal)


@router.post(
    "/deals/{deal_id}/reopen",
    response={200: DealOut, **VERSIONED_WRITE},
    tags=["deals"],
    summary="Reopen a won or lost deal",
)
def reopen(request: HttpRequest, deal_id: Id, payload: ReopenIn, response: HttpResponse) -> dict[str, Any]:
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    stage = visible_or_error(Stage.objects.filter(pipeline_id=deal.pipeline_id), payload.stage, "stage")
    deal = services.reopen_deal(deal=deal, actor=user, stage=stage, version=version)
    return _answer(response, user, deal)


@router.post(
    "/deals/{deal_id}/reassign",
    response={200: DealOut, **VERSIONED_WRITE},
    tags=["deals"],
    summary="Give a deal to another owner",
)
def reassign(request: HttpRequest, deal_id: Id, payload: ReassignIn, response: HttpResponse) -> dict[str, Any]:
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    version = expected_version(request, payload.version)
    owner = visible_or_error(users_visible_to(user), payload.owner, "owner")
    deal = services.reassign_deal(deal=deal, actor=user, owner=owner, version=version)  # type: ignore[arg-type]
    return _answer(response, user, deal)


@router.get("/deals/{deal_id}/events", response=EventPage, tags=["deals"], summary="A deal's event log")
def list_deal_events(request: HttpRequest, deal_id: Id, params: Query[EventListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    user = current_user(request)
    deal = get_deal_for(user, deal_id)
    events: QuerySet[DealEvent] = deal_events(user, deal)
    return page(request, events, params, EVENT_ORDERINGS)


@router.get("/lost-reasons", response=LookupPage, tags=["lookups"], summary="Lost reasons")
def list_lost_reasons(request: HttpRequest, params: Query[LookupListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    reasons = LostReason.objects.all()
    if params.active is not None:
        reasons = reasons.filter(is_active=params.active)
    return page(request, reasons, params, LOOKUP_ORDERINGS)


@router.get("/sources", response=LookupPage, tags=["lookups"], summary="Lead sources")
def list_sources(request: HttpRequest, params: Query[LookupListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    sources = Source.objects.all()
    if params.active is not None:
        sources = sources.filter(is_active=params.active)
    return page(request, sources, params, LOOKUP_ORDERINGS)


@router.get("/tags", response=TagPage, tags=["lookups"], summary="Tags")
def list_tags(request: HttpRequest, params: Query[TagListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    return page(request, Tag.objects.all(), params, NAME_ORDERINGS)


@router.get("/products", response=ProductPage, tags=["lookups"], summary="Products")
def list_products(request: HttpRequest, params: Query[ProductListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    products = Product.objects.all()
    if params.active is not None:
        products = products.filter(is_active=params.active)
    return page(request, products, params, {**NAME_ORDERINGS, "updated_at": "updated_at"})


@router.get("/products/{product_id}", response=ProductOut, tags=["lookups"], summary="One product")
def get_product(request: HttpRequest, product_id: Id) -> Product:
    return get_or_404(Product.objects.all(), product_id)

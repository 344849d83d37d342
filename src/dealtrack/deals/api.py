"""API: deals (list, read, create, change, move, win, lose, reopen, reassign, event log) and deal lookups.

Every read starts from `deals_visible_to`; every write is one call to a `deals.services` function. Ids in a body
are resolved through the visibility queries first, so a deal can never be pointed at a record the caller
cannot see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.responses import Status

from dealtrack.api.auth import current_user
from dealtrack.api.concurrency import expected_version, set_etag
from dealtrack.api.inputs import Id
from dealtrack.api.list_params import apply_filters
from dealtrack.api.pagination import page
from dealtrack.api.problems import not_found
from dealtrack.api.references import all_visible_or_error, get_or_404, provided, visible_or_error
from dealtrack.core.models import User
from dealtrack.core.queries import users_visible_to
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals import services
from dealtrack.deals.api_schemas import (
    DEAL_ORDERINGS,
    EVENT_ORDERINGS,
    LOOKUP_ORDERINGS,
    NAME_ORDERINGS,
    VERSIONED_WRITE,
    DealIn,
    DealListParams,
    DealOut,
    DealPage,
    DealPatch,
    EventListParams,
    EventPage,
    IncludeParams,
    LookupListParams,
    LookupPage,
    LostIn,
    MoveIn,
    ProductListParams,
    ProductOut,
    ProductPage,
    ReassignIn,
    ReopenIn,
    TagListParams,
    TagPage,
    Versioned,
    attach_included,
    deal_out,
    load_relations,
    with_relations,
)
from dealtrack.deals.filters import DealFilterSet
from dealtrack.deals.models import Deal, DealEvent, LostReason, Product, Source, Tag
from dealtrack.deals.queries import deal_events, deals_visible_to, get_deal_for
from dealtrack.pipelines.models import Pipeline, Stage

router = Router()


def _deal(user: User, deal_id: int) -> Deal:
    """A visible deal with what DealOut needs, or 404."""
    deal = with_relations(deals_visible_to(user).filter(pk=deal_id)).first()
    if deal is None:
        raise not_found()
    return load_relations([deal])[0]


def _answer(response: HttpResponse, user: User, deal: Deal) -> dict[str, Any]:
    """The deal as stored now, with its ETag."""
    fresh = load_relations([with_relations(Deal.objects.filter(pk=deal.pk)).get()])[0]
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
    result = page(request, with_relations(deals), params, DEAL_ORDERINGS)
    load_relations(result["results"])
    attach_included(user, result["results"], params.include)
    result["results"] = [deal_out(deal) for deal in result["results"]]
    return result


@router.get("/deals/{deal_id}", response=DealOut, tags=["deals"], url_name="deal", summary="One deal")
def get_deal(request: HttpRequest, deal_id: Id, params: Query[IncludeParams], response: HttpResponse) -> dict[str, Any]:
    """The `ETag` header carries the version to send back with a change."""
    user = current_user(request)
    deal = _deal(user, deal_id)
    attach_included(user, [deal], params.include)
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

"""Tables out: every entity as rows whose headers the importer maps back, so an export re-imports unchanged.

Each `*_table` takes a queryset the caller got from a visibility query (`deals_visible_to(user)` …), so a
list view can pass its filtered queryset, and returns (headers, rows) for `core.spreadsheets`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dealtrack.activities.models import Activity
from dealtrack.activities.queries import activities_visible_to
from dealtrack.core.models import CustomFieldDefinition, User
from dealtrack.core.queries import users_visible_to
from dealtrack.customers.models import Company, Contact
from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals.models import Deal, Product
from dealtrack.deals.queries import deals_visible_to
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.fields import CUSTOM_FIELD_ENTITY, ENTITY_FIELDS

Table = tuple[list[str], Iterable[list[Any]]]


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _headers(entity: str, keys: list[str]) -> list[str]:
    labels = {spec.key: str(spec.label) for spec in ENTITY_FIELDS[entity]}
    return [labels[key] for key in keys]


def _custom(entity: str) -> list[CustomFieldDefinition]:
    return list(CustomFieldDefinition.objects.filter(entity=CUSTOM_FIELD_ENTITY[entity]))


DEAL_KEYS = ["external_id", "name", "company", "contact", "owner", "pipeline", "stage", "status", "value", "currency",
             "created_at", "expected_close_date", "closed_at", "lost_reason", "source", "priority", "product", "tags",
             "next_step"]  # fmt: skip


def deals_table(deals: QuerySet[Deal]) -> Table:
    custom = _custom(ImportEntity.DEALS)
    headers = _headers(ImportEntity.DEALS, DEAL_KEYS) + [d.label for d in custom]
    deals = deals.select_related(
        "company", "primary_contact", "owner", "pipeline", "stage", "lost_reason", "source"
    ).prefetch_related("tags", "line_items__product")

    def rows() -> Iterator[list[Any]]:
        for deal in deals.order_by("id").iterator(chunk_size=2000):
            yield [
                deal.external_id, deal.name, deal.company.name if deal.company else "",
                deal.primary_contact.name if deal.primary_contact else "", deal.owner.username,
                deal.pipeline.display_name, deal.stage.display_name, deal.status, deal.value, deal.currency,
                _moment(deal.created_at),
                deal.expected_close_date, _moment(deal.closed_at), str(deal.lost_reason) if deal.lost_reason else "",
                str(deal.source) if deal.source else "", deal.priority,
                ", ".join(item.product.name for item in deal.line_items.all()),
                ", ".join(tag.name for tag in deal.tags.all()), deal.next_step,
                *(deal.custom.get(d.key, "") for d in custom),
            ]  # fmt: skip

    return headers, rows()


COMPANY_KEYS = ["external_id", "name", "industry", "size", "region", "parent", "website", "phone", "address", "owner"]


def companies_table(companies: QuerySet[Company]) -> Table:
    custom = _custom(ImportEntity.COMPANIES)
    headers = _headers(ImportEntity.COMPANIES, COMPANY_KEYS) + [d.label for d in custom]
    rows = (
        [c.external_id, c.name, c.industry, c.size, c.region, c.parent.name if c.parent else "", c.website, c.phone,
         c.address, c.owner.username if c.owner else "", *(c.custom.get(d.key, "") for d in custom)]
        for c in companies.select_related("parent", "owner").order_by("id")
    )  # fmt: skip
    return headers, rows


CONTACT_KEYS = ["external_id", "name", "company", "title", "phone", "email", "wechat", "owner"]


def contacts_table(contacts: QuerySet[Contact]) -> Table:
    custom = _custom(ImportEntity.CONTACTS)
    headers = _headers(ImportEntity.CONTACTS, CONTACT_KEYS) + [d.label for d in custom]
    rows = (
        [c.external_id, c.name, c.company.name if c.company else "", c.title, c.phone, c.email, c.wechat,
         c.owner.username if c.owner else "", *(c.custom.get(d.key, "") for d in custom)]
        for c in contacts.select_related("company", "owner").order_by("id")
    )  # fmt: skip
    return headers, rows


ACTIVITY_KEYS = ["kind", "subject", "outcome", "occurred_at", "duration_minutes", "user", "deal", "company", "contact"]


def activities_table(activities: QuerySet[Activity]) -> Table:
    rows = (
        [a.kind, a.subject, a.outcome, _moment(a.occurred_at), a.duration_minutes, a.user.username,
         (a.deal.external_id or a.deal.name) if a.deal else "", a.company.name if a.company else "",
         a.contact.name if a.contact else ""]
        for a in activities.select_related("user", "deal", "company", "contact").order_by("id")
    )  # fmt: skip
    return _headers(ImportEntity.ACTIVITIES, ACTIVITY_KEYS), rows


PRODUCT_KEYS = ["code", "name", "series", "price", "currency"]


def products_table(products: QuerySet[Product]) -> Table:
    rows = ([p.code, p.name, p.series, p.price, p.currency] for p in products.order_by("id"))
    return _headers(ImportEntity.PRODUCTS, PRODUCT_KEYS), rows


USER_KEYS = ["username", "name", "email", "team", "manager", "role"]


def users_table(users: QuerySet[User]) -> Table:
    rows = (
        [u.username, u.display_name, u.email, u.team.name if u.team else "",
         u.team.manager.username if u.team and u.team.manager and u.team.manager != u else "", u.role]
        for u in users.select_related("team__manager").order_by("id")
    )  # fmt: skip
    return _headers(ImportEntity.USERS, USER_KEYS), rows


def visible_table(user: User, entity: str) -> Table:
    """The whole table of `entity` that `user` may see (through the visibility queries)."""
    if entity == ImportEntity.DEALS:
        return deals_table(deals_visible_to(user))
    if entity == ImportEntity.COMPANIES:
        return companies_table(companies_visible_to(user))
    if entity == ImportEntity.CONTACTS:
        return contacts_table(contacts_visible_to(user))
    if entity == ImportEntity.ACTIVITIES:
        return activities_table(activities_visible_to(user))
    if entity == ImportEntity.PRODUCTS:
        return products_table(Product.objects.all())
    return users_table(users_visible_to(user))

"""Demo companies and contacts with Chinese names (Faker zh_CN, seeded), written through the customer
services or, for the benchmark set, in bulk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from faker import Faker

from dealtrack.customers.choices import CompanySize
from dealtrack.customers.models import Company, Contact, normalise_company_name
from dealtrack.customers.services import create_company, create_contact
from dealtrack.demo import constants
from dealtrack.demo.bulk_insert import DbValues, RowWriter, next_id
from dealtrack.demo.organisation import Organisation

# Enough distinct companies for the benchmark set without names running out.
MAX_COMPANIES = 100_000


@dataclass(slots=True)
class ContactSpec:
    name: str
    title: str
    mobile: str
    phone: str
    email: str
    wechat: str
    custom: dict[str, Any]


@dataclass(slots=True)
class CompanySpec:
    name: str
    short: str
    industry: str
    size: str
    region: str
    website: str
    phone: str
    address: str
    owner_index: int
    parent_index: int | None
    custom: dict[str, Any]
    contacts: list[ContactSpec] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CustomerRef:
    """A written company as deal plans use it: its id, short name (for deal names), owner and contacts."""

    company_id: int
    short: str
    owner_index: int
    contact_ids: tuple[int, ...]


def company_count(deals: int) -> int:
    """About eight deals per company over the year, at least a dozen companies."""
    return min(MAX_COMPANIES, max(12, deals // 8))


def company_specs(*, count: int, seed: int, rep_count: int) -> Iterator[CompanySpec]:
    """`count` companies with unique names, each with one to three contacts. Same seed, same companies."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(f"{seed}-customers")
    forms = [f for f, _w in constants.LEGAL_FORMS]
    form_weights = [w for _f, w in constants.LEGAL_FORMS]
    sizes = list(CompanySize.values)
    seen: set[str] = set()
    for index in range(count):
        for _attempt in range(8):
            short = f"{fake.company_prefix()}{rng.choice(constants.COMPANY_WORDS)}"
            name = f"{fake.city_name()}{short}{rng.choices(forms, form_weights)[0]}"
            if name not in seen:
                break
        else:  # the word lists ran dry: a branch number keeps the name unique
            name = f"{name}（{index}）"
        seen.add(name)
        spec = CompanySpec(
            name=name,
            short=short,
            industry=rng.choice(constants.INDUSTRIES),
            size=rng.choice(sizes),
            region=fake.province(),
            website=f"https://{fake.user_name()}.example.com",
            phone=fake.phone_number(),
            address=fake.address(),
            owner_index=rng.choices(range(rep_count), constants.REP_WEIGHTS[:rep_count])[0],
            parent_index=rng.randrange(index) if index > 10 and rng.random() < 0.03 else None,
            custom={"customer_level": rng.choices(constants.CUSTOMER_LEVELS, (1, 2, 3))[0]},
        )
        if rng.random() < 0.6:
            spec.custom["annual_revenue"] = str(Decimal(rng.randrange(500, 500_000)).quantize(Decimal("0.01")))
        for _c in range(rng.choice((1, 2, 2, 3))):
            contact_custom = {"decision_role": rng.choice(constants.DECISION_ROLES)}
            spec.contacts.append(
                ContactSpec(
                    name=fake.name(),
                    title=rng.choice(constants.CONTACT_TITLES),
                    mobile=fake.phone_number(),
                    phone=fake.phone_number() if rng.random() < 0.3 else "",
                    email=fake.email(),
                    wechat=fake.user_name() if rng.random() < 0.7 else "",
                    custom=contact_custom,
                )
            )
        yield spec


def write_customers_through_services(specs: Iterator[CompanySpec], org: Organisation) -> list[CustomerRef]:
    """Create each company and its contacts with `create_company` / `create_contact`."""
    refs: list[CustomerRef] = []
    companies: list[Company] = []
    for spec in specs:
        owner = org.reps[spec.owner_index]
        company = create_company(
            actor=owner,
            name=spec.name,
            industry=spec.industry,
            size=spec.size,
            region=spec.region,
            website=spec.website,
            phone=spec.phone,
            address=spec.address,
            owner=owner,
            parent=companies[spec.parent_index] if spec.parent_index is not None else None,
            custom=spec.custom,
        )
        companies.append(company)
        contact_ids = tuple(
            create_contact(
                actor=owner,
                name=c.name,
                company=company,
                title=c.title,
                mobile=c.mobile,
                phone=c.phone,
                email=c.email,
                wechat=c.wechat,
                owner=owner,
                custom=c.custom,
            ).pk
            for c in spec.contacts
        )
        refs.append(CustomerRef(company.pk, spec.short, spec.owner_index, contact_ids))
    return refs


COMPANY_FIELDS = (
    "id",
    "external_id",
    "name",
    "normalised_name",
    "industry",
    "size",
    "region",
    "parent",
    "website",
    "phone",
    "address",
    "owner",
    "custom",
    "version",
    "created_at",
    "updated_at",
)
CONTACT_FIELDS = (
    "id",
    "external_id",
    "name",
    "company",
    "title",
    "phone",
    "mobile",
    "email",
    "wechat",
    "owner",
    "custom",
    "version",
    "created_at",
    "updated_at",
)


def write_customers_in_bulk(specs: Iterator[CompanySpec], org: Organisation, values: DbValues) -> list[CustomerRef]:
    """Insert the same rows `create_company` / `create_contact` would, with ids assigned here."""
    company_writer = RowWriter(Company, COMPANY_FIELDS)
    contact_writer = RowWriter(Contact, CONTACT_FIELDS)
    company_id, contact_id = next_id(Company), next_id(Contact)
    first_company_id = company_id
    now = values.now()
    refs: list[CustomerRef] = []
    companies: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for spec in specs:
            owner_id = org.reps[spec.owner_index].pk
            parent = first_company_id + spec.parent_index if spec.parent_index is not None else None
            companies.append(
                (
                    company_id,
                    "",
                    spec.name,
                    normalise_company_name(spec.name),
                    spec.industry,
                    spec.size,
                    spec.region,
                    parent,
                    spec.website,
                    spec.phone,
                    spec.address,
                    owner_id,
                    values.json(spec.custom),
                    1,
                    now,
                    now,
                )
            )
            ids = []
            for c in spec.contacts:
                contacts.append(
                    (
                        contact_id,
                        "",
                        c.name,
                        company_id,
                        c.title,
                        c.phone,
                        c.mobile,
                        c.email,
                        c.wechat,
                        owner_id,
                        values.json(c.custom),
                        1,
                        now,
                        now,
                    )
                )
                ids.append(contact_id)
                contact_id += 1
            refs.append(CustomerRef(company_id, spec.short, spec.owner_index, tuple(ids)))
            company_id += 1
            if len(companies) >= 5000:
                company_writer.write(cursor, companies)
                contact_writer.write(cursor, contacts)
                companies, contacts = [], []
        company_writer.write(cursor, companies)
        contact_writer.write(cursor, contacts)
    return refs

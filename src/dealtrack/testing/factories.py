"""factory_boy factories for every domain model. Deals are created through the service by `make_deal`."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from dealtrack.activities.models import Activity
from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.customers.models import Company, Contact, normalise_company_name
from dealtrack.deals.models import LostReason, Product, Source, Tag


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"团队{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"销售{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.REP
    password = factory.django.Password("pass")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"华为科技{n}有限公司")
    normalised_name = factory.LazyAttribute(lambda c: normalise_company_name(c.name))
    industry = "制造业"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"张{n}")
    company = factory.SubFactory(CompanyFactory)


class LostReasonFactory(DjangoModelFactory):
    class Meta:
        model = LostReason
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"reason {n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"source {n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"产品{n}")
    price = 1000


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    kind = "call"
    subject = "电话沟通"
    occurred_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)

"""Finding the records a row names (owners, companies, products, stages …), loaded once per import.

Names match loosely (case, width, spaces, punctuation; stage, source and reason names in every shipped
language). With `create_missing` an unknown owner, company, contact, product, source, lost reason,
pipeline or stage is created through its service; otherwise it is a row error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.core.services import create_user
from dealtrack.customers.models import Company, Contact, normalise_company_name
from dealtrack.customers.services import create_company, create_contact
from dealtrack.deals.models import LostReason, Product, Source
from dealtrack.deals.services import get_or_create_lost_reason, get_or_create_source, save_product
from dealtrack.imports.values import ValueProblem, name_key, translations
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.pipelines.services import add_stage, create_pipeline_from_names, kind_for_stage_name

Note = Callable[[str], None]


def _person_keys(user: User) -> list[str]:
    keys = [user.username.casefold()]
    if user.email:
        keys.append(user.email.casefold())
    for name in (user.display_name, user.get_full_name(), f"{user.last_name}{user.first_name}"):
        if name.strip():
            keys.append(name_key(name))
    return keys


class References:
    """Lookups for one import run. `note` receives what was matched loosely or created."""

    def __init__(self, *, actor: User | None, create_missing: bool, note: Note) -> None:
        self.actor = actor
        self.create_missing = create_missing
        self.note = note
        self._users: dict[str, User] | None = None
        self._companies: dict[str, Company] | None = None
        self._company_keys: dict[str, str] = {}
        self._products: dict[str, Product] | None = None
        self._contacts: dict[tuple[int | None, str], Contact] = {}
        self._named: dict[type, dict[str, Any]] = {}
        self._stages: dict[int, dict[str, Stage]] = {}

    # -- people ---------------------------------------------------------------------------------------
    @property
    def users(self) -> dict[str, User]:
        if self._users is None:
            self._users = {}
            for user in User.objects.all():
                for key in _person_keys(user):
                    self._users.setdefault(key, user)
        return self._users

    def remember_user(self, user: User) -> None:
        for key in _person_keys(user):
            self.users.setdefault(key, user)

    def find_user(self, value: str) -> User | None:
        return self.users.get(value.casefold()) or self.users.get(name_key(value))

    def user(self, value: str) -> User | None:
        """The user named by username, e-mail or full name; None for an empty cell."""
        if not value:
            return None
        found = self.find_user(value)
        if found is not None:
            return found
        if not self.create_missing:
            raise ValueProblem(_("No user “%(value)s” (looked for username, e-mail and name).") % {"value": value})
        email = value if "@" in value else ""
        user = create_user(
            display_name="" if email else value, email=email, username=email.split("@")[0] if email else ""
        )
        self.remember_user(user)
        self.note(_("Created user “%(name)s” (cannot log in until an admin sets a password).") % {"name": value})
        return user

    # -- companies and contacts ---------------------------------------------------------------------------
    @property
    def companies(self) -> dict[str, Company]:
        if self._companies is None:
            self._companies = {}
            for company in Company.objects.order_by("id"):
                self._companies.setdefault(company.normalised_name, company)
        return self._companies

    def remember_company(self, company: Company) -> None:
        self.companies[company.normalised_name] = company

    def company(self, value: str, *, create: bool | None = None) -> Company | None:
        """The company of this (normalised) name; None for an empty cell."""
        if not value:
            return None
        if value not in self._company_keys:  # a sheet names the same companies over and over
            self._company_keys[value] = normalise_company_name(value)
        found = self.companies.get(self._company_keys[value])
        if found is not None:
            return found
        if not (self.create_missing if create is None else create):
            raise ValueProblem(_("No company “%(value)s”.") % {"value": value})
        company = create_company(actor=self.actor, name=value)
        self.remember_company(company)
        self.note(_("Created companies named in the file but not yet known."))
        return company

    def contact(self, value: str, company: Company | None) -> Contact | None:
        if not value:
            return None
        key = (company.pk if company else None, name_key(value))
        if key not in self._contacts:
            found = Contact.objects.filter(company=company).order_by("id")
            match = next((c for c in found if name_key(c.name) == key[1]), None)
            if match is None:
                if not self.create_missing:
                    raise ValueProblem(_("No contact “%(value)s” at this company.") % {"value": value})
                match = create_contact(actor=self.actor, name=value, company=company)
                self.note(_("Created contacts named in the file but not yet known."))
            self._contacts[key] = match
        return self._contacts[key]

    # -- products ---------------------------------------------------------------------------------------
    @property
    def products(self) -> dict[str, Product]:
        if self._products is None:
            self._products = {name_key(p.name): p for p in Product.objects.all()}
        return self._products

    def product(self, value: str) -> Product | None:
        if not value:
            return None
        found = self.products.get(name_key(value))
        if found is not None:
            if found.name != value:
                self.note(_("Product “%(value)s” read as “%(name)s”.") % {"value": value, "name": found.name})
            return found
        if not self.create_missing:
            raise ValueProblem(_("No product “%(value)s”.") % {"value": value})
        product = save_product(product=None, name=value)
        self.products[name_key(value)] = product
        self.note(_("Created product “%(name)s” (list price 0).") % {"name": value})
        return product

    # -- sources and lost reasons (names are msgids: match them in every language) -------------------------
    def _named_index(self, model: type) -> dict[str, Any]:
        if model not in self._named:
            self._named[model] = {
                name_key(shown): obj for obj in model.objects.all() for shown in translations(obj.name)
            }
        return self._named[model]

    def source(self, value: str) -> Source | None:
        return self._named_lookup(Source, value, get_or_create_source, lambda: _("No lead source “%(value)s”."))

    def lost_reason(self, value: str) -> LostReason | None:
        return self._named_lookup(
            LostReason, value, get_or_create_lost_reason, lambda: _("No lost reason “%(value)s”.")
        )

    def _named_lookup(self, model: type, value: str, create: Callable[..., Any], missing: Callable[[], str]) -> Any:
        """`missing` gives the message, translated only when a row needs it (this runs for every row)."""
        if not value:
            return None
        index = self._named_index(model)
        found = index.get(name_key(value))
        if found is None:
            if not self.create_missing:
                raise ValueProblem(missing() % {"value": value})
            found = create(name=value)
            index[name_key(value)] = found
        return found

    # -- pipelines and stages -------------------------------------------------------------------------------
    def pipeline(self, value: str, stage_names: Callable[[], list[str]]) -> Pipeline:
        """The pipeline named `value` (the default one when empty); created with `stage_names()` if allowed."""
        if not value:
            default = Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.first()
            if default is None:
                raise ValueProblem(_("There is no pipeline yet; name one."))
            return default
        for pipeline in Pipeline.objects.all():
            if name_key(value) in {name_key(n) for n in translations(pipeline.name)}:
                return pipeline
        if not self.create_missing:
            raise ValueProblem(_("No pipeline “%(value)s”.") % {"value": value})
        try:
            pipeline = create_pipeline_from_names(name=value, stage_names=stage_names())
        except ValidationError as exc:
            raise ValueProblem(" ".join(exc.messages)) from None
        self.note(
            _("Created pipeline “%(name)s” with the stages %(stages)s.")
            % {"name": value, "stages": ", ".join(s.name for s in pipeline.stages.all())}
        )
        return pipeline

    def stages(self, pipeline: Pipeline) -> dict[str, Stage]:
        if pipeline.pk not in self._stages:
            index: dict[str, Stage] = {}
            for stage in pipeline.stages.all():
                for shown in translations(stage.name):
                    index.setdefault(name_key(shown), stage)
            for stage in pipeline.stages.filter(kind__in=[StageKind.WON, StageKind.LOST]):
                index.setdefault(name_key(stage.kind), stage)
            self._stages[pipeline.pk] = index
        return self._stages[pipeline.pk]

    def stage(self, pipeline: Pipeline, value: str) -> Stage | None:
        """The stage of `pipeline` named `value` in any language (Won/赢单/成交 and Lost/丢单/输单 too)."""
        if not value:
            return None
        index = self.stages(pipeline)
        found = index.get(name_key(value))
        if found is None:
            kind = kind_for_stage_name(value)
            if kind != StageKind.OPEN:
                found = pipeline.stages.filter(kind=kind).order_by("position").first()
        if found is None:
            if not self.create_missing:
                known = ", ".join(s.display_name for s in pipeline.stages.all())
                raise ValueProblem(
                    _("No stage “%(value)s” in pipeline %(pipeline)s (stages: %(stages)s).")
                    % {"value": value, "pipeline": pipeline.display_name, "stages": known}
                )
            try:
                found = add_stage(pipeline=pipeline, name=value)
            except ValidationError as exc:
                raise ValueProblem(" ".join(exc.messages)) from None
            self.note(_("Added stage “%(name)s” to pipeline %(pipeline)s.") % {"name": value, "pipeline": pipeline})
        index[name_key(value)] = found
        return found

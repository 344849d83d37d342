"""The demo organisation's people and settings: logins, teams, pipelines, products, tags, custom fields.

Pipelines go through `pipelines.services`. Users, teams, products, tags and custom field definitions
have no use-case service yet (no rule or event belongs to their creation), so they are written here the
way a data migration writes reference rows. Rows that already exist (same username, team, pipeline,
product, tag or field key) are reused and left as they are: an existing `admin` keeps its password.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from dealtrack.core.choices import Role
from dealtrack.core.models import Currency, CustomFieldDefinition, Team, User
from dealtrack.deals.models import LostReason, Product, Source, Tag
from dealtrack.demo import constants
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.pipelines.services import add_stage, create_pipeline


@dataclass(frozen=True)
class PipelineShape:
    """A pipeline as the plans use it: its open stages in order, the fridge, Won and Lost."""

    pipeline: Pipeline
    open_stages: tuple[Stage, ...]
    fridge: Stage | None
    won: Stage
    lost: Stage
    weight: int
    value_factor: float


@dataclass(frozen=True)
class Organisation:
    admin: User
    managers: tuple[User, ...]
    reps: tuple[User, ...]
    teams: tuple[Team, ...]
    pipelines: tuple[PipelineShape, ...]
    sources: tuple[Source, ...]
    lost_reasons: tuple[LostReason, ...]
    tags: tuple[Tag, ...]
    products: tuple[Product, ...]
    rates: dict[str, Decimal]

    def manager_of(self, user: User) -> User | None:
        """The manager of the user's team (None for someone outside the demo teams)."""
        return next((m for m in self.managers if m.team_id == user.team_id), None)


def _user(username: str, display_name: str, role: str, team: Team | None, password_hash: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "role": role,
            "team": team,
            "email": f"{username}@example.com",
            "password": password_hash,
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    return user


def _pipeline_shape(pipeline: Pipeline, weight: int, value_factor: float) -> PipelineShape:
    stages = list(pipeline.stages.order_by("position", "id"))
    return PipelineShape(
        pipeline=pipeline,
        open_stages=tuple(s for s in stages if s.kind == StageKind.OPEN),
        fridge=next((s for s in stages if s.kind == StageKind.FRIDGE), None),
        won=next(s for s in stages if s.kind == StageKind.WON),
        lost=next(s for s in stages if s.kind == StageKind.LOST),
        weight=weight,
        value_factor=value_factor,
    )


def _pipelines() -> tuple[PipelineShape, ...]:
    shapes = []
    for name, template, weight, value_factor, fridge_name in constants.PIPELINES:
        if name is None:
            pipeline = Pipeline.objects.filter(is_default=True).first() or create_pipeline(
                name="Sales pipeline", template=template, is_default=True
            )
        else:
            pipeline = Pipeline.objects.filter(name=name).first() or create_pipeline(name=name, template=template)
        if fridge_name and not pipeline.stages.filter(kind=StageKind.FRIDGE).exists():
            add_stage(pipeline=pipeline, name=fridge_name, probability=5, kind=StageKind.FRIDGE)
        shapes.append(_pipeline_shape(pipeline, weight, value_factor))
    return tuple(shapes)


def _custom_fields() -> None:
    for position, (entity, key, label, field_type, choices) in enumerate(constants.CUSTOM_FIELDS):
        CustomFieldDefinition.objects.get_or_create(
            entity=entity,
            key=key,
            defaults={"label": label, "field_type": field_type, "choices": list(choices), "position": position},
        )


def build_organisation() -> Organisation:
    """Create (or reuse) the demo logins, the two teams, three pipelines and the reference data."""
    # One hash for the shared demo password: hashing it per user would cost seconds and prove nothing.
    password_hash = make_password(constants.DEMO_PASSWORD)
    admin = _user(*constants.ADMIN, Role.ADMIN, None, password_hash)
    teams = [Team.objects.get_or_create(name=name)[0] for name in constants.TEAMS]
    managers = []
    for username, display_name, team_index in constants.MANAGERS:
        team = teams[team_index]
        manager = _user(username, display_name, Role.MANAGER, team, password_hash)
        if team.manager_id is None:
            team.manager = manager
            team.save(update_fields=["manager", "updated_at"])
        managers.append(manager)
    reps = [
        _user(username, display_name, Role.REP, teams[team_index], password_hash)
        for username, display_name, team_index in constants.REPS
    ]
    products = [
        Product.objects.get_or_create(name=name, defaults={"code": code, "series": series, "price": price})[0]
        for code, name, series, price in constants.PRODUCTS
    ]
    tags = [Tag.objects.get_or_create(name=name, defaults={"color": color})[0] for name, color in constants.TAGS]
    _custom_fields()
    return Organisation(
        admin=admin,
        managers=tuple(managers),
        reps=tuple(reps),
        teams=tuple(teams),
        pipelines=_pipelines(),
        sources=tuple(Source.objects.filter(is_active=True).order_by("position", "id")),
        lost_reasons=tuple(LostReason.objects.filter(is_active=True).order_by("position", "id")),
        tags=tuple(tags),
        products=tuple(products),
        rates=dict(Currency.objects.values_list("code", "rate_to_base")),
    )

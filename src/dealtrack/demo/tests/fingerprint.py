"""A digest of everything the demo generator decides, independent of row ids and of auto timestamps.

Ids are replaced by each row's rank in its table (PostgreSQL sequences do not roll back, so a second
run gets other ids); `auto_now`/`auto_now_add` fields, password hashes and login times are left out
because the generator does not set them. `Deal.created_at` is kept: the generator sets it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

from dealtrack.activities.models import Activity
from dealtrack.core.models import CustomFieldDefinition, Team, User
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.models import Deal, DealCollaborator, DealEvent, LostReason, Product, Source, Tag
from dealtrack.pipelines.models import Pipeline, Stage
from dealtrack.tasks.models import Task

MODELS: tuple[type[models.Model], ...] = (
    User,
    Team,
    Pipeline,
    Stage,
    Product,
    Tag,
    Source,
    LostReason,
    CustomFieldDefinition,
    Company,
    Contact,
    Deal,
    Deal.tags.through,
    DealCollaborator,
    Activity,
    Task,
    DealEvent,
)
SKIPPED = {"id", "password", "last_login", "date_joined"}
# Ids inside event parameters, by key: which table they point into.
PARAMETER_IDS = {"owner": User, "user": User, "reason": LostReason, "activity": Activity, "task": Task}


def _fields(model: type[models.Model]) -> list[models.Field]:
    kept = []
    for field in model._meta.concrete_fields:
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.name in SKIPPED or (automatic and not (model is Deal and field.name == "created_at")):
            continue
        kept.append(field)
    return kept


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of its rows in id order)} with ids replaced by ranks."""
    ranks = {
        model: {pk: rank for rank, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))}
        for model in MODELS
    }

    def plain(field: models.Field, value: Any) -> Any:
        if value is None:
            return None
        if field.is_relation:
            return ranks[field.related_model][value]
        if field.name == "parameters":
            return sorted(
                (key, ranks[PARAMETER_IDS[key]][item] if key in PARAMETER_IDS and item is not None else item)
                for key, item in value.items()
            )
        return value

    fingerprint = {}
    for model in MODELS:
        fields = _fields(model)
        rows = model.objects.order_by("pk").values_list(*(f.attname for f in fields))
        text = repr([tuple(plain(f, v) for f, v in zip(fields, row, strict=True)) for row in rows])
        fingerprint[model._meta.db_table] = (len(ranks[model]), hashlib.sha256(text.encode()).hexdigest())
    return fingerprint

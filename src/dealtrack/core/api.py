"""API: the caller, users and teams (read only), custom field definitions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from dealtrack.api.auth import current_user
from dealtrack.api.inputs import Id, text
from dealtrack.api.list_params import list_params
from dealtrack.api.pagination import page, page_schema
from dealtrack.api.references import get_or_404
from dealtrack.core.choices import CustomFieldEntity, CustomFieldType, Role
from dealtrack.core.models import CustomFieldDefinition, Team, User
from dealtrack.core.queries import teams_visible_to, users_visible_to

router = Router()


class UserOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: Role
    team_id: int | None
    managed_team_ids: list[int]

    @staticmethod
    def resolve_managed_team_ids(user: User) -> list[int]:
        return [team.pk for team in user.managed_teams.all()]


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None
    manager_id: int | None


class CustomFieldOut(Schema):
    id: int
    entity: CustomFieldEntity
    key: str
    label: str
    field_type: CustomFieldType
    choices: list[str]
    required: bool
    position: int


UserPage = page_schema(UserOut, "UserPage")
TeamPage = page_schema(TeamOut, "TeamPage")
CustomFieldPage = page_schema(CustomFieldOut, "CustomFieldPage")

USER_ORDERINGS = {"username": "username", "id": "id"}
UserListParams = list_params(
    "UserListParams",
    filterset=None,
    orderings=USER_ORDERINGS,
    default_order="username",
    extra={
        "q": (text(150) | None, Field(None, description="Part of the username, name or e-mail")),  # type: ignore[operator]
        "team": (list[Id], Field(default_factory=list, max_length=100, description="Team (ids)")),
        "role": (list[Role], Field(default_factory=list, max_length=3, description="Role")),
    },
)
TEAM_ORDERINGS = {"name": "name", "id": "id"}
TeamListParams = list_params("TeamListParams", filterset=None, orderings=TEAM_ORDERINGS, default_order="name")
CUSTOM_FIELD_ORDERINGS = {"position": "position", "id": "id"}
CustomFieldListParams = list_params(
    "CustomFieldListParams",
    filterset=None,
    orderings=CUSTOM_FIELD_ORDERINGS,
    default_order="position",
    extra={"entity": (list[CustomFieldEntity], Field(default_factory=list, max_length=3, description="Applies to"))},
)


def _users(request: HttpRequest) -> Any:
    return users_visible_to(current_user(request)).prefetch_related("managed_teams")


@router.get("/me", response=UserOut, tags=["users"], summary="The caller")
def me(request: HttpRequest) -> User:
    return _users(request).get(pk=current_user(request).pk)


@router.get("/users", response=UserPage, tags=["users"], summary="List users")
def list_users(request: HttpRequest, params: Query[UserListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    users = _users(request)
    if params.q:
        users = users.filter(
            Q(username__icontains=params.q) | Q(display_name__icontains=params.q) | Q(email__icontains=params.q)
        )
    if params.team:
        users = users.filter(team_id__in=params.team)
    if params.role:
        users = users.filter(role__in=params.role)
    return page(request, users, params, USER_ORDERINGS)


@router.get("/users/{user_id}", response=UserOut, tags=["users"], summary="One user")
def get_user(request: HttpRequest, user_id: Id) -> User:
    return get_or_404(_users(request), user_id)


@router.get("/teams", response=TeamPage, tags=["users"], summary="List teams")
def list_teams(request: HttpRequest, params: Query[TeamListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    return page(request, teams_visible_to(current_user(request)), params, TEAM_ORDERINGS)


@router.get("/teams/{team_id}", response=TeamOut, tags=["users"], summary="One team")
def get_team(request: HttpRequest, team_id: Id) -> Team:
    return get_or_404(teams_visible_to(current_user(request)), team_id)


@router.get("/custom-fields", response=CustomFieldPage, tags=["lookups"], summary="Custom field definitions")
def list_custom_fields(request: HttpRequest, params: Query[CustomFieldListParams]) -> dict[str, Any]:  # type: ignore[valid-type]
    definitions = CustomFieldDefinition.objects.all()
    if params.entity:
        definitions = definitions.filter(entity__in=params.entity)
    return page(request, definitions, params, CUSTOM_FIELD_ORDERINGS)

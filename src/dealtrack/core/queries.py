"""Who can see whose records. Every domain query builds its visibility from `owner_scope`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dealtrack.core.models import Team, User


def teams_below(team_ids: set[int] | list[int]) -> set[int]:
    """The given teams with every team nested below them."""
    if not team_ids:
        return set()
    parents: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.values_list("id", "parent_id"):
        parents.setdefault(parent_id, []).append(team_id)
    found: set[int] = set()
    frontier = list(team_ids)
    while frontier:
        team_id = frontier.pop()
        if team_id not in found:
            found.add(team_id)
            frontier.extend(parents.get(team_id, []))
    return found


def managed_team_ids(user: User) -> set[int]:
    """Ids of the teams `user` manages, with every team nested below them."""
    return teams_below(list(Team.objects.filter(manager=user).values_list("id", flat=True)))


def owner_scope(user: User, field: str = "owner") -> Q | None:
    """The condition on a user-valued `field` that `user` may see; None means everything (admins)."""
    if not user.is_active:
        return Q(pk__in=[])
    if user.is_admin:
        return None
    condition = Q(**{field: user})
    team_ids = managed_team_ids(user)
    if team_ids:
        # `owner IN (SELECT id FROM users WHERE team IN …)` rather than a join: the planner can then answer
        # report aggregates from covering indexes on the deal table.
        condition |= Q(**{f"{field}__in": User.objects.filter(team_id__in=team_ids).values("pk")})
    return condition


def users_visible_to(user: User) -> QuerySet[User]:
    """Everyone is listed to everyone (names on deals must resolve); sensitive fields stay in the admin."""
    return User.objects.filter(is_active=True).select_related("team")


def teams_visible_to(user: User) -> QuerySet[Team]:
    return Team.objects.select_related("manager", "parent")

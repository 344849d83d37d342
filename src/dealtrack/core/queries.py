"""Who can see whose records. Every domain query builds its visibility from `owner_scope`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router
from django.db.models import Q, QuerySet

from dealtrack.core.models import Team, User


def team_tree_ids(root_ids: Iterable[int]) -> set[int]:
    """`root_ids` with every team nested below them (at any depth)."""
    frontier = list(root_ids)
    if not frontier:
        return set()  # most users manage no team: skip reading the team tree
    parents: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.values_list("id", "parent_id"):
        parents.setdefault(parent_id, []).append(team_id)
    found: set[int] = set()
    while frontier:
        team_id = frontier.pop()
        if team_id not in found:
            found.add(team_id)
            frontier.extend(parents.get(team_id, []))
    return found


def remember_for_request(user: User) -> None:
    """Let visibility helpers memoise on this user object: for a user loaded for one request only.

    One API call may build several visibility conditions (contacts → companies → deals), each needing the
    managed teams; without this each would query them again. Never call it on a long-lived user object.
    """
    user.request_memo = {}  # type: ignore[attr-defined]


def managed_team_ids(user: User) -> set[int]:
    """Ids of the teams `user` manages, with every team nested below them."""
    return _managed(user)[0]


def _managed(user: User) -> tuple[set[int], list[int]]:
    """The teams `user` manages (nested) and the people in them, in id order, read in one statement and
    remembered for the request: every page a manager opens builds its visibility from them."""
    memo: dict[str, tuple[set[int], list[int]]] | None = getattr(user, "request_memo", None)
    if memo is not None and "managed" in memo:
        return memo["managed"]
    teams, people = Team._meta.db_table, User._meta.db_table
    # The recursive part walks down the tree from the teams `user` manages; UNION (not ALL) stops at a
    # team already found. Table names come from the models.
    sql = (
        f"WITH RECURSIVE managed(id) AS (SELECT id FROM {teams} WHERE manager_id = %s "  # noqa: S608
        f"UNION SELECT t.id FROM {teams} t JOIN managed m ON t.parent_id = m.id) "
        f"SELECT 1, id FROM managed UNION ALL SELECT 0, id FROM {people} WHERE team_id IN (SELECT id FROM managed)"
    )
    with connections[router.db_for_read(Team)].cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    found = ({pk for is_team, pk in rows if is_team}, sorted(pk for is_team, pk in rows if not is_team))
    if memo is not None:
        memo["managed"] = found
    return found


def owner_scope(user: User, field: str = "owner") -> Q | None:
    """The condition on a user-valued `field` that `user` may see; None means everything (admins)."""
    if not user.is_active:
        return Q(pk__in=[])
    if user.is_admin:
        return None
    members = managed_member_ids(user)
    if not members:
        return Q(**{field: user})
    # One literal `owner IN (…)` list rather than a subquery or a join: both planners then estimate the rows
    # well and answer report aggregates from the covering indexes (PostgreSQL index-only); and rather than
    # `owner = me OR owner IN (…)`, which SQLite cannot use as a second index column (day, owner, …).
    return Q(**{f"{field}__in": sorted({user.pk, *members})})


def managed_member_ids(user: User) -> list[int]:
    """Ids of the people in the teams `user` manages (nested), in id order."""
    return _managed(user)[1]


def users_visible_to(user: User) -> QuerySet[User]:
    """Everyone is listed to everyone (names on deals must resolve); sensitive fields stay in the admin."""
    return User.objects.filter(is_active=True).select_related("team")


def teams_visible_to(user: User) -> QuerySet[Team]:
    return Team.objects.select_related("manager", "parent")


def users_assignable_by(user: User) -> QuerySet[User]:
    """Who `user` may make the owner of a deal: admins anyone, managers their teams (nested), reps themselves."""
    active = User.objects.filter(is_active=True).select_related("team")
    if not user.is_active:
        return active.none()
    if user.is_admin:
        return active
    return active.filter(Q(pk=user.pk) | Q(team_id__in=managed_team_ids(user)))


def saved_views_for(user: User, list_key: str) -> QuerySet:
    """The user's own saved views of a list, and those teammates shared with the team."""
    from dealtrack.core.models import SavedView

    mine = Q(owner=user)
    if user.team_id:
        mine |= Q(shared=True, owner__team_id=user.team_id)
    return SavedView.objects.filter(mine, list_key=list_key).select_related("owner").order_by("name", "id")

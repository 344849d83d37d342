"""Users with their teams and managers: a manager named in a row is created when missing and manages that team."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dealtrack.core.choices import Role
from dealtrack.core.models import Team, User
from dealtrack.core.services import create_user, get_or_create_team, update_user
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.importers.base import Importer, Progress, Row
from dealtrack.imports.references import References
from dealtrack.imports.values import choice, choice_index

ROLE_SYNONYMS = {"经理": Role.MANAGER, "經理": Role.MANAGER, "主管": Role.MANAGER, "销售": Role.REP, "銷售": Role.REP,
                 "管理员": Role.ADMIN, "管理員": Role.ADMIN, "sales manager": Role.MANAGER}  # fmt: skip


class UserImporter(Importer):
    entity = ImportEntity.USERS
    required = ()

    def check_mapping(self) -> None:
        super().check_mapping()
        if not any(f in self.columns for f in ("username", "name", "email")):
            from dealtrack.imports.importers.base import MappingError

            raise MappingError(_("The file has no column for: %(fields)s.") % {"fields": _("username or name")})

    def plan(self, progress: Progress) -> None:
        self.refs = References(actor=self.actor, create_missing=True, note=self.note)
        self.role_index = choice_index(Role.choices, ROLE_SYNONYMS)
        self.planned: list[tuple[Row, str | None]] = []
        for row in self.rows():
            if not (row["username"] or row["name"] or row["email"]):
                self.error(row, "name", _("Give a username or a name."))
                continue
            role = self.read(row, "role", lambda v: choice(v, self.role_index) if v else None)
            if row.number not in self.bad_rows:
                self.planned.append((row, role))
        progress(len(self.table))

    def write(self, progress: Progress) -> None:
        for row, role in self.planned:
            self.saving(row, lambda r=row, ro=role: self._save(r, ro))
        progress(len(self.planned))

    def _manager(self, row: Row) -> User | None:
        name = row["manager"]
        if not name:
            return None
        manager = self.refs.find_user(name)
        if manager is None:
            manager = create_user(display_name=name, role=Role.MANAGER)
            self.refs.remember_user(manager)
            self.note(_("Created managers named in the file (they cannot log in until an admin sets a password)."))
        elif manager.role == Role.REP:
            manager = update_user(user=manager, changes={"role": Role.MANAGER})
        return manager

    def _save(self, row: Row, role: str | None) -> str:
        manager = self._manager(row)
        team = self._team(row["team"], manager)
        if manager is not None and team is not None and manager.team_id is None:
            update_user(user=manager, changes={"team": team})
        user = self._find(row)
        values: dict[str, Any] = {"display_name": row["name"] or None, "email": row["email"] or None,
                                  "role": role, "team": team}  # fmt: skip
        if user is None:
            user = create_user(username=row["username"], display_name=row["name"], email=row["email"],
                               role=role or Role.REP, team=team)  # fmt: skip
            self.refs.remember_user(user)
            return "created"
        before = (user.display_name, user.email, user.role, user.team_id)
        update_user(user=user, changes={k: v for k, v in values.items() if v is not None})
        return "unchanged" if before == (user.display_name, user.email, user.role, user.team_id) else "updated"

    def _team(self, name: str, manager: User | None) -> Team | None:
        """The row's team. A team already led by another manager gets a sub-team for this one
        (“Central · Melvin Marxen”), so each manager sees exactly the reps the file puts under them."""
        if not name:
            return None
        team = Team.objects.filter(name=name).first()
        if manager is None or team is None or team.manager_id in (None, manager.pk):
            return get_or_create_team(name=name, manager=manager)
        self.note(_("Teams with several managers were split into a sub-team per manager."))
        return get_or_create_team(name=f"{name} · {manager.name}"[:100], manager=manager, parent=team)

    def _find(self, row: Row) -> User | None:
        for field in ("username", "email", "name"):
            if row[field]:
                found = self.refs.find_user(row[field])
                if found is not None:
                    return found
        return None

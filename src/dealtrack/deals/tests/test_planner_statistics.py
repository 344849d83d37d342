"""Planner statistics after bulk writes (demo loads, restores)."""

from __future__ import annotations

import pytest
from django.db import connection

from dealtrack.deals.services import refresh_planner_statistics

pytestmark = pytest.mark.django_db


def _locks(condition: str) -> int:
    """Locks this session holds on relations matching `condition` (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "  # noqa: S608
            f"WHERE l.pid = pg_backend_pid() AND {condition}"
        )
        return cursor.fetchone()[0]


def test_statistics_cover_the_tables_and_leave_the_servers_shared_catalogs_alone(org, make_deal):
    make_deal(owner=org.rep_a, name="签约项目", value="1000")

    refresh_planner_statistics()  # inside the test's transaction, as in a bulk load's

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'deals_deal'")
            assert cursor.fetchone()[0] > 0
        return
    # ANALYZE took the deals, and no catalog that other databases on the server share (pg_authid …),
    # which it would have held until the commit.
    assert _locks("c.relname = 'deals_deal' AND l.mode = 'ShareUpdateExclusiveLock'") == 1
    assert _locks("c.relisshared") == 0

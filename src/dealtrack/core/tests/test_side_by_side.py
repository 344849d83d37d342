"""Independent reads of one page on their own connections: only outside transactions, under the page's
language and time zone, each connection closed as a request's would be, errors passed on."""

from __future__ import annotations

import threading
import zoneinfo

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from dealtrack.core import side_by_side as module
from dealtrack.core.models import User
from dealtrack.core.side_by_side import side_by_side
from dealtrack.testing.factories import UserFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def where() -> dict[str, object]:
    """What a call sees of the thread it runs on."""
    return {
        "thread": threading.current_thread().name,
        "connection": connections["default"],
        "language": translation.get_language(),
        "zone": timezone.get_current_timezone_name(),
        "users": User.objects.count(),
    }


@pytest.fixture
def two_reads(settings):
    settings.PARALLEL_READS = 2


@pytest.mark.django_db
def test_inside_a_transaction_every_call_runs_here_in_order(two_reads):
    UserFactory()  # uncommitted: another connection would not see it

    found = side_by_side(where, where, where)

    assert {seen["thread"] for seen in found} == {threading.current_thread().name}
    assert [seen["users"] for seen in found] == [1, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_one_read_at_a_time_when_parallel_reads_are_off(settings):
    settings.PARALLEL_READS = 1

    found = side_by_side(where, where)

    assert {seen["thread"] for seen in found} == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_later_calls_read_on_a_pool_thread_in_the_page_language_and_zone(two_reads):
    UserFactory()

    with translation.override("zh-hant"), timezone.override(BERLIN):
        here, there = side_by_side(where, where)

    assert here["thread"] == threading.current_thread().name
    assert there["thread"].startswith("side-by-side")
    assert there["connection"] is not here["connection"]
    assert there["language"] == here["language"] == "zh-hant"
    assert there["zone"] == here["zone"] == "Europe/Berlin"
    assert there["users"] == here["users"] == 1
    # CONN_MAX_AGE is 0 in tests: the pool thread's connection is closed once its call is done (Django
    # keeps an in-memory SQLite test database's connections open, as closing one would drop the database).
    if not getattr(connection, "is_in_memory_db", lambda: False)():
        assert there["connection"].connection is None
    assert connection.connection is not None


@pytest.mark.django_db(transaction=True)
def test_results_come_back_in_order_whoever_ran_them(settings):
    settings.PARALLEL_READS = 3

    found = side_by_side(*(lambda n=n: (n, threading.current_thread().name) for n in range(5)))

    assert [n for n, _thread in found] == [0, 1, 2, 3, 4]
    assert found[0][1] == threading.current_thread().name
    pool_threads = {thread for _n, thread in found if thread.startswith("side-by-side")}
    assert 1 <= len(pool_threads) <= 2


@pytest.mark.django_db(transaction=True)
def test_when_other_requests_hold_the_pool_this_thread_runs_the_call(two_reads):
    _pool, free = module._executor()
    assert free.acquire(blocking=False)
    try:
        found = side_by_side(where, where)
    finally:
        free.release()

    assert {seen["thread"] for seen in found} == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_a_split_asked_for_on_a_pool_thread_runs_there_in_order(two_reads):
    _here, nested = side_by_side(where, lambda: side_by_side(where, where))

    assert nested[0]["thread"] == nested[1]["thread"]
    assert nested[0]["thread"].startswith("side-by-side")


@pytest.mark.django_db(transaction=True)
def test_an_error_on_a_pool_thread_reaches_the_caller_after_every_call_finished(two_reads):
    finished = []

    def fails() -> None:
        raise ValueError("broken read")

    def slow_here() -> None:
        finished.append(threading.current_thread().name)

    with pytest.raises(ValueError, match="broken read"):
        side_by_side(slow_here, fails)

    assert finished == [threading.current_thread().name]
    _pool, free = module._executor()
    assert free.acquire(blocking=False)  # the failed call gave its thread back
    free.release()

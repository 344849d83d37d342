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


def meeting(parties: int):
    """Wraps calls so that each goes on only once `parties` of them run at the same time: each on a thread
    of its own."""
    barrier = threading.Barrier(parties)

    def together(call):
        def meet():
            barrier.wait(timeout=10)
            return call()

        return meet

    return together


@pytest.mark.django_db(transaction=True)
def test_calls_read_side_by_side_on_pool_threads_in_the_page_language_and_zone(two_reads):
    UserFactory()
    meet = meeting(2)(where)

    with translation.override("zh-hant"), timezone.override(BERLIN):
        found = side_by_side(meet, meet)

    here = next(seen for seen in found if seen["thread"] == threading.current_thread().name)
    there = next(seen for seen in found if seen["thread"].startswith("side-by-side"))
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
    thread = threading.current_thread
    together = meeting(3)
    first_three = [together(lambda n=n: (n, thread().name)) for n in range(3)]

    found = side_by_side(*first_three, lambda: (3, thread().name), lambda: (4, thread().name))

    assert [n for n, _thread in found] == [0, 1, 2, 3, 4]
    assert len({name for _n, name in found[:3]}) == 3  # this thread and both pool threads


@pytest.mark.django_db(transaction=True)
def test_when_other_requests_hold_the_pool_this_thread_runs_every_call(two_reads):
    _pool, free = module._executor()
    assert free.acquire(blocking=False)
    try:
        found = side_by_side(where, where)
    finally:
        free.release()

    assert {seen["thread"] for seen in found} == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_an_error_in_one_call_reaches_the_caller_after_every_other_call_finished(two_reads):
    finished = []

    def fails() -> None:
        raise ValueError("broken read")

    def reads() -> None:
        finished.append(User.objects.count())

    with pytest.raises(ValueError, match="broken read"):
        together = meeting(2)
        side_by_side(together(fails), together(reads), reads)

    assert finished == [0, 0]
    _pool, free = module._executor()
    assert free.acquire(blocking=False)  # the helper gave its permit back
    free.release()

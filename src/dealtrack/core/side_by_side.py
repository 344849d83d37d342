"""Independent read-only parts of one page, run side by side on their own database connections.

A report page adds up a dozen aggregates that do not depend on each other. The database works through
each while Python waits (both SQLite and psycopg release the interpreter lock meanwhile), so on a machine
with more than one core the page is ready in about the time of its longest part, or of their sum shared
out over the threads, instead of their sum.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone, translation

_pool: tuple[ThreadPoolExecutor, threading.BoundedSemaphore, int] | None = None
_pool_lock = threading.Lock()


def parallel_reads() -> int:
    """How many connections one page may read on at once (setting PARALLEL_READS; 1 = one at a time)."""
    return max(1, int(getattr(settings, "PARALLEL_READS", 1)))


def _executor() -> tuple[ThreadPoolExecutor, threading.BoundedSemaphore]:
    """The process's pool of PARALLEL_READS - 1 threads and the count of those free."""
    global _pool
    size = parallel_reads() - 1
    with _pool_lock:
        if _pool is None or _pool[2] != size:  # first use, or the setting changed (tests)
            if _pool is not None:
                _pool[0].shutdown(wait=False)
            _pool = ThreadPoolExecutor(size, thread_name_prefix="side-by-side"), threading.BoundedSemaphore(size), size
        return _pool[0], _pool[1]


def _may_split() -> bool:
    """Not inside a transaction: another connection would not see its uncommitted rows, nor read from its
    snapshot. (A split asked for on a pool thread can only take threads that are free: each running
    helper holds one of the pool's permits, so nothing waits on the pool it occupies.)"""
    if parallel_reads() < 2:
        return False
    return not any(connection.in_atomic_block for connection in connections.all(initialized_only=True))


def _on_own_connection(
    call: Callable[[], Any], language: str | None, zone: Any, free: threading.BoundedSemaphore
) -> Any:
    """Run `call` on this pool thread under the page's language and time zone. The thread's connections
    live as a request's do: reused within CONN_MAX_AGE, closed after it or after an error."""
    close_old_connections()
    try:
        with translation.override(language), timezone.override(zone):
            return call()
    finally:
        close_old_connections()
        free.release()


def side_by_side(*calls: Callable[[], Any]) -> list[Any]:
    """The results of `calls`, in order. When parallel reads are on and no transaction is open, this
    thread and as many pool threads as are free (up to one per further call) take the calls in turn, the
    next one as each finishes: list the longest first. With none free (other requests hold them all) or
    none allowed, this thread runs every call itself. Each call must only read, and must not rely on what
    another call caches meanwhile."""
    if len(calls) < 2 or not _may_split():
        return [call() for call in calls]
    language, zone = translation.get_language(), timezone.get_current_timezone()
    pool, free = _executor()
    pending = deque(enumerate(calls))
    results: list[Any] = [None] * len(calls)

    def take_calls() -> None:
        while True:
            try:
                index, call = pending.popleft()  # atomic: each call is taken once
            except IndexError:
                return
            results[index] = call()

    helpers: list[Future[None]] = []
    while len(helpers) < len(calls) - 1 and free.acquire(blocking=False):
        helpers.append(pool.submit(_on_own_connection, take_calls, language, zone, free))
    try:
        take_calls()
    finally:
        wait(helpers)  # let every helper finish, even if a call here failed
    for helper in helpers:
        helper.result()  # a helper's error, raised here
    return results

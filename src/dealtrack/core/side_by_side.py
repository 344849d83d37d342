"""Independent read-only parts of one page, run side by side on their own database connections.

A report page adds up a dozen aggregates that do not depend on each other. The database works through
each while Python waits (both SQLite and psycopg release the interpreter lock meanwhile), so on a machine
with more than one core the page is ready in about the time of its longest group instead of their sum.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone, translation

_pool: tuple[ThreadPoolExecutor, threading.BoundedSemaphore, int] | None = None
_pool_lock = threading.Lock()
_on_pool = threading.local()


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
    snapshot. Not on a pool thread either, which would wait on the pool it occupies."""
    if parallel_reads() < 2 or getattr(_on_pool, "active", False):
        return False
    return not any(connection.in_atomic_block for connection in connections.all(initialized_only=True))


def _on_own_connection(
    call: Callable[[], Any], language: str | None, zone: Any, free: threading.BoundedSemaphore
) -> Any:
    """Run `call` on this pool thread under the page's language and time zone. The thread's connections
    live as a request's do: reused within CONN_MAX_AGE, closed after it or after an error."""
    _on_pool.active = True
    close_old_connections()
    try:
        with translation.override(language), timezone.override(zone):
            return call()
    finally:
        close_old_connections()
        _on_pool.active = False
        free.release()


def side_by_side(*calls: Callable[[], Any]) -> list[Any]:
    """The results of `calls`, in order. When parallel reads are on and no transaction is open, calls
    after the first go to pool threads while one is free (when other requests hold them all, this thread
    runs the call itself rather than queue behind theirs); the rest run here, one after the other. Each
    call must only read, and must not rely on what another call caches meanwhile."""
    if len(calls) < 2 or not _may_split():
        return [call() for call in calls]
    language, zone = translation.get_language(), timezone.get_current_timezone()
    pool, free = _executor()
    futures: dict[int, Future[Any]] = {}
    for index, call in enumerate(calls[1:], start=1):
        if not free.acquire(blocking=False):
            break
        futures[index] = pool.submit(_on_own_connection, call, language, zone, free)
    results: dict[int, Any] = {}
    try:
        for index, call in enumerate(calls):
            if index not in futures:
                results[index] = call()
    finally:
        wait(futures.values())  # let every pool call finish, even if one here failed
    for index, future in futures.items():
        results[index] = future.result()
    return [results[index] for index in range(len(calls))]

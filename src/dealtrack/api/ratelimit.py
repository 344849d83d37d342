"""Per-token rate limit: a sliding window approximated from two fixed-window counters in Django's cache.

Why the cache and not a table: a counter row per request would add a write to every read, and on SQLite every
write takes the database's single write lock. Django's cache (`API_RATE_LIMIT_CACHE`, locmem by default) costs
nothing; its limit is that locmem counts per process, so N server processes allow up to N × the limit unless a
shared cache (database, Redis, Memcached) is configured under that alias.

The estimate is `previous window's count × the part of it still inside the sliding window + this window's
count` (the method Cloudflare describes); it never lets through twice the limit at a window boundary as a plain
fixed window does. Refused requests are not counted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # whole seconds; 0 when allowed


def hit(bucket: str, *, limit: int | None = None, window: int | None = None, now: float | None = None) -> RateDecision:
    """Count one request in `bucket`, unless that would exceed `limit` requests per `window` seconds."""
    limit = settings.API_RATE_LIMIT if limit is None else limit
    window = settings.API_RATE_LIMIT_WINDOW if window is None else window
    now = time.time() if now is None else now
    cache = caches[settings.API_RATE_LIMIT_CACHE]
    current_slot = int(now // window)
    elapsed = (now - current_slot * window) / window  # fraction of the current window gone
    current_key = f"api-rate:{bucket}:{current_slot}"
    previous = cache.get(f"api-rate:{bucket}:{current_slot - 1}", 0)
    cache.add(current_key, 0, timeout=window * 2 + 1)
    try:
        current = cache.incr(current_key)
    except ValueError:  # evicted between add and incr
        cache.set(current_key, 1, timeout=window * 2 + 1)
        current = 1
    estimate = previous * (1 - elapsed) + current
    if estimate <= limit:
        return RateDecision(True, limit, max(0, math.floor(limit - estimate)), 0)
    cache.decr(current_key)
    return RateDecision(False, limit, 0, _seconds_until_allowed(previous, current - 1, elapsed, limit, window))


def _seconds_until_allowed(previous: int, current: int, elapsed: float, limit: int, window: int) -> int:
    """Seconds until one more request fits, as the windows' weights decay."""
    if current + 1 <= limit:
        # Still this window: previous × (1 − e) + current + 1 ≤ limit  ⇒  e ≥ 1 − (limit − current − 1) / previous
        needed = 1 - (limit - current - 1) / previous
        wait = (needed - elapsed) * window
    else:
        # Next window, where this one is "previous": current × (1 − e) + 1 ≤ limit
        wait = (1 - elapsed) * window + window * max(0.0, 1 - (limit - 1) / max(current, 1))
    return max(1, math.ceil(wait))

"""A Redis cache that is an accelerator, never a dependency.

Everything Rampup caches can be rebuilt from the database, so when Redis is down or
slow a page should render without it (slower, without cached fragments) rather than
answer 500. `ResilientRedisCache` turns every Redis error into a miss (reads) or a
no-op (writes) and then leaves Redis alone for `RETRY_SECONDS`, so an outage costs one
failed round trip per process per interval, not one per cache call; the failure is
logged once per `LOG_SECONDS`.

Writes skipped during an outage may have been version bumps (`tracker.cache`): had
Redis only been unreachable, it would come back holding versions older than the
data. So the first successful call after a lost write clears the cache: a cold cache
is slow for a moment, a stale one is wrong.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_SECONDS = 60.0


class _Health:
    """What this process knows of one Redis. Shared by every thread: Django makes a cache
    object per thread (and runserver a thread per request), so it cannot live there."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not tried
        self.logged_at: float | None = None
        self.writes_lost = False


_HEALTH: dict[str, _Health] = {}
_HEALTH_LOCK = threading.Lock()


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        with _HEALTH_LOCK:
            self._health = _HEALTH.setdefault(server, _Health())

    # --- the state, for /healthz/ --------------------------------------------------

    def is_up(self) -> bool:
        """Ask Redis now (a PING), whatever the retry interval says."""
        try:
            self._cache.get_client().ping()
        except (RedisError, OSError) as exc:
            self._failed(exc, write=False)
            return False
        self._health.down_until = 0.0
        return True

    # --- the guard around every call -----------------------------------------------

    def _call(self, write: bool, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        health = self._health
        if time.monotonic() < health.down_until:
            if write:
                health.writes_lost = True
            return default
        try:
            if health.writes_lost:
                super().clear()
                health.writes_lost = False
                logger.warning("Cache back after an outage: cleared, as writes were lost.")
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(exc, write=write)
            return default

    def _failed(self, exc: Exception, *, write: bool) -> None:
        now = time.monotonic()
        health = self._health
        with health.lock:
            health.down_until = now + RETRY_SECONDS
            if write:
                health.writes_lost = True
            if health.logged_at is not None and now - health.logged_at < LOG_SECONDS:
                return
            health.logged_at = now
        logger.error(
            "Cache unavailable, serving without it (logged once a minute): %s: %s",
            type(exc).__name__,
            exc,
        )

    # --- reads: a failure is a miss ------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call(False, default, "get", key, default, version)

    def get_many(self, keys, version=None):
        return self._call(False, {}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call(False, False, "has_key", key, version)

    # --- writes: a failure is a no-op ----------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, False, "add", key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, None, "set", key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, list(data), "set_many", data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call(True, False, "delete", key, version)

    def delete_many(self, keys, version=None):
        return self._call(True, None, "delete_many", keys, version)

    def incr(self, key, delta=1, version=None):
        # Django's contract: incr of a missing key raises ValueError; an outage is one.
        result = self._call(True, None, "incr", key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def clear(self):
        return self._call(True, False, "clear")

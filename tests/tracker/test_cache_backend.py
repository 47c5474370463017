"""A cache outage never takes the site down (tracker.cache_backend)."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.conftest import make_user
from tracker import cache_backend
from tracker.cache import learner_version
from tracker.models import Mentorship, User

# A port nothing listens on: every call is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "tracker.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# The Redis the tests may use (a database of its own); needed by the tests that say so.
LIVE_REDIS = {"default": {**DEAD_REDIS["default"], "LOCATION": "redis://127.0.0.1:6379/9"}}


@pytest.fixture(autouse=True)
def _fresh_health(monkeypatch):
    """Each test starts knowing nothing of any Redis (the state is per process)."""
    monkeypatch.setattr(cache_backend, "_HEALTH", {})


@pytest.fixture
def broken_redis(settings, monkeypatch):
    """The configured backend, with every call to Redis raising as a dead server does."""
    settings.CACHES = LIVE_REDIS

    def refuse(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr("django.core.cache.backends.redis.RedisCacheClient.get_client", refuse)
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.0)  # try Redis on every call
    return caches["default"]


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = DEAD_REDIS
    return caches["default"]


@pytest.fixture
def pages(learner, plan, client):
    mentor = make_user("maud", display_name="Maud Mentor")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    User.objects.filter(pk=learner.pk).update(portfolio_public=True)
    phase = plan.roadmap.phases.order_by("order").first()
    return [
        (learner, "/dashboard/"),
        (learner, f"/roadmap/{phase.key}/"),
        (mentor, "/mentor/"),
        (mentor, f"/mentor/{learner.username}/"),
        (None, f"/u/{learner.username}/"),
        (None, f"/u/{learner.username}/card.png"),
        (learner, "/practice/"),
        (learner, "/log/"),
        (learner, "/assessment/"),
        (None, "/"),
    ]


def _get_all(client, pages) -> list[tuple[str, int]]:
    statuses = []
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)  # saving last_login bumps a version: a cache write
        statuses.append((url, client.get(url).status_code))
    return statuses


def test_pages_render_when_every_cache_call_raises(broken_redis, client, pages):
    assert broken_redis.get("anything") is None  # the fixture really breaks the cache
    assert [status for _, status in _get_all(client, pages)] == [200] * len(pages)


def test_pages_render_against_a_redis_that_is_not_there(dead_redis, client, pages):
    start = time.monotonic()
    assert [status for _, status in _get_all(client, pages)] == [200] * len(pages)
    assert time.monotonic() - start < 10  # refused at once, then not retried for a while


def test_the_outage_is_logged_once_per_interval_not_per_call(broken_redis, caplog):
    with caplog.at_level(logging.ERROR, logger="tracker.cache_backend"):
        for _ in range(20):
            broken_redis.get("x")
            broken_redis.set("x", 1)
    assert len(caplog.records) == 1
    assert "Cache unavailable" in caplog.records[0].getMessage()


def test_a_failing_cache_is_not_retried_until_the_interval_passes(dead_redis, monkeypatch):
    calls = []
    real = type(dead_redis._cache).get_client
    monkeypatch.setattr(
        type(dead_redis._cache), "get_client", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for _ in range(10):
        assert dead_redis.get("x") is None
    assert len(calls) == 1


def test_learner_versions_are_fresh_each_time_while_the_cache_is_down(broken_redis):
    # Nothing cached under a version can be served again: each read gets a new one.
    assert learner_version(1) != learner_version(1)


def test_healthz_reports_the_cache_down_and_stays_200(db, dead_redis, client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}


def test_healthz_reports_a_working_redis(db, settings, client):
    settings.CACHES = LIVE_REDIS
    if not caches["default"].is_up():
        pytest.fail("This test needs Redis on 127.0.0.1:6379 (apt-get install redis-server).")
    assert client.get("/healthz/").json()["cache"] == "ok"


def test_writes_lost_in_an_outage_clear_the_cache_when_it_returns(settings, monkeypatch):
    # Redis was unreachable, not restarted: it still holds a version older than the data.
    settings.CACHES = LIVE_REDIS
    redis_cache = caches["default"]
    redis_cache.clear()
    redis_cache.set("learner:1:version", "old")
    real = type(redis_cache._cache).get_client

    def refuse(*args, **kwargs):
        raise RedisConnectionError("refused")

    monkeypatch.setattr(type(redis_cache._cache), "get_client", refuse)
    redis_cache.set("learner:1:version", "new")  # the bump is lost
    monkeypatch.setattr(type(redis_cache._cache), "get_client", real)
    redis_cache._health.down_until = 0.0  # the retry interval has passed
    assert redis_cache.get("learner:1:version") is None  # not "old"
    redis_cache.clear()


def test_the_local_cache_is_always_reported_ok(db, client):
    assert not hasattr(caches["default"], "is_up")  # no REDIS_URL: a per-process cache
    assert client.get("/healthz/").json()["cache"] == "ok"


def test_a_value_cached_by_its_inputs_is_built_while_the_cache_is_down(broken_redis):
    from tracker.cache import by_inputs

    built = []
    for _ in range(2):
        assert by_inputs("test-chart", (1, 2), lambda: built.append(1) or "drawn") == "drawn"
    assert built == [1, 1]  # drawn each time, never an error

"""The shared cache: the database cache unless CACHE_URL names a Redis server; anything else is
refused at start-up rather than silently falling back to a per-process cache."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

READ_CACHES = (
    "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
)


def caches_with(cache_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "schakel.settings.test", "CACHE_URL": cache_url}
    return subprocess.run(
        [sys.executable, "-c", READ_CACHES], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_database_cache_by_default():
    result = caches_with("")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["default"] == {
        "BACKEND": "schakel.cache.DatabaseCache",
        "LOCATION": "schakel_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }


def test_redis_when_cache_url_names_it():
    result = caches_with("redis://cache.internal:6379/2")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }


def test_another_cache_url_is_refused():
    result = caches_with("memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://, rediss:// or unix:// address." in result.stderr


@pytest.mark.django_db
def test_the_database_cache_counts_and_refuses_to_count_a_missing_key():
    cache.add("counter", 0, timeout=60)
    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ValueError):  # the rate limit starts a new count then
        cache.incr("no-such-counter")


@pytest.mark.django_db
def test_incr_keeps_the_counters_expiry():
    """A rate-limit window ends when it was set to, however often the client called in it."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        cache.add("window", 0, timeout=60)
        clock.shift(50)
        assert cache.incr("window") == 1
        clock.shift(15)  # 65 seconds after the window opened
        assert cache.get("window") is None
        with pytest.raises(ValueError):
            cache.incr("window")


@pytest.mark.django_db
def test_a_counter_survives_many_other_keys():
    """Django's default (300 entries, then cull a third) would delete the live counter here."""
    cache.add("counter", 0, timeout=60)
    cache.incr("counter")
    for n in range(400):
        cache.add(f"other-client-{n}", 0, timeout=60)
    assert cache.incr("counter") == 2

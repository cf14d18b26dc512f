"""The client's address behind trusted reverse proxies, and the one rate limiter."""

import os

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from kb import ratelimit
from kb.clients import client_address

factory = RequestFactory()


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return factory.get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_unix_socket_proxy_gives_each_client_its_address(settings):
    settings.TRUSTED_PROXIES = ["unix"]
    # nginx's $proxy_add_x_forwarded_for appends the address it saw.
    assert client_address(request_from("", "203.0.113.1")) == "203.0.113.1"
    assert client_address(request_from("", "203.0.113.2")) == "203.0.113.2"


def test_a_client_cannot_spoof_through_an_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote "192.0.2.99" itself; the proxy appended the address it really saw.
    assert client_address(request_from("10.0.0.5", "192.0.2.99, 203.0.113.1")) == "203.0.113.1"
    # Straight to the application, not through the proxy: the header is not believed.
    assert client_address(request_from("203.0.113.1", "192.0.2.99")) == "203.0.113.1"
    # Through two trusted proxies, the first untrusted address from the right.
    chain = "192.0.2.99, 203.0.113.1, 10.1.1.1"
    assert client_address(request_from("10.0.0.5", chain)) == "203.0.113.1"


def test_malformed_hops_stop_at_the_last_trusted_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_address(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_address(request_from("::1", "2001:db8::5")) == "2001:db8::5"


@pytest.fixture
def database_cache(db, settings):
    """The default cache of kb.settings.base (tests use an in-process one), with its table."""
    from django.core.management import call_command

    from kb.settings import base

    settings.CACHES = {**settings.CACHES, "shared": base.CACHES["default"]}
    call_command("createcachetable", verbosity=0)
    return lambda: DatabaseCache(base.CACHE_TABLE, {})


def exhaust(caches, monkeypatch, limit):
    """Take turns between `caches` (one per worker) until the key is refused."""
    accepted = 0
    for turn in range(limit * 3):
        monkeypatch.setattr(ratelimit, "cache", caches[turn % len(caches)])
        if ratelimit.hit("test", "client", limit, 60):
            accepted += 1
    return accepted


def test_limits_are_shared_by_workers_through_the_database(database_cache, monkeypatch):
    # Each worker process has its own cache object; the table behind them is one.
    assert exhaust([database_cache(), database_cache()], monkeypatch, limit=4) == 4


def test_in_process_caches_are_not_shared(monkeypatch):
    """Why the default is not the in-process cache: each worker would count alone."""
    workers = [LocMemCache("worker-1", {}), LocMemCache("worker-2", {})]
    assert exhaust(workers, monkeypatch, limit=4) == 8


def test_an_unreachable_cache_lets_requests_through(monkeypatch, caplog):
    class Broken:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        add = incr = set = get

    monkeypatch.setattr(ratelimit, "cache", Broken())
    assert ratelimit.hit("test", "client", 1, 60)
    assert "rate limit cache unavailable" in caplog.text


# One Redis database for each of the two suites that bin/run-tests runs side by side.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{14 if os.environ.get('TEST_DATABASE_URL') else 15}"


@pytest.fixture
def redis_cache():
    """Two RedisCache objects (two workers) on the local Redis, emptied; skip if none answers."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {REDIS_TEST_URL}")
    from django.core.cache.backends.redis import RedisCache

    yield lambda: RedisCache(REDIS_TEST_URL, {})
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()


def test_limits_are_shared_by_workers_through_redis(redis_cache, monkeypatch):
    assert exhaust([redis_cache(), redis_cache()], monkeypatch, limit=4) == 4


@pytest.mark.slow
def test_migrate_and_a_worker_run_with_redis_url(redis_cache, tmp_path):
    """REDIS_URL set: `migrate` (which makes the database cache's table) and a request work."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kb.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": REDIS_TEST_URL,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("TEST_DATABASE_URL", None)
    manage = [sys.executable, str(root / "manage.py")]
    migrate = subprocess.run(
        [*manage, "migrate", "--noinput"], env=env, capture_output=True, text=True, cwd=root
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    worker = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.core.cache import caches; from django.test import Client;"
            "cache = caches['default']; cache.set('alz-worker-check', 7);"
            "print(type(cache).__name__, cache.get('alz-worker-check'),"
            " Client(HTTP_HOST='localhost').get('/en/submit/').status_code)",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert worker.stdout.split()[-3:] == ["RedisCache", "7", "200"]

"""Fixtures of the Elasticsearch engine: a dead cluster (always) and a live one (optional).

A plugin of tests/conftest.py: every test module can use them.

Live tests need a cluster: set ELASTICSEARCH_URL. Without it they are skipped with the
reason shown by `pytest -ra`, unless REQUIRE_ELASTICSEARCH=1, where they fail instead.
"""

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest

from practices.search.engines import elasticsearch as es_engine_module

from .fake_cluster import FakeCluster

SKIP_REASON = (
    "no Elasticsearch cluster: set ELASTICSEARCH_URL (and REQUIRE_ELASTICSEARCH=1 to fail "
    "instead of skipping) to run the live engine tests"
)


@pytest.fixture
def fresh_engine_state():
    """Every test starts with no cached engine and a closed circuit breaker."""
    es_engine_module._engine.cache_clear()
    es_engine_module.reset_circuit()
    yield
    es_engine_module._engine.cache_clear()
    es_engine_module.reset_circuit()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_cluster(settings, closed_port):
    """ELASTICSEARCH_URL pointing at a closed port: every request is refused."""
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    return settings.ELASTICSEARCH_URL


@pytest.fixture
def offline_engine(closed_port):
    """An engine that is never asked anything (for request bodies and the mapping)."""
    return es_engine_module.ElasticsearchEngine(
        f"http://127.0.0.1:{closed_port}", "alianzas-unit", timeout=0.5
    )


@pytest.fixture
def cluster(settings):
    """The recording HTTP stand-in of a cluster (fake_cluster.py), configured as the
    cluster, with the index prefix `alianzas-fake` (alias `alianzas-fake-practices`)."""
    fake = FakeCluster().start()
    settings.ELASTICSEARCH_URL = fake.url
    settings.ELASTICSEARCH_INDEX_PREFIX = "alianzas-fake"
    yield fake
    fake.stop()


def pytest_runtest_setup(item):
    """A test that needs a cluster is skipped (or fails, with REQUIRE_ELASTICSEARCH=1) before
    its fixtures build any data, when no cluster is configured."""
    if item.get_closest_marker("elasticsearch") and not os.environ.get("ELASTICSEARCH_URL"):
        if os.environ.get("REQUIRE_ELASTICSEARCH") == "1":
            pytest.fail("REQUIRE_ELASTICSEARCH=1 but ELASTICSEARCH_URL is not set")
        pytest.skip(SKIP_REASON)


@pytest.fixture
def live_engine(settings):
    """An engine on a real cluster, with an index prefix of its own (removed afterwards).

    The settings point at the same prefix, so that index maintenance on publish writes there.
    """
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if not url:
        if os.environ.get("REQUIRE_ELASTICSEARCH") == "1":
            pytest.fail("REQUIRE_ELASTICSEARCH=1 but ELASTICSEARCH_URL is not set")
        pytest.skip(SKIP_REASON)
    prefix = f"alianzas-test-{uuid.uuid4().hex[:10]}"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    settings.ELASTICSEARCH_TIMEOUT = 10.0
    engine = es_engine_module.elasticsearch_engine()
    if not engine.client.ping():
        parts = urlsplit(url)
        message = f"Elasticsearch at {parts.hostname}:{parts.port} does not answer"
        if os.environ.get("REQUIRE_ELASTICSEARCH") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.delete_all()

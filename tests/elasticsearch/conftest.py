from tests.elasticsearch.fixtures import (  # noqa: F401
    _fresh_engine_state,
    closed_port,
    dead_cluster,
    live_engine,
    offline_engine,
)

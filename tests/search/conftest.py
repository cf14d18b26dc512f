from tests.elasticsearch.fixtures import _fresh_engine_state, live_engine  # noqa: F401
from tests.search.fixtures import engine_search, fresh_snapshot, search  # noqa: F401

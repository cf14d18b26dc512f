import pytest


@pytest.fixture(autouse=True)
def _fresh_search_state(fresh_snapshot, fresh_engine_state):
    """Each search test starts with no snapshot, no cached engine and a closed breaker."""

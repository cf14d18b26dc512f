import pytest


@pytest.fixture(autouse=True)
def _fresh_engine_state(fresh_engine_state):
    """Each engine test starts with no cached engine and a closed circuit breaker."""

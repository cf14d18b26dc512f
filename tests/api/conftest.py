import pytest


@pytest.fixture(autouse=True)
def _fresh_search_state(fresh_snapshot):
    """Each API test starts with no snapshot of an earlier test's database."""

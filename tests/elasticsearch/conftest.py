import pytest

from tests.conftest import shared_site_tree_fixtures

# The site skeleton is built once for the package (no test here needs a live server).
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")


@pytest.fixture(autouse=True)
def _fresh_engine_state(fresh_engine_state):
    """Each engine test starts with no cached engine and a closed circuit breaker."""

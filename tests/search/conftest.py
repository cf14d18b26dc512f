import pytest

from tests.conftest import shared_site_tree_fixtures

#: The site skeleton, built once for the search tests.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")


@pytest.fixture(autouse=True)
def _fresh_search_state(fresh_snapshot, fresh_engine_state):
    """Each search test starts with no snapshot, no cached engine and a closed breaker."""

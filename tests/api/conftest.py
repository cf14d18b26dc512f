from tests.search.fixtures import fresh_snapshot, search  # noqa: F401

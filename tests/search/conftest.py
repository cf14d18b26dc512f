from tests.search.fixtures import fresh_snapshot, search, vocabularies  # noqa: F401

import pytest

from practices.search import memory


@pytest.fixture(autouse=True)
def fresh_snapshot():
    """Each test starts from its own database state: forget the previous snapshot."""
    memory.reset()
    yield
    memory.reset()


@pytest.fixture
def search(db):
    """search(q="...", lang="en", cooperation_model=[...], ...) -> SearchResults."""
    from django.http import QueryDict

    from practices.search.service import parse_search_params, search_practices

    def run(**params):
        query_dict = QueryDict(mutable=True)
        for key, value in params.items():
            if isinstance(value, (list, tuple)):
                query_dict.setlist(key, [str(v) for v in value])
            else:
                query_dict[key] = str(value)
        query, errors = parse_search_params(query_dict)
        assert not errors, errors
        return search_practices(query)

    return run

"""Fixtures shared by the search and API tests."""

import json

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from practices.models import VOCABULARIES
from practices.search import memory
from practices.vocabularies import VOCABULARIES_FILE, load_vocabularies


def load_vocabularies_fitting_columns(tmp_path):
    """Load the vocabularies; on PostgreSQL, cut labels longer than their column.

    Three labels of practices/data/vocabularies.json (guiding questions q3 and q5 in
    French and Spanish) are longer than the 255 characters of VocabularyTerm.label_*.
    SQLite ignores the length; PostgreSQL refuses the row, so the shared `vocabularies`
    fixture cannot run there until the model allows longer labels.
    """
    if connection.vendor != "postgresql":
        load_vocabularies()
        return
    data = json.loads(VOCABULARIES_FILE.read_text(encoding="utf-8"))
    for key, model in VOCABULARIES.items():
        for item in data[key]:
            for field, value in item.items():
                try:
                    max_length = model._meta.get_field(field).max_length
                except FieldDoesNotExist:
                    continue
                if isinstance(value, str) and max_length and len(value) > max_length:
                    item[field] = value[: max_length - 1] + "…"
    path = tmp_path / "vocabularies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    load_vocabularies(path)


@pytest.fixture
def vocabularies(db, tmp_path):
    load_vocabularies_fitting_columns(tmp_path)


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

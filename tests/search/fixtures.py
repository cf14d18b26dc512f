"""Fixtures shared by the search and API tests (a plugin of tests/conftest.py)."""

import pytest

from practices.search import memory


@pytest.fixture
def fresh_snapshot():
    """Each test starts from its own database state: forget the previous snapshot."""
    memory.reset()
    yield
    memory.reset()


def funding_rows():
    """Two funding rows: a grant disbursed by a funder of the United States to a ministry of
    Senegal (USD 250,000), and a pledge in a currency without an exchange rate (counted
    apart: not in the USD total)."""
    from practices.models import Organisation, PracticeFunding
    from tests.conftest import create_usaid

    usaid = create_usaid()
    ministry = Organisation.objects.create(
        slug="ministry-of-health-senegal", name_en="Ministry of Health of Senegal", country="SN"
    )
    regional = Organisation.objects.create(
        slug="west-african-fund", name_en="West African Solidarity Fund", country="GH"
    )
    return [
        PracticeFunding(
            source="Leahy War Victims Fund",
            funder=usaid,
            recipient_organisation=ministry,
            amount=250000,
            currency="USD",
            year_start=2019,
            funding_type="grant",
            status="disbursed",
        ),
        PracticeFunding(
            source="West African Solidarity Fund",
            funder=regional,
            amount=1000000,
            currency="GHS",
            year_start=2019,
            funding_type="loan",
            status="pledged",
        ),
    ]


@pytest.fixture
def indexed_entry(make_practice, translate):
    """(original, French translation): a published entry with every kind of searchable
    text (answers, body blocks, a rich-text section, partners, organisation, terms,
    countries, a tag), for the tests of its search documents."""
    original = make_practice(
        language="en",
        title="Regional fund for rehabilitation",
        summary="Trainings paid by a regional fund.",
        organisation="Survivors Network",
        partners="Ministry of Health",
        answers=[
            {"type": "answer", "value": {"question": "q3", "answer": "<p>Pooled <b>money</b>.</p>"}}
        ],
        body=[
            {"type": "heading", "value": "Background"},
            {"type": "paragraph", "value": "<p>Details of the <i>fund</i>.</p>"},
        ],
        outcomes="<p>Four hundred people fitted.</p>",
        year=2019,
        countries=["SN", "KE"],
        cooperation_model=["regional-funds"],
        region=["africa"],
        funding=funding_rows(),
    )
    original.tags.add("Peer support")
    original.save_revision().publish()
    original.refresh_from_db()
    french = translate(
        original, "fr", title="Fonds régional de réadaptation", summary="Des formations."
    )
    return original, french


def search_query(**params):
    """The valid SearchQuery of parameters as a URL gives them: search_query(q="...",
    lang="en", cooperation_model=[...], ...)."""
    from django.http import QueryDict

    from practices.search.service import parse_search_params

    query_dict = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            query_dict.setlist(key, [str(v) for v in value])
        else:
            query_dict[key] = str(value)
    query, errors = parse_search_params(query_dict)
    assert not errors, errors
    return query


@pytest.fixture
def search(db):
    """search(q="...", lang="en", cooperation_model=[...], ...) -> SearchResults."""
    from practices.search.service import search_practices

    return lambda **params: search_practices(search_query(**params))


#: The engines the engine-independent contract tests run through. The Elasticsearch one needs
#: a cluster (`live_engine`: skipped with a visible reason without ELASTICSEARCH_URL, failing
#: with REQUIRE_ELASTICSEARCH=1).
ENGINES = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(params=ENGINES)
def engine_search(request, search, settings):
    """Like `search`, through each engine of the service in turn.

    Through Elasticsearch, the index is rebuilt from the database before a search whenever
    the pages changed since the last one (publication signals wait for a commit that test
    transactions never make), and an answer from the database fallback fails the test.
    """
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""
        return search

    from practices.search.es_indexing import IndexWriter
    from practices.search.versions import current_version

    engine = request.getfixturevalue("live_engine")
    indexed = {"version": None}

    def run(**params):
        version = current_version()
        if version != indexed["version"]:
            IndexWriter(engine).rebuild()
            indexed["version"] = version
        results = search(**params)
        assert results.engine == "elasticsearch", "the cluster failed: see the warning logged"
        return results

    return run

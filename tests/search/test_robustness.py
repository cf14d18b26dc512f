"""Bad input never breaks search: arbitrary queries and parameters, engine and API."""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.facets import FACET_KEYS
from practices.search.analysis import LANGUAGES, parse_query
from practices.search.engines import database_engine
from practices.search.query import SORTS, SearchQuery
from practices.search.service import search_practices

SYNTAX = [
    '"', '""', '"unbalanced phrase', "*", "fund*", "NEAR(fund training, 2)", "NEAR", "-fund",
    "^fund", "(fund OR training) AND NOT x", "AND", "OR", "NOT", "{title}: fund", "title:fund",
    "'", "\\", "fund:*", "!fund", "fund & | training", "<->", "fund <2> training", "\x00",
    "\x1f\x7f", "صُندوق \"الصندوق", "fondo développement صندوق 基金", "x" * 10_000,
    "ـــ", "ال", "​", "\u202e", "e\u0301", "%", "_", "%_%", "1=1; DROP TABLE x", "ǅ", "ß",
]  # fmt: skip
queries = st.one_of(
    st.sampled_from(SYNTAX),
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=12)), max_size=6).map(" ".join),
)
ROBUST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def corpus(make_practice):
    make_practice(language="en", title="Regional fund training", region=["africa"])
    make_practice(language="ar", title="الصندوق الإقليمي", countries=["JO"], year=2020)
    make_practice(language="fr", title="Développement régional", summary="fonds * NEAR")


@ROBUST
@given(q=queries, lang=st.sampled_from(LANGUAGES), sort=st.sampled_from(SORTS))
def test_engine_and_service_never_fail(corpus, q, lang, sort):
    parsed = parse_query(q)
    engine = database_engine()
    hits = engine.match(parsed)
    for language in LANGUAGES:  # what the ranking asks of the engine, with any words
        for kind, value in parsed.stemmed(language)[:2]:
            first = value if kind == "word" else value[0]
            engine.body_has([(language, [first, first], True, hits)])
    results = search_practices(SearchQuery(q=q, lang=lang, sort=sort))
    assert results.count >= 0
    assert set(results.facets) == set(FACET_KEYS)


PARAMETER_NAMES = [*FACET_KEYS, "q", "lang", "sort", "page", "page_size"]
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "africa",
            "regional-funds",
            "SN",
            "sn",
            "2020",
            "ar",
            "en",
            "0",
            "-1",
            "100",
            "101",
            "1e3",
            "title",
            "relevance",
            "",
            " ",
            "9" * 400,
        ]
    ),  # fmt: skip
)
params = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(max_size=10)),
    st.lists(values, min_size=1, max_size=3),
    max_size=6,
)


@ROBUST
@given(query=params)
def test_api_answers_200_or_400(client, corpus, query):
    response = client.get("/api/v1/practices/?" + urlencode(query, doseq=True))
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    data = response.json()
    if response.status_code == HTTPStatus.OK:
        assert set(data) == {"count", "page", "page_size", "results", "facets"}
    else:
        assert list(data) == ["errors"] and data["errors"]
        assert set(data["errors"]) <= set(PARAMETER_NAMES)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=queries)
def test_search_page_never_fails(client, corpus, q):
    response = client.get("/ar/practices/", {"q": q, "region": "nowhere"})
    assert response.status_code == HTTPStatus.OK

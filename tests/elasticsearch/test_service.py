"""The search service with the Elasticsearch engine configured: the API and the page cannot tell
which engine answered, and a dead cluster is answered from the database."""

import json
import logging
from dataclasses import replace
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.http import QueryDict

from practices.facets import CLOSED_FACETS, FACET_KEYS
from practices.models import VOCABULARIES, PracticePage
from practices.search.engines import elasticsearch as es_engine_module
from practices.search.engines.elasticsearch import ElasticsearchEngine
from practices.search.es_indexing import document_of
from practices.search.service import parse_search_params, search_practices

API = "/api/v1/practices/"


@pytest.fixture
def corpus(make_practice, translate):
    fund = make_practice(
        language="es",
        title="Fondo regional de rehabilitación",
        summary="Un fondo regional para la rehabilitación física.",
        region=["africa"],
        countries=["SN", "ML"],
        year=2019,
        organisation="Red de sobrevivientes",
    )
    translate(fund, "en", title="Regional rehabilitation fund", summary="A regional fund.")
    nurses = make_practice(
        language="en",
        title="Training of nurses",
        summary="Nurses trained by a regional fund.",
        cooperation_model=["south-south-cooperation"],
        region=["americas"],
        countries=["CO"],
        year=2021,
    )
    translate(nurses, "fr", title="Formation des infirmières")
    make_practice(language="fr", title="Échange entre pairs", region=["africa"])
    return fund, nurses


def query(**params):
    query_dict = QueryDict(mutable=True)
    for key, value in params.items():
        query_dict.setlist(key, value if isinstance(value, list) else [str(value)])
    parsed, errors = parse_search_params(query_dict)
    assert not errors, errors
    return parsed


# -- (a) a dead cluster: the API and the page answer from the database -------------------------

API_REQUESTS = [
    {"lang": "en"},
    {"lang": "fr", "q": "fund"},
    {"lang": "es", "region": "africa", "sort": "title"},
    {"lang": "ar", "country": ["SN", "CO"], "page_size": "1", "page": "2"},
]


@pytest.mark.parametrize("params", API_REQUESTS)
def test_api_with_a_dead_cluster_answers_as_without_elasticsearch(
    client, settings, closed_port, corpus, caplog, params
):
    settings.ELASTICSEARCH_URL = ""
    expected = client.get(API, params)
    assert expected.status_code == HTTPStatus.OK
    assert expected.json()["count"] > 0

    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.ELASTICSEARCH_TIMEOUT = 0.5
    with caplog.at_level(logging.WARNING, logger="practices.search"):
        response = client.get(API, params)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == expected.json()
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert any("database engine" in record.getMessage() for record in warnings)


def test_search_page_with_a_dead_cluster_lists_the_results(client, dead_cluster, corpus, caplog):
    with caplog.at_level(logging.WARNING, logger="practices.search"):
        response = client.get("/en/practices/", {"q": "fund"})
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Regional rehabilitation fund" in content
    assert "Training of nurses" in content
    assert "Échange entre pairs" not in content
    assert any("database engine" in record.getMessage() for record in caplog.records)


def refuse(*args, **kwargs):
    raise AssertionError("the Elasticsearch engine was asked")


def test_unset_url_never_reaches_the_elasticsearch_engine(settings, corpus, monkeypatch):
    settings.ELASTICSEARCH_URL = ""
    monkeypatch.setattr(es_engine_module, "search_with_fallback", refuse)
    results = search_practices(query(q="fund"))
    assert results.engine == "database" and results.count == 2


def test_pages_beyond_the_clusters_window_come_from_the_database(settings, corpus, monkeypatch):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    monkeypatch.setattr(es_engine_module, "search_with_fallback", refuse)
    deep = replace(query(), page=101, page_size=100)
    results = search_practices(deep)
    assert results.engine == "database" and results.count == 3 and results.results == []


# -- (b) the Elasticsearch path, from a recorded answer, shaped like the database path ---------


class RecordedClient:
    """Answers every search with the same recorded cluster response."""

    def __init__(self, response):
        self.response = response
        self.requests = []

    def search(self, **kwargs):
        self.requests.append(kwargs)
        return SimpleNamespace(body=self.response)


def recorded_response(database_results):
    """The response a cluster holding these entries would give: the hits are the documents
    indexing builds for the versions shown, the aggregations carry the same counts, in the
    order the request asks the cluster for (closed facets by key, open ones by count)."""
    hits = []
    for result in database_results.results:
        page = PracticePage.objects.get(
            translation_key=result.id, locale__language_code=result.lang
        )
        source = json.loads(json.dumps(document_of(page).to_dict(), default=str))
        hits.append({"_index": "unit", "_id": str(page.pk), "_score": 1.0, "_source": source})
    aggregations = {}
    for key in FACET_KEYS:
        buckets = [
            {"key": item.value, "doc_count": item.count}
            for item in database_results.facets[key]
            if item.count
        ]
        if key in CLOSED_FACETS:
            buckets.sort(key=lambda bucket: bucket["key"])
        aggregations[key] = {"doc_count": database_results.count, "values": {"buckets": buckets}}
    return {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": database_results.count, "relation": "eq"}, "hits": hits},
        "aggregations": aggregations,
    }


RESULT_FIELDS = (
    "id",
    "url",
    "title",
    "summary",
    "lang",
    "language",
    "translated",
    "year",
    "organisation",
    "classification",
    "labels",
    "snippet",
    "language_name",
    "original_language_name",
)

SERVICE_REQUESTS = [
    {"lang": "fr"},
    {"lang": "ar", "region": ["africa"]},
    {"lang": "es", "country": ["SN", "CO"], "sort": "title"},
]


@pytest.mark.parametrize("params", SERVICE_REQUESTS)
def test_elasticsearch_answers_are_shaped_and_labelled_like_the_database(
    settings, monkeypatch, corpus, params
):
    settings.ELASTICSEARCH_URL = ""
    search_query = query(**params)
    expected = search_practices(search_query)
    assert expected.engine == "database" and expected.results

    client = RecordedClient(recorded_response(expected))
    engine = ElasticsearchEngine("http://unused", "alianzas-unit", client=client)
    settings.ELASTICSEARCH_URL = "http://unused"
    monkeypatch.setattr(es_engine_module, "elasticsearch_engine", lambda: engine)
    got = search_practices(search_query)

    assert got.engine == "elasticsearch"
    assert len(client.requests) == 1
    assert (got.count, got.page, got.page_size, got.num_pages) == (
        expected.count,
        expected.page,
        expected.page_size,
        expected.num_pages,
    )
    assert list(got.facets) == list(FACET_KEYS) == list(expected.facets)
    for key in FACET_KEYS:
        assert [(i.value, i.label, i.count) for i in got.facets[key]] == [
            (i.value, i.label, i.count) for i in expected.facets[key]
        ], key
    for key, model in VOCABULARIES.items():  # complete, in vocabulary order
        assert [item.value for item in got.facets[key]] == list(
            model.objects.values_list("slug", flat=True)
        )
    assert len(got.results) == len(expected.results)
    for mine, theirs in zip(got.results, expected.results, strict=True):
        for name in RESULT_FIELDS:
            assert getattr(mine, name) == getattr(theirs, name), name


def test_the_request_sent_to_the_engine_follows_the_query(settings, monkeypatch, corpus):
    sent = []

    def record(request, fallback, engine=None):
        sent.append(request)
        return fallback(request)

    search_query = query(q="fund", lang="fr", region=["africa", "americas"], page_size="1")
    settings.ELASTICSEARCH_URL = ""
    expected = search_practices(search_query)
    settings.ELASTICSEARCH_URL = "http://unused"
    monkeypatch.setattr(es_engine_module, "search_with_fallback", record)
    results = search_practices(search_query)
    (request,) = sent
    assert request is search_query  # one request type: the validated query itself
    assert request.filters == {"region": ["africa", "americas"]}
    assert (request.q, request.lang, request.effective_sort, request.page, request.page_size) == (
        "fund",
        "fr",
        "relevance",
        1,
        1,
    )
    assert query().effective_sort == "newest"
    assert query(q='" ! "').effective_sort == "newest"  # no word to rank by
    # What the fallback answered is what the service returns.
    assert results.engine == "database" and results.count == expected.count > 0
    assert [r.id for r in results.results] == [r.id for r in expected.results]


# -- counts per value (the insights' timeline and selected values) -----------------------------


@pytest.mark.parametrize("params", [{}, {"q": "fund"}, {"region": "africa", "q": "regional"}])
def test_counts_by_value_equal_a_search_per_value(settings, corpus, params):
    from practices.search.service import counts_by_value

    settings.ELASTICSEARCH_URL = ""
    search_query = query(**params)
    values = ["africa", "americas", "asia-pacific"]
    counts = counts_by_value(search_query, "region", values, count_key="year")
    for value in values:
        filters = {**search_query.filters, "region": [value]}
        found = search_practices(replace(search_query, filters=filters))
        count, years = counts[value]
        assert count == found.count, value
        assert [(i.value, i.count) for i in years] == [
            (i.value, i.count) for i in found.facets["year"]
        ], value


def test_counts_by_value_ask_elasticsearch_when_it_answers_searches(settings, monkeypatch, corpus):
    from practices.search.service import counts_by_value

    settings.ELASTICSEARCH_URL = ""
    expected = search_practices(query(region="africa"))
    client = RecordedClient(recorded_response(expected))
    engine = ElasticsearchEngine("http://unused", "alianzas-unit", client=client)
    settings.ELASTICSEARCH_URL = "http://unused"
    monkeypatch.setattr(es_engine_module, "elasticsearch_engine", lambda: engine)
    counts = counts_by_value(query(), "region", ["africa", "americas"], count_key="year")
    assert len(client.requests) == 2  # one search per value, as the page would make
    assert counts["africa"][0] == expected.count
    assert [i.count for i in counts["africa"][1]] == [i.count for i in expected.facets["year"]]

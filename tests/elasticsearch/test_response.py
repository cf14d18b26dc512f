"""Turning a cluster's answer into the engine's result (a recorded response, no cluster)."""

from types import SimpleNamespace

import pytest

from practices.facets import FACET_KEYS
from practices.models import CooperationModel
from practices.search.engines.elasticsearch import ElasticsearchEngine
from practices.search.query import SearchQuery


def source(page_id, lang, language, is_original, **extra):
    return {
        "page_id": page_id,
        "translation_key": f"00000000-0000-0000-0000-{page_id:012d}",
        "lang": lang,
        "language": [language],
        "is_original": is_original,
        "url": f"/{lang}/practices/p{page_id}/",
        "title": f"Title {page_id}",
        "summary": "Summary <with> markup & more",
        "organisation": "Org",
        "first_published_at": "2024-01-02T03:04:05+00:00",
        "year": ["2019"],
        "cooperation_model": ["regional-funds"],
        "country": ["SN"],
        **extra,
    }


RESPONSE = {
    "took": 3,
    "timed_out": False,
    "hits": {
        "total": {"value": 42, "relation": "eq"},
        "max_score": 2.0,
        "hits": [
            {
                "_index": "alianzas-unit-practices-1",
                "_id": "7",
                "_score": 2.0,
                "_source": source(7, "fr", "en", False),
                "highlight": {"text.fr.summary": ["un <mark>fonds</mark> régional"]},
            },
            {
                "_index": "alianzas-unit-practices-1",
                "_id": "9",
                "_score": 1.0,
                "_source": source(9, "es", "es", True, year=[]),
            },
        ],
    },
    "aggregations": {
        "cooperation_model": {
            "doc_count": 42,
            "values": {"buckets": [{"key": "regional-funds", "doc_count": 30}]},
        },
        "country": {
            "doc_count": 40,
            "values": {"buckets": [{"key": "SN", "doc_count": 12}, {"key": "KE", "doc_count": 3}]},
        },
        "year": {
            "doc_count": 40,
            "values": {
                "buckets": [{"key": "2021", "doc_count": 1}, {"key": "2019", "doc_count": 9}]
            },
        },
        "language": {"doc_count": 42, "values": {"buckets": [{"key": "es", "doc_count": 5}]}},
        "available_in": {
            "doc_count": 42,
            "values": {"buckets": [{"key": "en", "doc_count": 7}, {"key": "fr", "doc_count": 2}]},
        },
    },
}


class RecordedClient:
    def __init__(self, response):
        self.response = response
        self.requests = []

    def search(self, **kwargs):
        self.requests.append(kwargs)
        return SimpleNamespace(body=self.response)


@pytest.fixture
def answered(vocabularies):
    client = RecordedClient(RESPONSE)
    engine = ElasticsearchEngine("http://unused", "alianzas-unit", client=client)
    result = engine.search(SearchQuery(q="fonds", lang="fr"))
    return client, result


def test_the_search_goes_to_the_alias(answered):
    client, _ = answered
    (request,) = client.requests
    assert request["index"] == ["alianzas-unit-practices"]


def test_count_and_results_shaped_like_the_contract(answered):
    _, result = answered
    assert result["count"] == 42
    first, second = result["results"]
    assert first["id"] == "00000000-0000-0000-0000-000000000007"
    assert first["lang"] == "fr" and first["language"] == "en" and first["translated"] is True
    assert first["url"] == "/fr/practices/p7/"
    assert first["year"] == 2019
    assert first["cooperation_model"] == ["regional-funds"] and first["country"] == ["SN"]
    for key in FACET_KEYS:
        if key not in ("year", "language"):
            assert isinstance(first[key], list)
    assert first["snippet"] == "un <mark>fonds</mark> régional"
    assert second["translated"] is False and second["year"] is None
    # Without a highlight, the summary, escaped.
    assert second["snippet"] == "Summary &lt;with&gt; markup &amp; more"


def test_closed_facets_list_every_term_in_vocabulary_order(answered):
    _, result = answered
    assert set(result["facets"]) == set(FACET_KEYS)
    cooperation = result["facets"]["cooperation_model"]
    assert [item["value"] for item in cooperation] == list(
        CooperationModel.objects.values_list("slug", flat=True)
    )
    counts = {item["value"]: item["count"] for item in cooperation}
    assert counts["regional-funds"] == 30
    assert sum(counts.values()) == 30
    assert result["facets"]["language"] == [
        {"value": "ar", "count": 0},
        {"value": "en", "count": 0},
        {"value": "fr", "count": 0},
        {"value": "es", "count": 5},
    ]
    assert result["facets"]["available_in"] == [
        {"value": "ar", "count": 0},
        {"value": "en", "count": 7},
        {"value": "fr", "count": 2},
        {"value": "es", "count": 0},
    ]
    assert len(result["facets"]["region"]) > 0
    assert all(item["count"] == 0 for item in result["facets"]["region"])


def test_open_facets_list_non_zero_values(answered):
    _, result = answered
    assert result["facets"]["country"] == [
        {"value": "SN", "count": 12},
        {"value": "KE", "count": 3},
    ]
    # Strings, as the database engine's facet values (the API turns years into numbers).
    assert result["facets"]["year"] == [
        {"value": "2021", "count": 1},
        {"value": "2019", "count": 9},
    ]
    assert result["facets"]["tag"] == []

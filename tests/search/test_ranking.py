"""Relevance on the database engines: the ranking contract (ranking_contract.py), and the
in-memory field index following publications."""

import pytest

from practices.search.analysis import parse_query
from practices.search.engines import database_engine
from practices.search.memory import get_snapshot
from practices.search.models import SearchDocument
from practices.search.query import SearchQuery
from practices.search.ranking import score_groups
from practices.search.service import search_practices

from .ranking_contract import CASES, build_corpus


@pytest.fixture
def corpus(make_practice):
    return build_corpus(make_practice)


def found_keys(corpus, lang, q):
    by_title = {page.title: key for key, page in corpus.items()}
    results = search_practices(SearchQuery(q=q, lang=lang, sort="relevance", page_size=100))
    return [by_title.get(result.title, result.title) for result in results.results]


@pytest.mark.parametrize("lang,q,expected", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_the_ranking_contract(corpus, lang, q, expected):
    assert found_keys(corpus, lang, q) == expected


def test_the_first_page_is_the_start_of_the_whole_order(corpus):
    whole = found_keys(corpus, "en", "regional fund")
    first = search_practices(
        SearchQuery(q="regional fund", lang="en", sort="relevance", page_size=3)
    )
    second = search_practices(
        SearchQuery(q="regional fund", lang="en", sort="relevance", page_size=3, page=2)
    )
    by_title = {page.title: key for key, page in corpus.items()}
    paged = [by_title[r.title] for r in (*first.results, *second.results)]
    assert paged == whole[:6]


def test_the_scores_are_the_fields_weights(corpus):
    """The pair of integers of ranking.py: (proximity, coverage)."""
    snapshot = get_snapshot()
    parsed = parse_query("regional fund")
    engine = database_engine()
    matching = engine.match(parsed) & snapshot.all_documents
    groups = score_groups(parsed, matching, snapshot.field_index, engine.body_has)
    found = {doc_id: score for score, members in groups.items() for doc_id in members}
    ids = dict(SearchDocument.objects.values_list("page_id", "pk"))
    score = {key: found.get(ids[page.pk]) for key, page in corpus.items()}
    assert score["title phrase, older"] == (8, 16)
    assert score["names phrase"] == (4, 8)
    assert score["labels phrase"] == (2, 4)
    assert score["body phrase"] == (1, 2)
    assert score["title words apart"] == (0, 16)
    assert score["body words apart"] == (0, 2)  # no proximity, both words in the body
    assert score["no match"] is None  # not in the matching documents


def test_an_edited_title_moves_the_entry_without_a_rebuild(corpus):
    assert found_keys(corpus, "en", "ITF")[0] == "ITF in the title"
    page = corpus["ITF in the body"]
    page.title = "ITF grants to survivors"
    page.save_revision().publish()
    corpus["ITF in the body"] = page
    assert found_keys(corpus, "en", "ITF") == [
        "ITF in the body",
        "ITF in the title",
        "ITF in the names",
    ]
    page.unpublish()
    assert found_keys(corpus, "en", "ITF") == ["ITF in the title", "ITF in the names"]


def test_a_new_word_is_found_by_its_beginning_after_an_update(corpus, make_practice):
    """The snapshot's sorted words (prefix lookups) take a word first seen in a publication."""
    assert found_keys(corpus, "en", "ITF")  # the sorted words are built and cached
    before = get_snapshot()
    page = make_practice(language="en", title="Zanzibar workshop", summary="ITF paid.")
    after = get_snapshot()
    assert after is not before and after.field_index is not before.field_index
    assert found_keys(corpus, "en", "zanzi") == [page.title]  # a prefix, the title's word
    assert found_keys(corpus, "en", "ITF")[:2] == ["ITF in the title", "ITF in the names"]
    assert page.title in found_keys(corpus, "en", "ITF")

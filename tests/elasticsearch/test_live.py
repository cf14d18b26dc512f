"""The search contract against a real Elasticsearch cluster.

Skipped with a visible reason unless ELASTICSEARCH_URL is set; with REQUIRE_ELASTICSEARCH=1
a missing or silent cluster fails them instead. Each test uses an index prefix of its own
and removes its indices afterwards.

    ELASTICSEARCH_URL=https://user:password@es.example.org:9200 REQUIRE_ELASTICSEARCH=1 \\
        .venv/bin/python -m pytest tests/elasticsearch -m elasticsearch
"""

from collections import Counter

import pytest
from django.core.management import call_command

from practices.models import PracticePage
from practices.search.es_indexing import IndexWriter
from practices.search.query import SearchQuery
from tests.search.ranking_contract import CASES as RANKING_CASES
from tests.search.ranking_contract import build_corpus

pytestmark = pytest.mark.elasticsearch


#: A classification whose labels share no word with the texts searched below (labels are
#: searchable text too).
NEUTRAL = {"cooperation_model": ["public-private-partnerships"], "guiding_question": ["q2"]}


def search(engine, **kwargs):
    return engine.search(SearchQuery(**kwargs))


def titles(result):
    return [hit["title"] for hit in result["results"]]


def counts(result, key):
    return {item["value"]: item["count"] for item in result["facets"][key]}


# -- each language's matching rules -----------------------------------------------------------

MATCHING = [
    ("es", "Cooperación sur-sur entre centros", "cooperacion"),
    ("es", "Un fondo regional para la rehabilitación", "fondos regionales"),
    ("fr", "Le développement des services", "developpement"),
    ("fr", "Le financement des prothèses", "financements"),
    ("en", "Peer training for survivors", "trainings"),
    ("ar", "الصندوق الإقليمي لإعادة التأهيل", "صندوق"),
    ("ar", "صُندوق للتدريب", "صندوق"),
    ("ar", "صندوق للناجين", "الصندوق"),
]


@pytest.mark.parametrize("language,title,query", MATCHING)
def test_language_matching_rules(live_engine, make_practice, language, title, query):
    make_practice(language=language, title=title, summary=title, **NEUTRAL)
    make_practice(language=language, title="Sin relación", summary="Nothing to see", **NEUTRAL)
    IndexWriter(live_engine).rebuild()
    result = search(live_engine, q=query, lang=language)
    assert titles(result) == [title]
    assert result["count"] == 1


def test_words_are_anded_phrases_match_and_the_last_word_is_a_prefix(live_engine, make_practice):
    make_practice(language="en", title="Regional fund for rehabilitation", **NEUTRAL)
    make_practice(language="en", title="Fund for regional training centres", **NEUTRAL)
    make_practice(language="en", title="Rehabilitation centres", **NEUTRAL)
    IndexWriter(live_engine).rebuild()
    assert set(titles(search(live_engine, q="fund rehabilitation"))) == {
        "Regional fund for rehabilitation"
    }
    assert titles(search(live_engine, q='"regional fund"')) == ["Regional fund for rehabilitation"]
    assert set(titles(search(live_engine, q="rehabilitation cent"))) == {"Rehabilitation centres"}
    assert search(live_engine, q="fund nonexistentword")["count"] == 0


def test_labels_and_organisation_are_searchable_and_titles_rank_first(live_engine, make_practice):
    make_practice(
        language="en",
        title="Pooled money",
        summary="Money pooled by neighbours.",
        cooperation_model=["regional-funds"],
        guiding_question=["q2"],
        organisation="Landmine Survivors Initiative",
    )
    make_practice(
        language="en",
        title="Survivors initiative grants",
        summary="Small grants.",
        **NEUTRAL,
    )
    IndexWriter(live_engine).rebuild()
    assert titles(search(live_engine, q="regional funds")) == ["Pooled money"]
    found = titles(search(live_engine, q="survivors initiative"))
    assert found[0] == "Survivors initiative grants"
    assert set(found) == {"Survivors initiative grants", "Pooled money"}


def test_the_ranking_contract(live_engine, make_practice):
    """The order the database engines give the contract's corpus (ranking_contract.py)."""
    pages = build_corpus(make_practice)
    IndexWriter(live_engine).rebuild()
    keys = {page.title: key for key, page in pages.items()}
    for lang, q, expected in RANKING_CASES:
        found = search(live_engine, q=q, lang=lang, sort="relevance", page_size=100)
        assert [keys.get(title, title) for title in titles(found)] == expected, (lang, q)


def test_snippets_are_highlighted_and_escaped(live_engine, make_practice):
    make_practice(language="en", title="Entry", summary="A <b>regional</b> fund for survivors.")
    IndexWriter(live_engine).rebuild()
    (hit,) = search(live_engine, q="fund")["results"]
    assert "<mark>fund</mark>" in hit["snippet"]
    assert "&lt;b&gt;" in hit["snippet"]


# -- language fallback -------------------------------------------------------------------------


def test_each_entry_once_in_the_requested_language_else_its_original(
    live_engine, make_practice, translate
):
    both = make_practice(language="en", title="Regional fund")
    translate(both, "fr", title="Fonds régional")
    translate(both, "es", publish=False, title="Fondo regional")
    make_practice(language="ar", title="صندوق الناجين")
    IndexWriter(live_engine).rebuild()

    french = search(live_engine, lang="fr", sort="title")
    assert french["count"] == 2
    by_title = {hit["title"]: hit for hit in french["results"]}
    assert set(by_title) == {"Fonds régional", "صندوق الناجين"}
    assert by_title["Fonds régional"]["translated"] is True
    assert by_title["Fonds régional"]["language"] == "en"
    assert by_title["صندوق الناجين"]["lang"] == "ar"
    assert by_title["صندوق الناجين"]["translated"] is False

    spanish = search(live_engine, lang="es")
    assert set(titles(spanish)) == {"Regional fund", "صندوق الناجين"}  # unpublished: original
    assert counts(spanish, "language") == {"ar": 1, "en": 1, "fr": 0, "es": 0}


# -- facets ------------------------------------------------------------------------------------


def test_disjunctive_facet_counts_match_counts_computed_independently(live_engine, make_practice):
    specs = [
        (["regional-funds"], ["africa"], ["SN"]),
        (["regional-funds"], ["africa"], ["KE"]),
        (["regional-funds", "south-south-cooperation"], ["americas"], ["CO"]),
        (["south-south-cooperation"], ["africa"], ["SN"]),
        (["public-private-partnerships"], ["americas"], ["CO"]),
    ]
    for number, (models, regions, countries) in enumerate(specs):
        make_practice(
            language="en",
            title=f"Entry {number}",
            cooperation_model=models,
            region=regions,
            countries=countries,
        )
    IndexWriter(live_engine).rebuild()
    filters = {
        "region": ("africa",),
        "cooperation_model": ("regional-funds", "public-private-partnerships"),
    }
    result = search(live_engine, filters=filters)

    entries = [page.classification() for page in PracticePage.objects.live()]

    def matches(entry, skip=None):
        return all(set(entry[key]) & set(values) for key, values in filters.items() if key != skip)

    assert result["count"] == sum(matches(entry) for entry in entries) == 2
    for key in ("cooperation_model", "region", "country"):
        expected = Counter(
            value for entry in entries if matches(entry, skip=key) for value in entry[key]
        )
        assert {v: n for v, n in counts(result, key).items() if n} == dict(expected), key


# -- sorting and paging -----------------------------------------------------------------------


def test_sorting_and_pagination(live_engine, make_practice):
    # Created (first published) in this order; start years in another.
    for title, year in [("Beta", 2015), ("alpha", 2020), ("Éclair", 2010), ("delta", None)]:
        make_practice(language="en", title=title, year=year)
    IndexWriter(live_engine).rebuild()
    assert titles(search(live_engine, sort="title")) == ["alpha", "Beta", "delta", "Éclair"]
    assert titles(search(live_engine, sort="newest")) == ["delta", "Éclair", "alpha", "Beta"]
    assert titles(search(live_engine, sort="oldest")) == ["Beta", "alpha", "Éclair", "delta"]
    assert titles(search(live_engine, sort="year")) == ["alpha", "Beta", "Éclair", "delta"]
    page_two = search(live_engine, sort="title", page=2, page_size=3)
    assert page_two["count"] == 4
    assert titles(page_two) == ["Éclair"]


# -- index maintenance and reindexing --------------------------------------------------------


def test_publish_unpublish_translate_and_delete_show_up_without_a_rebuild(
    live_engine, make_practice, translate, django_capture_on_commit_callbacks
):
    def refreshed_search(**kwargs):
        live_engine.client.indices.refresh(index=live_engine.alias)
        return search(live_engine, **kwargs)

    with django_capture_on_commit_callbacks(execute=True):
        page = make_practice(language="en", title="Peer training", **NEUTRAL)
    assert titles(refreshed_search(q="training")) == ["Peer training"]

    with django_capture_on_commit_callbacks(execute=True):
        translate(page, "fr", title="Formation par les pairs")
    assert titles(refreshed_search(lang="fr")) == ["Formation par les pairs"]

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    # Still published in French: found in every language, through its French version.
    assert titles(refreshed_search(lang="en")) == ["Formation par les pairs"]
    assert titles(refreshed_search(q="training")) == []
    assert titles(refreshed_search(lang="fr")) == ["Formation par les pairs"]

    french = PracticePage.objects.get(
        translation_key=page.translation_key, locale__language_code="fr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        french.delete()
    assert refreshed_search(lang="fr")["count"] == 0
    assert refreshed_search(lang="en")["count"] == 0


def test_reindex_switches_the_alias_and_removes_the_old_index(live_engine, make_practice):
    make_practice(language="en", title="Regional fund")
    first = IndexWriter(live_engine).rebuild()["index"]
    call_command("es_reindex", "--no-progress")
    indices = list(live_engine.client.indices.get_alias(name=live_engine.alias).body)
    assert len(indices) == 1 and indices[0] != first
    assert not live_engine.client.indices.exists(index=first)
    assert titles(search(live_engine, q="fund")) == ["Regional fund"]

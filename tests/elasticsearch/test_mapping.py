"""The index definition: analysers per language field, folding, keyword facet fields."""

import pytest

from practices.facets import FACET_KEYS
from practices.search.es_documents import (
    BUILTIN_ANALYZERS,
    LANGUAGES,
    TEXT_FIELDS,
    build_index,
)


@pytest.fixture(scope="module")
def definition():
    return build_index("alianzas-unit-practices-1").to_dict()


@pytest.fixture(scope="module")
def properties(definition):
    return definition["mappings"]["properties"]


@pytest.fixture(scope="module")
def analysis(definition):
    return definition["settings"]["analysis"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_folded_analyser_and_the_builtin_one(
    properties, analysis, language
):
    fields = properties["text"]["properties"][language]["properties"]
    assert set(fields) == {*TEXT_FIELDS, "content"}
    analyzer_names = {field["analyzer"] for field in fields.values()}
    assert len(analyzer_names) == 1
    (name,) = analyzer_names
    assert name in analysis["analyzer"]
    for field in fields.values():
        assert field["type"] == "text"
        assert field["fields"]["native"] == {
            "type": "text",
            "analyzer": BUILTIN_ANALYZERS[language],
        }
    # Every text field feeds the language's content field, which the query matches.
    for field_name in TEXT_FIELDS:
        assert fields[field_name]["copy_to"] == f"text.{language}.content"


def test_the_four_languages_use_four_different_analysers(properties):
    names = {
        properties["text"]["properties"][language]["properties"]["content"]["analyzer"]
        for language in LANGUAGES
    }
    assert len(names) == 4


@pytest.mark.parametrize(
    "language,stemmer",
    [("ar", "arabic"), ("en", "english"), ("fr", "light_french"), ("es", "light_spanish")],
)
def test_folded_analysers_fold_before_stemming(properties, analysis, language, stemmer):
    name = properties["text"]["properties"][language]["properties"]["content"]["analyzer"]
    chain = analysis["analyzer"][name]["filter"]
    filters = analysis["filter"]

    def kind(entry):
        return filters[entry]["type"] if entry in filters else entry

    kinds = [kind(entry) for entry in chain]
    assert "lowercase" in kinds
    assert "asciifolding" in kinds
    stemmers = [entry for entry in chain if kind(entry) == "stemmer"]
    assert filters[stemmers[-1]]["language"] == stemmer
    assert chain.index("asciifolding") < chain.index(stemmers[-1])
    assert kinds.index("stop") < chain.index("asciifolding")


def test_arabic_analyser_normalises_letters_and_diacritics(properties, analysis):
    name = properties["text"]["properties"]["ar"]["properties"]["content"]["analyzer"]
    chain = analysis["analyzer"][name]["filter"]
    assert "arabic_normalization" in chain
    stemmer = next(e for e in chain if analysis["filter"].get(e, {}).get("type") == "stemmer")
    assert chain.index("arabic_normalization") < chain.index(stemmer)


def test_french_analyser_removes_elided_articles(properties, analysis):
    name = properties["text"]["properties"]["fr"]["properties"]["content"]["analyzer"]
    chain = analysis["analyzer"][name]["filter"]
    elision = [e for e in chain if analysis["filter"].get(e, {}).get("type") == "elision"]
    assert elision and "l" in analysis["filter"][elision[0]]["articles"]


@pytest.mark.parametrize("key", FACET_KEYS)
def test_every_facet_key_is_a_keyword_field(properties, key):
    assert properties[key]["type"] == "keyword"


def test_fields_for_rendering_results_and_the_language_fallback(properties, analysis):
    for name in ("translation_key", "lang", "available_languages"):
        assert properties[name]["type"] == "keyword"
    assert properties["is_original"]["type"] == "boolean"
    assert properties["live"]["type"] == "boolean"
    assert properties["page_id"]["type"] == "integer"
    assert properties["start_year"]["type"] == "integer"
    assert properties["first_published_at"]["type"] == "date"
    assert properties["entry_published_at"]["type"] == "date"  # `newest`, `oldest`
    for name in ("url", "summary", "organisation"):
        assert properties[name]["index"] is False
    sort = properties["title"]["fields"]["sort"]
    assert sort["type"] == "keyword"
    assert set(analysis["normalizer"][sort["normalizer"]]["filter"]) >= {
        "lowercase",
        "asciifolding",
    }


def test_nothing_personal_is_mapped(properties):
    flat = repr(properties).lower()
    for word in ("email", "contact", "consent", "phone"):
        assert word not in flat

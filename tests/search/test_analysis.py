"""Text analysis without a database: folding, Arabic normalisation, stemming, query parsing."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practices.search.analysis import (
    LANGUAGES,
    WORD_RE,
    analyse,
    fold,
    parse_query,
    stem_words,
    words,
)


@pytest.mark.parametrize(
    ("language", "query", "text"),
    [
        ("es", "cooperacion", "cooperación"),
        ("fr", "developpement", "Développement"),
        ("fr", "financements", "financement"),
        ("es", "fondos regionales", "fondo regional"),
        ("en", "trainings", "training"),
        ("ar", "صندوق", "الصندوق"),
        ("ar", "صندوق", "صُندوق"),
        ("ar", "صندوق", "صنـــدوق"),  # tatweel
        ("ar", "افريقيا", "أفريقيا"),  # alef with hamza
        ("ar", "منحه", "منحة"),  # ta marbuta
        ("ar", "مستشفي", "مستشفى"),  # alef maqsura
        ("ar", "الصندوق", "وبالصندوق"[1:]),  # article after a preposition
    ],
)
def test_query_and_text_analyse_to_the_same_terms(language, query, text):
    assert analyse(query, language) == analyse(text, language)


def test_different_words_stay_different():
    assert analyse("training", "en") != analyse("funding", "en")
    assert analyse("صندوق", "ar") != analyse("منحة", "ar")


def test_fold_keeps_letters_of_every_script():
    assert fold("ÀÉÎÕÜ ñ Ç") == "aeiou n c"
    assert fold("صُندوق") == "صندوق"
    assert fold("ABC") == "abc"


def test_parse_query_words_phrases_and_prefix():
    parsed = parse_query('fondo "regional cooperation" rehab')
    assert parsed.clauses == [
        ("word", "fondo"),
        ("phrase", ["regional", "cooperation"]),
        ("word", "rehab"),
    ]
    assert parsed.prefix_last
    assert not parse_query('rehab "regional cooperation"').prefix_last


@pytest.mark.parametrize(
    "text",
    ['"', '"unbalanced', "NEAR(a b)", "a AND OR NOT", "*", "^title", "-x", "((", "\x00\x01", ""],
)
def test_parse_query_keeps_only_words(text):
    parsed = parse_query(text)
    for kind, value in parsed.clauses:
        tokens = [value] if kind == "word" else value
        assert all(token.isalnum() for token in tokens)


def test_parse_query_bounds_long_input():
    parsed = parse_query("word " * 5000)
    assert 0 < len(parsed.clauses) <= 24


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, language=st.sampled_from(LANGUAGES))
def test_chunk_caches_give_the_analysis_of_the_whole_text(text, language):
    """words() and analyse() fold and stem chunk by chunk, with caches: same result as
    folding the whole text at once, for any text (marks, ligatures, odd whitespace)."""
    expected_words = WORD_RE.findall(fold(text))
    assert words(text) == expected_words
    assert words(text) == expected_words  # from the cache this time
    assert analyse(text, language) == stem_words(expected_words, language)
    assert analyse(text, language) == stem_words(expected_words, language)

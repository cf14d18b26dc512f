"""Search quality in each language, with real words, through search_practices()."""

import pytest


@pytest.fixture
def search(engine_search):
    """These contract tests run through every engine of the service (see `engine_search`)."""
    return engine_search


def titles(results):
    return [result.title for result in results.results]


@pytest.mark.parametrize(
    ("language", "text", "query"),
    [
        ("es", "Cooperación regional para la asistencia", "cooperacion"),
        ("es", "Cooperacion regional sin tilde", "cooperación"),
        ("fr", "Le développement inclusif des services", "developpement"),
        ("fr", "Un financement durable des centres", "financements"),
        ("es", "Un fondo regional para la rehabilitación", "fondos regionales"),
        ("en", "Training for physiotherapists", "trainings"),
        ("ar", "الصندوق الإقليمي لدعم الناجين", "صندوق"),
        ("ar", "صُندوق لدعم الناجين", "صندوق"),
        ("ar", "صندوق لدعم الناجين", "الصُّندوق"),
    ],
)
def test_each_language_matches_its_forms(make_practice, search, language, text, query):
    # Terms whose labels do not contain the words searched for (labels are searchable).
    terms = {"cooperation_model": ["exchange-of-experience"], "guiding_question": ["q2"]}
    make_practice(language=language, title=text, **terms)
    make_practice(language=language, title="Nothing to do with it", summary="—", **terms)
    for reader in ("en", language):
        found = search(q=query, lang=reader)
        assert titles(found) == [text], (reader, query)


def test_words_are_anded_phrases_and_prefixes(make_practice, search):
    make_practice(title="Regional training of nurses")
    make_practice(title="Training", summary="National programme; regional approach later.")
    make_practice(title="Physical rehabilitation centre")
    assert titles(search(q="regional training", sort="title")) == [
        "Regional training of nurses",
        "Training",
    ]
    assert titles(search(q='"regional training"')) == ["Regional training of nurses"]
    assert titles(search(q='"training regional"')) == []
    assert titles(search(q="rehab")) == ["Physical rehabilitation centre"]
    # Only the last word is a prefix.
    assert titles(search(q="rehab centre")) == []
    assert titles(search(q="centre rehab")) == ["Physical rehabilitation centre"]


def test_labels_and_organisation_are_searchable(make_practice, search):
    make_practice(title="First", va_component=["physical-rehabilitation"])
    make_practice(title="Second", organisation="Handicap Zeta Network")
    make_practice(title="Third")
    assert titles(search(q="physical rehabilitation")) == ["First"]
    assert titles(search(q="réadaptation physique", lang="fr")) == []  # English entry
    assert titles(search(q="zeta")) == ["Second"]


def test_labels_are_searched_in_the_versions_language(make_practice, translate, search):
    page = make_practice(language="es", title="Primero", region=["africa"])
    assert titles(search(q="africa", lang="es")) == ["Primero"]
    translate(page, "fr", title="Premier")
    assert titles(search(q="afrique", lang="fr")) == ["Premier"]


def test_title_matches_rank_first(make_practice, search):
    make_practice(title="Body only", summary="Prosthetics, prosthetics and prosthetics again.")
    make_practice(title="Prosthetics workshop", summary="A workshop.")
    make_practice(title="Unrelated", summary="Nothing here.")
    found = search(q="prosthetics")
    assert titles(found) == ["Prosthetics workshop", "Body only"]
    assert "<mark>Prosthetics</mark>" in found.results[1].snippet


def test_snippet_is_escaped(make_practice, search):
    make_practice(title="Escaping", summary="<script>alert(1)</script> funding & grants")
    snippet = search(q="funding").results[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>funding</mark>" in snippet

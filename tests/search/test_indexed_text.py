"""An entry matches a word only if its own text, names or classification labels contain it:
not the text of the guiding questions it answers, which every answer to them shares."""

import pytest

from practices.models import PracticeSource


@pytest.fixture
def search(engine_search):
    return engine_search


def titles(results):
    return [result.title for result in results.results]


@pytest.mark.parametrize(
    ("language", "question", "query"),
    [
        # Question 5 begins "Cooperación para el desarrollo que incluya a los sobrevivientes".
        ("es", "q5", "cooperación"),
        # Question 3 mentions "fondos regionales" among its innovative approaches.
        ("es", "q3", "fondos regionales"),
        # Question 1's short label is "Financement durable à long terme".
        ("fr", "q1", "financements"),
        ("en", "q5", "accountability"),
    ],
)
def test_the_question_an_entry_answers_is_not_its_text(
    make_practice, search, language, question, query
):
    terms = {"cooperation_model": ["exchange-of-experience"], "guiding_question": [question]}
    make_practice(language=language, title="Centro de prótesis", summary="—", **terms)
    # The same words in an entry's own text still find it.
    make_practice(language=language, title=f"{query} ({question})", summary="—", **terms)
    found = search(q=query, lang=language)
    assert titles(found) == [f"{query} ({question})"]
    # The guiding question still filters, as a facet.
    assert search(guiding_question=[question], lang=language).count == 2


def test_a_classification_label_still_finds_its_entries(make_practice, search):
    make_practice(title="Centre for prostheses", cooperation_model=["regional-funds"])
    make_practice(title="Another centre", cooperation_model=["exchange-of-experience"])
    assert titles(search(q="regional funds")) == ["Centre for prostheses"]


def test_a_source_title_finds_its_entry(make_practice, search):
    make_practice(
        title="Rehabilitation network",
        sources=[PracticeSource(title="Landmine Monitor profile of Tajikistan",
                                url="https://example.org/profile")],
    )  # fmt: skip
    make_practice(title="Other network")
    assert titles(search(q="Tajikistan profile")) == ["Rehabilitation network"]

"""A text search that finds nothing: close spellings from the index's own words, classification
terms to filter by, and the other languages in which the same search finds entries."""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from practices.search import suggestions
from practices.search.index import rebuild
from practices.search.models import SearchDocumentWords, SearchWord
from practices.search.service import search_practices
from practices.search.suggestions import suggest

from . import fixtures


@pytest.fixture(autouse=True)
def _fresh_word_lists():
    suggestions.forget()
    yield
    suggestions.forget()


def search_query(lang="en", **params):
    return fixtures.search_query(lang=lang, **params)


@pytest.fixture
def entries(make_practice, translate):
    """An entry in each language, and one in English translated into French."""
    english = make_practice(
        language="en",
        title="Rehabilitation centre for survivors",
        summary="Physical rehabilitation and prosthetics for mine survivors.",
        va_component=["physical-rehabilitation"],
        region=["africa"],
    )
    spanish = make_practice(
        language="es",
        title="Fondo regional de rehabilitación",
        summary="Un fondo regional para la rehabilitación física.",
        region=["americas"],
    )
    french = make_practice(
        language="fr",
        title="Prothèses pour les survivants",
        summary="Des prothèses fabriquées dans un atelier local.",
        region=["africa"],
    )
    arabic = make_practice(
        language="ar",
        title="الصندوق الإقليمي للتأهيل",
        summary="صندوق إقليمي لدعم الناجين من الألغام.",
        region=["middle-east-north-africa"],
    )
    nurses = make_practice(language="en", title="Training of nurses", region=["asia-pacific"])
    translate(nurses, "fr", title="Formation des infirmières", summary="Des formations.")
    return {"en": english, "es": spanish, "fr": french, "ar": arabic, "nurses": nurses}


@pytest.mark.parametrize(
    ("lang", "typed", "corrected", "title"),
    [
        ("en", "rehabilitaion", "rehabilitation", "Rehabilitation centre for survivors"),
        ("es", "fondo regionl", "fondo regional", "Fondo regional de rehabilitación"),
        ("fr", "prothses", "prothèses", "Prothèses pour les survivants"),
        ("fr", "protheses survivnts", "protheses survivants", "Prothèses pour les survivants"),
        ("ar", "الصندق", "الصندوق", "الصندوق الإقليمي للتأهيل"),
    ],
)
def test_misspelling_gives_a_spelling_that_finds_the_entry(entries, lang, typed, corrected, title):
    query = search_query(lang, q=typed)
    assert search_practices(query).count == 0
    found = suggest(query).spellings
    assert found and found[0].q == corrected
    assert len(found) <= suggestions.MAX_SUGGESTIONS
    # The corrected words are marked as such; the others are kept as typed.
    assert "".join(text for text, _c in found[0].parts) == corrected
    assert any(corrected_part for _t, corrected_part in found[0].parts)
    results = search_practices(search_query(lang, q=found[0].q))
    assert title in [result.title for result in results.results]


def test_arabic_word_misspelled_without_its_article(make_practice):
    make_practice(language="ar", title="التأهيل المجتمعي", summary="برنامج المساعدة.")
    # "مجتمعي" with a letter dropped and without the article that the document has.
    found = suggest(search_query("ar", q="مجتمي")).spellings
    assert [spelling.q for spelling in found] == ["المجتمعي"]
    assert search_practices(search_query("ar", q=found[0].q)).count == 1


def test_spelling_keeps_the_filters(entries):
    assert suggest(search_query("es", q="fondo regionl", region="americas")).spellings
    # With a filter that the corrected query does not pass, nothing is offered.
    assert not suggest(search_query("es", q="fondo regionl", region="africa")).spellings


@pytest.mark.parametrize(
    ("lang", "q"),
    [
        ("en", "bicycle"),
        ("es", "bicicleta"),
        ("fr", "bicyclette"),
        ("ar", "دراجة"),
    ],
)
def test_correct_word_without_results_gives_no_spelling(entries, lang, q):
    query = search_query(lang, q=q)
    assert search_practices(query).count == 0
    assert suggest(query).spellings == []


def test_known_word_excluded_by_a_filter_is_not_corrected(entries):
    query = search_query("en", q="rehabilitation", region="asia-pacific")
    assert search_practices(query).count == 0
    assert suggest(query).spellings == []


def test_short_words_are_not_corrected(entries):
    assert suggest(search_query("en", q="zq")).spellings == []


def test_vocabulary_term_close_to_a_query_word(entries):
    found = suggest(search_query("en", q="rehabilitaion")).terms
    assert [(term.key, term.value) for term in found][:1] == [
        ("va_component", "physical-rehabilitation")
    ]
    assert found[0].label.startswith("Physical rehabilitation")
    assert found[0].count == 1
    assert found[0].filters == {"va_component": ["physical-rehabilitation"]}


def test_vocabulary_term_without_entries_is_not_offered(entries):
    # "Psychological, psychosocial and peer support": no entry has it.
    found = suggest(search_query("en", q="psychosocal")).terms
    assert "psychological-psychosocial-support" not in [term.value for term in found]


def test_vocabulary_term_in_arabic(entries, make_practice):
    make_practice(
        language="ar",
        title="مركز للأطراف",
        summary="خدمات للناجين.",
        va_component=["physical-rehabilitation"],
    )
    # "البدني" (physical) with a letter dropped.
    found = suggest(search_query("ar", q="البدن")).terms
    assert ("va_component", "physical-rehabilitation") in [(t.key, t.value) for t in found]


def test_other_languages_count_their_entries(entries):
    query = search_query("fr", q="nurses")
    assert search_practices(query).count == 0  # its French version says "infirmières"
    found = suggest(query).languages
    assert [(match.lang, match.count) for match in found] == [("ar", 1), ("en", 1), ("es", 1)]


def test_other_languages_keep_the_filters(entries):
    found = suggest(search_query("fr", q="nurses", region="africa")).languages
    assert found == []


def words_of(lang):
    return dict(SearchWord.objects.filter(language=lang).values_list("word", "documents"))


def test_word_list_follows_publication_and_unpublication(make_practice, translate):
    first = make_practice(language="en", title="Kaleidoscope workshop")
    assert words_of("en")["kaleidoscope"] == 1
    second = make_practice(language="en", title="Another kaleidoscope")
    assert words_of("en")["kaleidoscope"] == 2
    assert suggest(search_query("en", q="kaleidoscpe")).spellings[0].q == "kaleidoscope"
    french = translate(first, "fr", title="Atelier kaléidoscope")
    assert SearchWord.objects.get(language="fr", word="kaleidoscope").surface == "kaléidoscope"
    second.unpublish()
    assert words_of("en")["kaleidoscope"] == 1
    assert "another" not in words_of("en")
    french.unpublish()
    assert "kaleidoscope" not in words_of("fr")
    first.unpublish()
    assert "kaleidoscope" not in words_of("en")
    assert suggest(search_query("en", q="kaleidoscpe")).spellings == []
    assert not SearchDocumentWords.objects.exists()


def test_word_list_follows_an_edit(make_practice):
    page = make_practice(language="en", title="Kaleidoscope workshop")
    page.title = "Mosaic workshop"
    page.save_revision().publish()
    words = words_of("en")
    assert "kaleidoscope" not in words and words["mosaic"] == 1 and words["workshop"] == 1


def test_full_rebuild_makes_the_same_word_list(entries):
    before = {lang: words_of(lang) for lang in ("ar", "en", "fr", "es")}
    assert before["es"]["regional"] >= 1 and before["ar"]["الصندوق"] >= 1
    SearchWord.objects.all().delete()
    SearchWord.objects.create(language="en", word="stale", surface="stale", documents=3)
    rebuild()
    assert {lang: words_of(lang) for lang in ("ar", "en", "fr", "es")} == before
    assert SearchWord.objects.get(language="fr", word="protheses").surface == "prothèses"
    assert SearchWord.objects.get(language="ar", word="الاقليمي").surface == "الإقليمي"


def suggestion_region(html):
    tree = lxml.html.fromstring(html)
    regions = tree.xpath('//section[@class="search-suggestions"]')
    assert len(regions) == 1
    return regions[0]


def test_reader_follows_a_spelling_suggestion(client, entries):
    response = client.get("/en/practices/", {"q": "rehabilitaion"})
    assert response.status_code == HTTPStatus.OK
    region = suggestion_region(response.content.decode())
    heading = region.xpath("./h4")[0]
    assert region.get("aria-labelledby") == heading.get("id")
    assert heading.text_content() == "Other searches that find practices"
    label = region.xpath('.//p[@id="search-spellings-label"]')[0]
    assert label.text_content() == "Did you mean:"
    links = region.xpath('.//ul[@aria-labelledby="search-spellings-label"]//a')
    assert [link.text_content() for link in links] == ["rehabilitation"]
    assert links[0].xpath("./strong")[0].text == "rehabilitation"
    href = links[0].get("href")
    assert parse_qs(urlsplit(href).query) == {"q": ["rehabilitation"]}
    # The topic and the other languages are offered too.
    topics = [
        a.text_content() for a in region.xpath('.//ul[@aria-labelledby="search-terms-label"]//a')
    ]
    assert topics and topics[0].startswith("Victim-assistance component: Physical rehabilitation")
    followed = client.get("/en/practices/" + href)
    titles = [
        node.text_content().strip()
        for node in lxml.html.fromstring(followed.content.decode()).xpath(
            '//li[@class="result"]//h3'
        )
    ]
    assert "Rehabilitation centre for survivors" in titles


def test_reader_sees_other_languages_in_arabic(client, entries):
    response = client.get("/ar/practices/", {"q": "infirmières"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    region = suggestion_region(html)
    links = region.xpath('.//ul[@aria-labelledby="search-languages-label"]//a')
    assert [link.get("hreflang") for link in links] == ["fr"]
    assert links[0].get("href") == "/fr/practices/?q=infirmi%C3%A8res"
    local = links[0].xpath("./span")[0]
    assert (local.get("lang"), local.get("dir"), local.text) == ("fr", "ltr", "français")
    followed = client.get(links[0].get("href"))
    assert "Formation des infirmières" in followed.content.decode()


def test_nothing_offered_without_text(client, entries):
    response = client.get("/en/practices/", {"region": "europe-central-asia"})
    assert 'class="search-suggestions"' not in response.content.decode()

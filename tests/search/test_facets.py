"""Facet counts, filters, language fallback, sorting and pagination of search_practices().

Expected counts are computed independently, in plain Python over the pages themselves
(page.classification(), live versions), not from the search documents.
"""

import itertools

import pytest

from practices.facets import FACET_KEYS
from practices.models import VOCABULARIES, PracticePage


@pytest.fixture
def search(engine_search):
    """These contract tests run through every engine of the service (see `engine_search`)."""
    return engine_search


ENTRIES = [
    # language, cooperation models, regions, countries, year, components
    ("en", ["regional-funds"], ["africa"], ["SN", "ML"], 2019, ["physical-rehabilitation"]),
    ("en", ["regional-funds", "south-south-cooperation"], ["africa"], ["SN"], 2021, []),
    (
        "es",
        ["public-private-partnerships"],
        ["americas"],
        ["CO"],
        2019,
        ["physical-rehabilitation"],
    ),
    ("es", ["regional-funds"], ["americas"], ["PE", "CO"], 2015, []),
    ("fr", ["exchange-of-experience"], ["africa"], ["SN"], 2021, ["socio-economic-inclusion"]),
    ("fr", ["regional-cooperation"], ["europe-central-asia"], [], None, []),
    ("ar", ["regional-funds"], ["middle-east-north-africa"], ["JO"], 2015, []),
    ("ar", ["south-south-cooperation"], ["middle-east-north-africa"], ["LB", "JO"], 2023, []),
]


#: Entry number -> its provenance, results and participation (CONTRACT.md, version 2).
RESULTS = {
    0: {
        "provenance": "documented",
        "status": "completed",
        "year_end": 2022,
        "evidence": "externally-evaluated",
        "participation": "co-decided",
        "rights_markers": ["direct-funding-survivor-organisations", "disaggregated-data"],
        "sdg_target": ["3.8", "10.2"],
        "action_plan": ["oap-38"],
    },
    1: {"status": "ongoing", "participation": "survivor-led",
        "rights_markers": ["accessible-services"]},
    3: {"provenance": "documented", "status": "sustained", "year_end": 2017,
        "evidence": "monitored"},
    5: {"provenance": "illustrative", "status": "planned", "sdg_target": ["3.8"]},
    6: {
        "status": "discontinued",
        "year_end": 2016,
        "evidence": "self-reported",
        "participation": "consulted",
        "action_plan": ["oap-35"],
    },
}  # fmt: skip


@pytest.fixture
def corpus(make_practice, translate):
    pages = []
    for number, (language, models, regions, countries, year, components) in enumerate(ENTRIES):
        page = make_practice(
            language=language,
            title=f"Entry {number} ({language})",
            cooperation_model=models,
            region=regions,
            va_component=components,
            countries=countries,
            year=year,
            **RESULTS.get(number, {}),
        )
        pages.append(page)
    pages[0].tags.add("peer-support", "grants")
    pages[0].save_revision().publish()
    pages[3].tags.add("grants")
    pages[3].save_revision().publish()
    translate(pages[0], "fr", title="Entrée 0 (fr)")
    translate(pages[2], "en", title="Entry 2 (en, translated)")
    translate(pages[6], "fr", title="Entrée 6 (fr)")
    # A draft (never published, as the admin creates it) never counts.
    draft = make_practice(language="en", title="Draft", publish=False, region=["africa"])
    PracticePage.objects.filter(pk=draft.pk).update(live=False)
    return pages


def shown_versions(lang):
    """Each live entry once: its version in `lang`, else its original (independently)."""
    versions = {}
    for page in PracticePage.objects.live().select_related("locale").order_by("pk"):
        versions.setdefault(page.translation_key, []).append(page)
    shown = []
    for pages in versions.values():
        local = [p for p in pages if p.locale.language_code == lang]
        shown.append(local[0] if local else pages[0].original)
    return shown


def live_languages():
    """translation_key -> the languages of the entry's live versions (independently)."""
    languages = {}
    for page in PracticePage.objects.live().select_related("locale"):
        languages.setdefault(page.translation_key, set()).add(page.locale.language_code)
    return languages


def expected_counts(lang, filters):
    pages = shown_versions(lang)
    classifications = {page.pk: page.classification() for page in pages}
    available = live_languages()
    for page in pages:
        values = classifications[page.pk]
        values["year"] = [str(year) for year in values["year"]]
        values["active_year"] = [str(year) for year in values["active_year"]]
        values["available_in"] = sorted(available[page.translation_key])

    def passes(page, skip=None):
        return all(
            set(map(str, values)) & set(classifications[page.pk][key])
            for key, values in filters.items()
            if key != skip
        )

    counts = {}
    for key in FACET_KEYS:
        counter = {}
        for page in pages:
            if passes(page, skip=key):
                for value in classifications[page.pk][key]:
                    counter[value] = counter.get(value, 0) + 1
        counts[key] = counter
    total = sum(1 for page in pages if passes(page))
    return counts, total


FILTER_CASES = [
    {},
    {"cooperation_model": ["regional-funds"]},
    {"cooperation_model": ["regional-funds", "south-south-cooperation"]},
    {"region": ["africa"], "year": ["2019", "2021"]},
    {"cooperation_model": ["regional-funds"], "country": ["SN", "JO"], "language": ["en", "ar"]},
    {"tag": ["grants"], "region": ["americas", "africa"]},
    {"va_component": ["physical-rehabilitation"], "region": ["europe-central-asia"]},
    {"available_in": ["fr"]},
    {"available_in": ["fr", "en"], "region": ["africa", "americas"]},
    {"available_in": ["ar"], "language": ["en", "ar"], "cooperation_model": ["regional-funds"]},
    {"status": ["completed", "ongoing"]},
    {"active_year": ["2020"], "region": ["africa", "americas"]},
    {"active_year": ["2016", "2024"], "evidence": ["monitored", "self-reported"]},
    {"participation": ["co-decided", "survivor-led"], "rights_marker": ["disaggregated-data"]},
    {"provenance": ["illustrative", "documented"], "sdg_target": ["3.8"]},
    {"action_plan": ["oap-38", "oap-35"], "language": ["en"]},
]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_counts_match_an_independent_computation(corpus, search, lang):
    for filters in FILTER_CASES:
        results = search(lang=lang, **filters)
        counts, total = expected_counts(lang, filters)
        assert results.count == total, filters
        for key in FACET_KEYS:
            got = {item.value: item.count for item in results.facets[key] if item.count}
            assert got == counts[key], (filters, key)


def test_closed_vocabularies_list_every_term_in_order(corpus, search):
    results = search(lang="es", region=["africa"])
    for key, model in VOCABULARIES.items():
        assert [item.value for item in results.facets[key]] == list(
            model.objects.values_list("slug", flat=True)
        )
    assert [item.value for item in results.facets["language"]] == ["ar", "en", "fr", "es"]
    labels = {item.value: item.label for item in results.facets["region"]}
    assert labels["africa"] == "África"
    available = {item.value: item.label for item in results.facets["available_in"]}
    assert available == {"ar": "Árabe", "en": "Inglés", "fr": "Francés", "es": "Español"}


def test_open_facets_order(corpus, search):
    results = search()
    years = [int(item.value) for item in results.facets["year"]]
    assert years == sorted(years, reverse=True)
    countries = [(item.count, item.value) for item in results.facets["country"]]
    assert countries == sorted(countries, key=lambda pair: (-pair[0], pair[1]))
    assert all(item.count for item in results.facets["country"])
    labels = {item.value: item.label for item in search(lang="fr").facets["country"]}
    assert labels["SN"] == "Sénégal"


def test_or_within_a_key_and_across_keys(corpus, search):
    one = search(cooperation_model=["regional-funds"]).count
    other = search(cooperation_model=["south-south-cooperation"]).count
    both = search(cooperation_model=["regional-funds", "south-south-cooperation"]).count
    assert (one, other, both) == (4, 2, 5)  # entry 1 has both: counted once
    assert search(cooperation_model=["regional-funds"], region=["africa"]).count == 2


def test_language_fallback_each_entry_once(corpus, search):
    for lang in ("ar", "en", "fr", "es"):
        results = search(lang=lang, page_size=100)
        ids = [result.id for result in results.results]
        assert len(ids) == len(set(ids)) == len(ENTRIES)
    fr = {result.title: result for result in search(lang="fr", page_size=100).results}
    assert fr["Entrée 0 (fr)"].translated and fr["Entrée 0 (fr)"].lang == "fr"
    assert fr["Entrée 0 (fr)"].language == "en"
    spanish = fr["Entry 2 (es)"]
    assert (spanish.lang, spanish.language, spanish.translated) == ("es", "es", False)
    assert "Entry 0 (en)" not in fr


def first_publications():
    """translation_key -> the entry's first publication: its earliest version's."""
    dates = {}
    for key, published in PracticePage.objects.values_list("translation_key", "first_published_at"):
        if published and (str(key) not in dates or published < dates[str(key)]):
            dates[str(key)] = published
    return dates


def test_sorting(corpus, search):
    published = first_publications()
    newest = [published[r.id] for r in search(sort="newest", page_size=100).results]
    assert newest == sorted(newest, reverse=True) and len(set(newest)) == len(ENTRIES)
    assert [r.id for r in search(page_size=100).results] == [
        r.id for r in search(sort="newest", page_size=100).results
    ]
    oldest = [published[r.id] for r in search(sort="oldest", page_size=100).results]
    assert oldest == sorted(oldest)
    by_year = [r.year for r in search(sort="year", page_size=100).results]
    assert by_year == sorted(by_year, key=lambda y: -(y or 0)) and by_year[-1] is None
    titles = [r.title for r in search(sort="title", lang="en", page_size=100).results]
    assert titles == sorted(titles, key=str.casefold)
    assert search().query.effective_sort == "newest"
    assert search(q="entry").query.effective_sort == "relevance"


def test_pagination(corpus, search):
    pages = [search(page=number, page_size=3, sort="title") for number in (1, 2, 3, 4)]
    seen = [result.id for page in pages for result in page.results]
    assert [len(page.results) for page in pages] == [3, 3, 2, 0]
    assert len(set(seen)) == len(ENTRIES)
    assert all(page.count == len(ENTRIES) for page in pages)
    assert pages[0].num_pages == 3


def test_all_combinations_of_two_regions_are_consistent(corpus, search):
    slugs = ["africa", "americas", "middle-east-north-africa"]
    for first, second in itertools.combinations(slugs, 2):
        combined = search(region=[first, second]).count
        assert combined == search(region=[first]).count + search(region=[second]).count


def test_an_unpublished_original_is_stood_in_for_by_its_oldest_published_version(
    make_practice, translate, search
):
    original = make_practice(language="en", title="Grants for survivors", region=["africa"])
    translate(original, "fr", title="Subventions pour les survivants")
    translate(original, "es", title="Subvenciones para sobrevivientes")
    original.unpublish()
    for lang, title in [
        ("ar", "Subventions pour les survivants"),
        ("es", "Subvenciones para sobrevivientes"),
    ]:
        results = search(lang=lang, region=["africa"])
        assert results.count == 1
        (shown,) = results.results
        # Still the entry's original language; the version shown is a translation.
        assert (shown.title, shown.language, shown.translated) == (title, "en", True)
        assert {item.value: item.count for item in results.facets["language"]}["en"] == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_with_filters_gives_the_answer_of_an_unrestricted_text_match(
    corpus, search, lang, monkeypatch
):
    """With filters on two keys or more, the text is matched only among the documents that
    can count (PostgreSQL): results and every disjunctive count stay those of a full match."""
    from practices.search import service

    def answer(results):
        facets = {key: [(i.value, i.count) for i in items] for key, items in results.facets.items()}
        return results.count, [r.id for r in results.results], facets

    found = 0
    for filters in [filters for filters in FILTER_CASES if len(filters) >= 2]:
        for q in ("entry", "entrée", "entry 0"):
            restricted = answer(search(q=q, lang=lang, **filters))
            with monkeypatch.context() as patched:
                patched.setattr(service, "_candidates", lambda base, selections: None)
                full = answer(search(q=q, lang=lang, **filters))
            assert restricted == full, (q, filters)
            found += restricted[0]
    assert found  # some of these requests find entries


def test_postgresql_matches_the_text_among_the_candidates_only(corpus):
    from django.db import connection
    from pyroaring import BitMap

    from practices.search.analysis import parse_query
    from practices.search.engines.database import PostgresEngine
    from practices.search.models import SearchDocument

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL engine")
    engine = PostgresEngine()
    everything = engine.match(parse_query("entry"))
    assert len(everything) > 2
    chosen = BitMap(sorted(everything)[:2])
    other = SearchDocument.objects.exclude(pk__in=everything).values_list("pk", flat=True)[0]
    hits = engine.match(parse_query("entry"), candidates=chosen | BitMap([other]))
    assert hits == chosen
    assert engine.match(parse_query("entry"), candidates=BitMap()) == BitMap()

"""The search page /<lang>/practices/: a GET form that works without JavaScript."""

import re
from http import HTTPStatus

import pytest
from django.utils.html import escape

from tests.conftest import LANGUAGES, translated


@pytest.fixture
def entries(make_practice, translate):
    first = make_practice(
        language="es",
        title="Fondo regional de rehabilitación",
        summary="Un fondo regional para la rehabilitación física.",
        region=["africa"],
        countries=["SN"],
        year=2019,
        organisation="Red de sobrevivientes",
    )
    second = make_practice(
        language="en", title="Training of nurses", year=2021, region=["americas"]
    )
    translate(second, "fr", title="Formation des infirmières")
    translate(second, "ar", title="تدريب الممرضات")
    return first, second


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_lists_facets_and_results_in_each_language(client, entries, language):
    response = client.get(f"/{language}/practices/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    # A plain GET form with a labelled search box and a submit button.
    assert re.search(r'<form method="get" action="/' + language + r'/practices/(#results)?"', html)
    assert 'name="q"' in html and '<label for="search-q">' in html
    assert 'type="submit"' in html
    # Facet groups as fieldsets with legends and checkboxes with counts, in the panel's
    # order: the closed facets (listed with zero counts) and the open ones with values; no
    # tags, funders or partner countries: no group for them.
    groups = re.findall(r'<fieldset class="facet">\s*<legend[^>]*>[^<]+</legend>\s*'
                        r'<ul class="facet-options">\s*<li[^>]*>\s*<input type="checkbox" '
                        r'id="[^"]+" name="(\w+)"', html)  # fmt: skip
    assert groups == [
        "cooperation_model", "guiding_question", "va_component", "region", "country",
        "provenance", "status", "evidence", "participation", "rights_marker", "actor_type",
        "funding_mechanism", "funding_type", "funding_status", "sdg", "sdg_target",
        "crpd_article", "action_plan", "year", "active_year", "language", "available_in",
    ]  # fmt: skip
    assert html.count("<fieldset") == len(groups)
    assert 'type="checkbox" id="facet-region-africa" name="region" value="africa"' in html
    assert "<details" in html  # long groups fold
    assert 'role="status"' in html and 'aria-live="polite"' in html
    # Each entry once, in the reader's language where translated.
    assert html.count('class="result"') == 2
    translated = {"en": "Training of nurses", "fr": "Formation des infirmières",
                  "ar": "تدريب الممرضات", "es": "Training of nurses"}  # fmt: skip
    assert translated[language] in html
    assert "Fondo regional de rehabilitación" in html
    assert 'lang="es"' in html or language == "es"


def test_filters_chips_and_clear_all(client, entries):
    response = client.get("/en/practices/", {"region": "africa", "q": "fondo"})
    html = response.content.decode()
    assert html.count('class="result"') == 1
    assert "<mark>fondo</mark>" in html
    assert 'value="africa" checked' in html
    assert 'class="chip" href="?q=fondo"' in html  # removing the chip keeps the text
    assert 'class="clear-all"' in html and 'href="?q=fondo"' in html
    assert 'value="fondo"' in html  # the text typed is kept in the box
    assert "Red de sobrevivientes" in html and "2019" in html and "Senegal" in html


def test_empty_state_suggests_which_filter_to_drop(client, entries):
    response = client.get("/fr/practices/", {"region": ["africa"], "year": "2021"})
    html = response.content.decode()
    assert html.count('class="result"') == 0
    assert 'class="empty-state"' in html
    assert 'href="?region=africa"' in html  # dropping the year finds the African entry
    assert 'href="?year=2021"' in html  # dropping the region finds the 2021 entry


def test_bad_values_are_reported_not_fatal(client, entries):
    response = client.get("/es/practices/", {"region": ["atlantis", "africa"], "page": "x"})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'role="alert"' in html and "atlantis" in html
    assert html.count('class="result"') == 1


def test_sort_and_pagination_keep_the_query(client, make_practice):
    for number in range(23):
        make_practice(title=f"Entry {number:02d}", region=["africa"])
    response = client.get("/en/practices/", {"region": "africa", "sort": "title"})
    html = response.content.decode()
    assert html.count('class="result"') == 20
    assert 'href="?region=africa&amp;sort=title&amp;page=2"' in html
    assert '<option value="title" selected>' in html
    second = client.get("/en/practices/", {"region": "africa", "sort": "title", "page": 2})
    assert second.content.decode().count('class="result"') == 3


def test_available_in_group_and_start_year_order_in_the_reader_s_language(client, entries):
    html = client.get("/fr/practices/", {"available_in": "fr"}).content.decode()
    assert "<legend>Disponible en</legend>" in html
    # Only the entry with a French version; its own filter keeps the other counts.
    assert html.count('class="result"') == 1 and "Formation des infirmières" in html
    assert re.search(r'value="fr" checked>\s*<label for="facet-available_in-fr">Français', html)
    assert re.search(r'<label for="facet-available_in-es">Espagnol <span class="count">\(1\)', html)
    assert 'class="chip" href="?"' in html  # the chip removes the filter
    html = client.get("/fr/practices/", {"sort": "year"}).content.decode()
    assert '<option value="year" selected>Année de début de la pratique</option>' in html
    assert '<option value="newest">' in html


def test_default_listing_is_newest_first_by_first_publication(client, entries):
    from datetime import UTC, datetime

    from practices.models import PracticePage
    from practices.search.index import update_entries

    spanish, english = entries  # the Spanish entry started earlier: published later here
    for entry, year in ((spanish, 2024), (english, 2020)):
        PracticePage.objects.filter(translation_key=entry.translation_key).update(
            first_published_at=datetime(year, 1, 1, tzinfo=UTC)
        )
    update_entries([spanish.translation_key, english.translation_key])
    html = client.get("/en/practices/").content.decode()
    assert html.index("Fondo regional de rehabilitación") < html.index("Training of nurses")
    assert '<option value="newest" selected>' in html
    html = client.get("/en/practices/", {"sort": "year"}).content.decode()
    assert html.index("Training of nurses") < html.index("Fondo regional de rehabilitación")


# -- provenance, results and participation: badges and filters -------------------------------


@pytest.fixture
def described(make_practice):
    real = make_practice(
        title="Survivor-led outreach", provenance="documented", status="ongoing",
        participation="survivor-led", evidence="monitored", year=2018, year_end=2022,
        rights_markers=["accessible-services"], region=["africa"],
    )  # fmt: skip
    sample = make_practice(
        title="Invented mobile clinic", provenance="illustrative", year=2015, year_end=2019,
        region=["africa"],
    )  # fmt: skip
    return real, sample


def result_items(html):
    return re.findall(r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', html, re.S)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_result_says_where_it_comes_from_and_how_it_stands(client, described, language):
    html = client.get(f"/{language}/practices/").content.decode()
    items = {("Invented" in item): item for item in result_items(html)}
    assert len(items) == 2
    illustrative = escape(translated(language, "Illustrative sample, not a real practice"))
    assert 'class="badge badge--provenance badge--illustrative">' in items[True]
    assert illustrative in items[True] and illustrative not in items[False]
    assert escape(translated(language, "Documented from public sources")) in items[False]

    def badge(group, value):
        return escape(
            translated(
                language,
                "%(group)s: %(value)s",
                group=translated(language, group),
                value=translated(language, value),
            )
        )

    assert badge("Status", "Ongoing") in items[False]
    assert badge("Survivor participation", "Survivor-led") in items[False]
    assert 'badge--status"' not in items[True]  # none given, none shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_filters_by_participation_provenance_and_active_year(client, described, language):
    html = client.get(f"/{language}/practices/").content.decode()
    # The results and participation filters are one folded group, closed at first.
    section = re.search(
        r'<details class="facet-group facet-section" data-facet="results">\s*<summary>([^<]+)'
        r"</summary>(.*?)</details>",
        html,
        re.S,
    )
    assert section.group(1) == translated(language, "Results and participation")
    assert 'name="participation" value="survivor-led"' in section.group(2)
    assert re.search(r'for="facet-participation-survivor-led">[^<]+<span class="count">\(1\)',
                     section.group(2))  # fmt: skip
    # A click on "survivor-led" (the form sends it): the one entry, the group opened.
    html = client.get(f"/{language}/practices/", {"participation": "survivor-led"}).content.decode()
    assert [("Survivor-led outreach" in item) for item in result_items(html)] == [True]
    assert 'data-facet="results" open' in html
    assert 'value="survivor-led" checked' in html
    # Only the invented examples, or none of them.
    html = client.get(f"/{language}/practices/", {"provenance": "illustrative"}).content.decode()
    assert [("Invented" in item) for item in result_items(html)] == [True]
    html = client.get(
        f"/{language}/practices/", {"provenance": ["documented", "contributed"]}
    ).content.decode()
    assert [("Invented" in item) for item in result_items(html)] == [False]
    # Active in 2020: the entry running 2018-2022, not the one that ended in 2019.
    html = client.get(f"/{language}/practices/", {"active_year": "2020"}).content.decode()
    assert [("Survivor-led outreach" in item) for item in result_items(html)] == [True]
    assert '<details class="facet-group" data-facet="active_year" open>' in html


def test_the_filter_panel_places_every_facet_of_the_registry_once():
    """A facet added to the registry but not to the panel would never be offered."""
    from practices.facets import FACET_KEYS
    from practices.search.listing import FACET_PANEL, FACET_SECTIONS

    placed = [key for name in FACET_PANEL for key in FACET_SECTIONS.get(name, ("", (name,)))[1]]
    assert len(placed) == len(set(placed))
    assert set(placed) == set(FACET_KEYS)

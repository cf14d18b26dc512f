"""The search page /<lang>/practices/: a GET form that works without JavaScript."""

import re
from http import HTTPStatus

import pytest

from tests.conftest import LANGUAGES


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
    # Facet groups as fieldsets with legends and checkboxes with counts.
    # The closed facets (listed with zero counts) and the open ones with values; no tags,
    # funders or partner countries: no group for them.
    assert html.count("<fieldset") == 14 and "<legend" in html
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

"""Country pages: /<lang>/countries/ and /<lang>/countries/<ISO>/ (CONTRACT.md, "Pages,
added in version 2").

A country's entries are read from the public search, in the reader's language (each entry
once: its version in that language, else its original): as place, the entries with the
country in the `country` facet; as partner, those with it in the `partner_country` facet
(the countries of funders, and of recipients outside the places of the practice).

Funding received by a country: every funding row of its entries as place. Funding given by
a country: the funding rows of any entry whose funder organisation is of that country.
Both are added up by `funding.funding_totals`, as on an entry page.
"""

import json
from functools import cache
from pathlib import Path

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django_countries import countries
from pyuca import Collator

from .currency import RATE_SOURCE
from .facets import country_name
from .funding import funding_totals
from .models import CountryProfile, PracticeFunding, PracticePage
from .search.query import SearchQuery
from .search.service import matching_page_ids, search_practices

VA_STATES_FILE = Path(__file__).resolve().parent / "data" / "va_states.json"


@cache
def va_states():
    """ISO code -> the sources of the States of the reference list of States with
    significant numbers of survivors whose entry a source confirms."""
    data = json.loads(VA_STATES_FILE.read_text(encoding="utf-8"))
    return {
        state["code"]: tuple(state["sources"])
        for state in data["states"]
        if state["confirmed_by_source"] and state["sources"]
    }


def _language():
    return (get_language() or "en").split("-")[0]


def countries_with_entries(language):
    """ISO code -> {"place": n, "partner": n}: the countries that have entries in public
    search, as place or as partner (the country index lists them; the sitemap too)."""
    facets = search_practices(SearchQuery(lang=language, page_size=1)).facets
    counts = {}
    for key in ("country", "partner_country"):
        for item in facets.get(key, []):
            if item.count and item.value in countries:
                counts.setdefault(item.value, {"place": 0, "partner": 0})
                counts[item.value]["place" if key == "country" else "partner"] = item.count
    return counts


def country_entry_ids(code, language):
    """The ids of the entries a country's page lists: (as place, as partner)."""
    place_ids = matching_page_ids(SearchQuery(filters={"country": [code]}, lang=language))
    partner_ids = matching_page_ids(SearchQuery(filters={"partner_country": [code]}, lang=language))
    return place_ids, partner_ids


def country_index(request):
    """The countries that have entries, as place or as partner, with their counts, sorted
    by name in the reader's language."""
    counts = countries_with_entries(_language())
    rows = [
        {"code": code, "name": country_name(code), **numbers} for code, numbers in counts.items()
    ]
    rows.sort(key=lambda row: name_sort_key(row["name"]))
    return render(request, "practices/country_index.html", {"countries": rows})


@cache
def _collator():
    return Collator()


def name_sort_key(name):
    """Names in Unicode Collation Algorithm order, as django-countries sorts them."""
    return _collator().sort_key(name)


def _entries(page_ids):
    pages = PracticePage.objects.live().filter(pk__in=page_ids).select_related("locale")
    by_id = {page.pk: page for page in pages}
    return [by_id[pk] for pk in page_ids if pk in by_id]


def _rows(queryset):
    rows = list(
        queryset.select_related(
            "mechanism", "funder", "recipient_organisation", "page", "page__locale"
        ).order_by("page__title", "sort_order", "pk")
    )
    for row in rows:
        language = row.page.locale.language_code
        row.funder_name = row.funder_name_in(language)
        row.recipient_name = row.recipient_name_in(language)
    return rows


def _funding(rows):
    totals = funding_totals(rows)
    return {
        "rows": rows,
        "totals": totals,
        "not_converted": any(total.not_converted for total in totals),
        "has_editor_figures": any(row.amount_usd is not None for row in rows),
    }


def country_page(request, code):
    """One country: its entries as place and as partner, funding received and given, the
    survivors fact for the States of the reference list, the links editors added."""
    if code != code.upper():
        return redirect("country_page", code=code.upper(), permanent=True)
    if len(code) != 2 or code not in countries:
        raise Http404
    language = _language()
    place_ids, partner_ids = country_entry_ids(code, language)
    received = _rows(PracticeFunding.objects.filter(page_id__in=place_ids))
    given = _rows(PracticeFunding.objects.filter(page_id__in=partner_ids, funder__country=code))
    context = {
        "code": code,
        "name": country_name(code),
        "place_entries": _entries(place_ids),
        "partner_entries": _entries(partner_ids),
        "received": _funding(received),
        "given": _funding(given),
        "rate_source": RATE_SOURCE,
        "survivor_sources": va_states().get(code, ()),
        "profile": CountryProfile.objects.filter(country=code).first(),
    }
    return render(request, "practices/country_page.html", context)

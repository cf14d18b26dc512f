"""Country names as the United Nations write them, in the four languages of the site.

django-countries names countries after ISO 3166 and CLDR ("South Korea", "Laos", "Birmanie");
UN and NGO readers expect the UN short names ("Republic of Korea", "Lao People's Democratic
Republic", "Myanmar"). ``COUNTRIES_OVERRIDE`` (settings) gives django-countries the UN names
of ``data/country_names.json`` (written by ``bin/update-country-names`` from the UNTERM names
shipped with hdx-python-country), so every place that names a country through
django-countries (pages, facets, the form, the API, the admin) says the same. With pyuca
installed, django-countries sorts them by the Unicode Collation Algorithm in every language.

This module reads no Django setting and imports no app: the settings import it.
"""

import json
from functools import cache
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "country_names.json"
LANGUAGES = ("ar", "en", "fr", "es")


@cache
def un_country_names():
    """ISO 3166-1 alpha-2 code -> {language: UN short name}."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["names"]


def un_country_name(code, language=None):
    """The UN short name of `code` in `language` (default: the active one), or ""."""
    language = (language or get_language() or "en").split("-")[0]
    names = un_country_names().get(code, {})
    return names.get(language) or names.get("en", "")


_lazy_name = lazy(un_country_name, str)


def country_names_override():
    """COUNTRIES_OVERRIDE for django-countries: each name follows the active language."""
    return {code: _lazy_name(code) for code in un_country_names()}

"""The facet keys of the public contract, their labels and how to label their values."""

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

#: Every facet key of CONTRACT.md, in display order. `language` is the entry's original
#: language; `available_in` the languages in which the entry has a published version.
FACET_KEYS = (
    "cooperation_model",
    "guiding_question",
    "va_component",
    "region",
    "country",
    "actor_type",
    "funding_mechanism",
    "sdg",
    "crpd_article",
    "year",
    "language",
    "available_in",
    "tag",
)

FACET_LABELS = {
    "cooperation_model": _("Cooperation model"),
    "guiding_question": _("Guiding question"),
    "va_component": _("Victim-assistance component"),
    "region": _("Region"),
    "country": _("Country"),
    "actor_type": _("Actor type"),
    "funding_mechanism": _("Funding mechanism"),
    "sdg": _("Sustainable Development Goal"),
    "crpd_article": _("CRPD article"),
    "year": _("Year"),
    "language": _("Original language"),
    "available_in": _("Available in"),
    "tag": _("Tag"),
}

LANGUAGE_LABELS = {
    "ar": _("Arabic"),
    "en": _("English"),
    "fr": _("French"),
    "es": _("Spanish"),
}


def language_name_local(code):
    return get_language_info(code)["name_local"]


_COUNTRY_NAMES = {}


def country_name(code):
    """The country's name in the active language (names are read once per language)."""
    key = (get_language(), code)
    name = _COUNTRY_NAMES.get(key)
    if name is None:
        name = _COUNTRY_NAMES[key] = str(countries.name(code)) or code
    return name

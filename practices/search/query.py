"""The search parameters of CONTRACT.md, validated once for the API and the HTML page: the
one request type (SearchQuery) that the service and every engine work from. The query text
itself is parsed by practices.search.analysis.parse_query, for every engine."""

import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from ..facets import CHOICE_FACETS, COUNTRY_FACETS, FACET_KEYS, YEAR_FACETS
from .analysis import LANGUAGES, parse_query

#: `newest` and `oldest` order by the entry's first publication (the earliest first
#: publication of any of its language versions); `year` by the year the practice started,
#: latest first; `title` by title; `relevance` by how well the text matches.
SORTS = ("relevance", "newest", "oldest", "year", "title")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
#: The parameters that order or page the results of a search, not choose them: what a feed, a
#: followed search or the funding API leave out.
ORDER_PARAMS = ("sort", "page", "page_size")
MAX_VALUES_PER_KEY = 50
_YEAR_RE = re.compile(r"^\d{4}$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
#: A tag or organisation slug.
_SLUG_RE = re.compile(r"^[-\w]{1,100}$")
_INTEGER_RE = re.compile(r"^\d{1,7}$")


@dataclass
class SearchQuery:
    """A valid search: text, filters (facet key -> values, OR-ed), language, order, page."""

    q: str = ""
    filters: dict = field(default_factory=dict)
    lang: str = "en"
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def has_text(self):
        """Whether `q` holds a word to match (not only spaces, quotes or punctuation)."""
        return bool(parse_query(self.q))

    @property
    def effective_sort(self):
        """`relevance` by default with a text, `newest` otherwise."""
        has_text = self.has_text  # parsed once per call
        if self.sort == "relevance" and not has_text:
            return "newest"
        return self.sort or ("relevance" if has_text else "newest")

    @property
    def offset(self):
        return (max(self.page, 1) - 1) * self.page_size


def _valid_value(key, value, vocabulary_slugs):
    """The value in its canonical form, or an error message (in the active language)."""
    if key in vocabulary_slugs:
        if value in vocabulary_slugs[key]:
            return value, None
        return None, _("“%(value)s” is not a known value of this filter.") % {"value": value}
    if key in CHOICE_FACETS:
        if value in CHOICE_FACETS[key].values:
            return value, None
        return None, _("“%(value)s” is not a known value of this filter.") % {"value": value}
    if key in COUNTRY_FACETS:
        code = value.upper()
        if _COUNTRY_RE.match(value) and code in countries:
            return code, None
        return None, _("Use a two-letter ISO 3166-1 country code, e.g. SN.")
    if key in YEAR_FACETS:
        if _YEAR_RE.match(value):
            return value, None
        return None, _("Use a four-digit year, e.g. 2019.")
    if key in ("language", "available_in"):
        if value in LANGUAGES:
            return value, None
        return None, _("Use one of: ar, en, fr, es.")
    if key == "tag":
        if _SLUG_RE.match(value):
            return value, None
        return None, _("“%(value)s” is not a valid tag.") % {"value": value}
    if key == "funder":
        if _SLUG_RE.match(value):
            return value, None
        return None, _("“%(value)s” is not a valid organisation identifier.") % {"value": value}
    return None, _("Unknown filter.")


def parse_params(params, vocabulary_slugs, lang=None, strict=False):
    """(SearchQuery, errors) from a QueryDict; errors maps a parameter to its message.

    Invalid values are left out of the query, so a page can still show the rest. Unknown
    parameter names are ignored. `lang`, when given, overrides the `lang` parameter (the
    HTML page takes its language from the URL). Empty values are ignored (an HTML form
    sends them), except with `strict` (the API), where they are errors like any other
    value outside the documented ones. `vocabulary_slugs` (facet key -> the slugs of its
    vocabulary) comes from the caller: the search service reads it from its snapshot.
    """
    errors = {}
    query = SearchQuery()
    requested = lang if lang is not None else params.get("lang", "en")
    if not strict:
        requested = requested or "en"
    if requested in LANGUAGES:
        query.lang = requested
    else:
        errors["lang"] = _("Use one of: ar, en, fr, es.")
    with translation.override(query.lang):
        query.q = str(params.get("q", "") or "")
        for key in FACET_KEYS:
            values = []
            for raw in params.getlist(key)[:MAX_VALUES_PER_KEY]:
                raw = (raw or "").strip()
                if not raw:
                    if strict:
                        errors.setdefault(key, _("Choose a value."))
                    continue
                value, error = _valid_value(key, raw, vocabulary_slugs)
                if error:
                    errors.setdefault(key, error)
                elif value not in values:
                    values.append(value)
            if values:
                query.filters[key] = values
        sort = (params.get("sort", "") or "").strip()
        if (sort or (strict and "sort" in params)) and sort not in SORTS:
            errors["sort"] = _("Use one of: relevance, newest, oldest, year, title.")
        else:
            query.sort = sort
        page = (params.get("page", "") or "").strip()
        if page or (strict and "page" in params):
            if _INTEGER_RE.match(page) and 1 <= int(page) <= MAX_PAGE:
                query.page = int(page)
            else:
                errors["page"] = _("Use a whole number from 1.")
        page_size = (params.get("page_size", "") or "").strip()
        if page_size or (strict and "page_size" in params):
            if _INTEGER_RE.match(page_size) and 1 <= int(page_size) <= MAX_PAGE_SIZE:
                query.page_size = int(page_size)
            else:
                errors["page_size"] = _("Use a whole number from 1 to 100.")
    return query, errors

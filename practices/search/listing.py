"""The faceted search page's context: the parameters of the API, the language from the URL.

Reads the search service only (published entries, never contributor data); the page model
(PracticeIndexPage) calls it, and nothing here imports page models.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from ..facets import FACET_KEYS, FACET_LABELS, LANGUAGE_LABELS, language_name_local
from .query import DEFAULT_PAGE_SIZE
from .service import parse_search_params, search_practices
from .suggestions import suggest

#: Facet groups shown folded (<details>), opened when one of their values is selected.
COLLAPSIBLE_FACETS = ("country", "tag", "year", "active_year", "actor_type",
                      "funding_mechanism", "funder", "funding_type", "funding_status",
                      "partner_country", "sdg", "sdg_target", "crpd_article",
                      "action_plan")  # fmt: skip
#: The facets read together under one folded heading: key -> (heading, facet keys).
FACET_SECTIONS = {
    "results": (gettext_lazy("Results and participation"),
                ("status", "evidence", "participation", "rights_marker")),
}  # fmt: skip
#: The order of the filters on the page: a facet key, or a section of FACET_SECTIONS.
#: How sure we are (provenance) comes right after what and where; the convention and
#: SDG links stand together; every facet of the registry appears once.
FACET_PANEL = ("cooperation_model", "guiding_question", "va_component", "region", "country",
               "provenance", "results", "actor_type", "funding_mechanism", "funder",
               "funding_type", "funding_status", "partner_country", "sdg", "sdg_target",
               "crpd_article", "action_plan", "year", "active_year", "language",
               "available_in", "tag")  # fmt: skip


def _query_string(query, drop=None, **overrides):
    """The canonical query string of a search, without `page`; `drop` = (key, value)."""
    params = []
    q = overrides.get("q", query.q)
    if q:
        params.append(("q", q))
    filters = overrides.get("filters", query.filters)
    for key in FACET_KEYS:
        for value in filters.get(key, []):
            if drop != (key, str(value)):
                params.append((key, value))
    if query.sort:
        params.append(("sort", query.sort))
    if query.page_size != DEFAULT_PAGE_SIZE:
        params.append(("page_size", query.page_size))
    return urlencode(params)


def _without(filters, key):
    return {k: v for k, v in filters.items() if k != key}


def _suggestions(query, results):
    """For an empty result: how many practices each filter (or the text) is hiding."""
    suggestions = []
    for key in query.filters:
        relaxed = replace(query, filters=_without(query.filters, key), page=1, page_size=1)
        count = search_practices(relaxed).count
        if count:
            labels = [item.label for item in results.facets[key] if item.value in
                      {str(v) for v in query.filters[key]}]  # fmt: skip
            suggestions.append(
                {
                    "label": _("%(group)s: %(value)s")
                    % {"group": FACET_LABELS[key], "value": ", ".join(labels)},
                    "count": count,
                    "query_string": _query_string(query, filters=_without(query.filters, key)),
                }
            )
    if query.q.strip():
        relaxed = replace(query, q="", page=1, page_size=1)
        count = search_practices(relaxed).count
        if count:
            suggestions.append(
                {
                    "label": _("the search text “%(q)s”") % {"q": query.q},
                    "count": count,
                    "query_string": _query_string(query, q=""),
                    "is_text": True,
                }
            )
    suggestions.sort(key=lambda item: -item["count"])
    return suggestions


def _search_help(page, request, query):
    """For a text search that found nothing: close spellings, terms to filter by, and the
    other languages' search pages that find entries, with their links."""
    found = suggest(query)
    if not found:
        return None
    pages = {}
    if found.languages:
        for translation in page.get_translations().select_related("locale"):
            pages[translation.locale.language_code] = translation.get_url(request)
    return {
        "spellings": [
            {"parts": item.parts, "query_string": _query_string(query, q=item.q)}
            for item in found.spellings
        ],
        "terms": [
            {
                "group": item.group,
                "label": item.label,
                "count": item.count,
                "query_string": _query_string(query, q="", filters=item.filters),
            }
            for item in found.terms
        ],
        "languages": [
            {
                "lang": item.lang,
                "name": LANGUAGE_LABELS[item.lang],
                "name_local": language_name_local(item.lang),
                "bidi": get_language_info(item.lang)["bidi"],
                "count": item.count,
                "url": f"{pages[item.lang]}?{_query_string(query)}",
            }
            for item in found.languages
            if item.lang in pages
        ],
    }


def _facet_panel(groups, selected):
    """The facet groups in FACET_PANEL's order; a section as one group with `groups`,
    shown when one of its facets has values and open when one of them is selected."""
    panel = []
    for name in FACET_PANEL:
        if name in FACET_SECTIONS:
            heading, keys = FACET_SECTIONS[name]
            members = [groups[key] for key in keys if key in groups]
            if members:
                panel.append(
                    {
                        "key": name,
                        "label": heading,
                        "groups": members,
                        "collapsible": True,
                        "open": any(key in selected for key in keys),
                    }
                )
        elif name in groups:
            panel.append(groups[name])
    return panel


def practice_index_context(page, request):
    """The faceted search page: same parameters as the API, the language from the URL."""
    language = page.locale.language_code
    query, errors = parse_search_params(request.GET, lang=language)
    results = search_practices(query)
    if results.count and not results.results and query.page > 1:  # past the last page
        query = replace(query, page=results.num_pages)
        results = search_practices(query)
    selected = {key: {str(value) for value in values} for key, values in query.filters.items()}
    groups, chips = {}, []
    for key in FACET_KEYS:
        items = [
            {
                "value": item.value,
                "label": item.label,
                "count": item.count,
                "checked": item.value in selected.get(key, ()),
            }
            for item in results.facets[key]
        ]
        for item in items:
            if item["checked"]:
                chips.append(
                    {
                        "group": FACET_LABELS[key],
                        "label": item["label"],
                        "query_string": _query_string(query, drop=(key, item["value"])),
                    }
                )
        if items:
            groups[key] = {
                "key": key,
                "label": FACET_LABELS[key],
                "items": items,
                "collapsible": key in COLLAPSIBLE_FACETS,
                "open": key in selected,
            }
    paginator = Paginator(range(results.count), query.page_size)
    page_obj = paginator.get_page(query.page)
    return {
        "search": results,
        "search_errors": errors,
        "facet_groups": _facet_panel(groups, selected),
        "chips": chips,
        "clear_query_string": _query_string(query, filters={}),
        "query_string": _query_string(query),
        # The exports take the page's language as `lang` and ignore paging.
        "export_query_string": "&".join(
            part
            for part in (
                urlencode({"lang": query.lang}),
                _query_string(replace(query, page_size=DEFAULT_PAGE_SIZE)),
            )
            if part
        ),
        # The insights draw the same search; order and page size do not change them.
        "insights_query_string": _query_string(
            replace(query, sort="", page_size=DEFAULT_PAGE_SIZE)
        ),
        "page_obj": page_obj,
        "sort_options": [
            ("relevance", _("Relevance")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("year", _("Practice start year")),
            ("title", _("Title")),
        ],
        "current_sort": query.effective_sort,
        "suggestions": _suggestions(query, results) if not results.count else [],
        "search_help": _search_help(page, request, query) if not results.count else None,
    }

"""Context for the public pages. Reads published entries only; never contributor data."""

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .facets import FACET_KEYS, FACET_LABELS
from .models import CooperationModel, GuidingQuestion, PracticePage
from .search.query import DEFAULT_PAGE_SIZE
from .search.service import parse_search_params, search_practices


def published_entry_counts(term_model):
    """Published entries per term; an entry is counted once, whatever its languages."""
    return dict(
        term_model.objects.annotate(
            entries=Count(
                "practices__translation_key",
                filter=Q(practices__live=True),
                distinct=True,
            )
        ).values_list("slug", "entries")
    )


def home_context(page, request):
    model_counts = published_entry_counts(CooperationModel)
    question_counts = published_entry_counts(GuidingQuestion)
    index = page.get_children().type(_index_page_type()).live().first()
    return {
        "practice_index": index.specific if index else None,
        "cooperation_models": [
            (term, model_counts.get(term.slug, 0)) for term in CooperationModel.objects.all()
        ],
        "guiding_questions": [
            (term, question_counts.get(term.slug, 0)) for term in GuidingQuestion.objects.all()
        ],
    }


def _index_page_type():
    from .models import PracticeIndexPage

    return PracticeIndexPage


def entries_for_locale(locale):
    """Each published entry once: its version in `locale` where published, else its original."""
    live = PracticePage.objects.live()
    local_keys = live.filter(locale=locale).values("translation_key")
    in_locale = Q(locale=locale)
    originals_elsewhere = ~Q(translation_key__in=local_keys) & Q(pk__in=_original_pks(live))
    return live.filter(in_locale | originals_elsewhere)


def _original_pks(queryset):
    from django.db.models import Min

    return (
        PracticePage.objects.order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values("first")
    )


#: Facet groups shown folded (<details>), opened when one of their values is selected.
COLLAPSIBLE_FACETS = ("country", "tag", "year", "actor_type", "funding_mechanism", "sdg",
                      "crpd_article")  # fmt: skip


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


def practice_index_context(page, request):
    """The faceted search page: same parameters as the API, the language from the URL."""
    language = page.locale.language_code
    query, errors = parse_search_params(request.GET, lang=language)
    results = search_practices(query)
    if results.count and not results.results and query.page > 1:  # past the last page
        query = replace(query, page=results.num_pages)
        results = search_practices(query)
    selected = {key: {str(value) for value in values} for key, values in query.filters.items()}
    facet_groups, chips = [], []
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
            facet_groups.append(
                {
                    "key": key,
                    "label": FACET_LABELS[key],
                    "items": items,
                    "collapsible": key in COLLAPSIBLE_FACETS,
                    "open": key in selected,
                }
            )
    paginator = Paginator(range(results.count), query.page_size)
    page_obj = paginator.get_page(query.page)
    return {
        "search": results,
        "search_errors": errors,
        "facet_groups": facet_groups,
        "chips": chips,
        "clear_query_string": _query_string(query, filters={}),
        "query_string": _query_string(query),
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
    }

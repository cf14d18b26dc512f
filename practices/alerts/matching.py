"""A followed search is the query string of the search page, without its order or page: the
same parameters as the Atom feed's selection, read by the same search code."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from ..facets import FACET_KEYS, FACET_LABELS
from ..search.memory import get_snapshot
from ..search.query import ORDER_PARAMS
from ..search.service import matching_version, parse_search_params

#: The parameters that do not change which entries a search finds (the language is the
#: subscription's own).
IGNORED_PARAMS = (*ORDER_PARAMS, "lang")


def normalise(params, language):
    """(canonical query string, errors) of the search the parameters describe."""
    params = params.copy()
    for name in IGNORED_PARAMS:
        params.pop(name, None)
    query, errors = parse_search_params(params, lang=language)
    return canonical(query), errors


def canonical(query):
    parts = QueryDict(mutable=True)
    if query.q.strip():
        parts["q"] = query.q.strip()
    for key in FACET_KEYS:
        values = sorted(str(value) for value in query.filters.get(key, []))
        if values:
            parts.setlist(key, values)
    return parts.urlencode()


def search_query(subscription):
    query, _errors = parse_search_params(QueryDict(subscription.query), lang=subscription.language)
    return query


def matching_page(subscription, entry_key):
    """The page id of the entry's version the subscriber's search shows, if it matches."""
    return matching_version(search_query(subscription), entry_key)


def describe(query_string, language):
    """[(label, value)] of a followed search, labelled in `language` (active)."""
    query, _errors = parse_search_params(QueryDict(query_string), lang=language)
    snapshot = get_snapshot()
    lines = []
    if query.q.strip():
        # Translators: label of the words typed in a followed search (alerts by e-mail).
        lines.append((_("Words"), query.q.strip()))
    for key in FACET_KEYS:
        values = query.filters.get(key)
        if values:
            labels = [str(snapshot.label(key, value, language)) for value in values]
            lines.append((str(FACET_LABELS[key]), ", ".join(labels)))
    return lines

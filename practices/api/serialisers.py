"""The JSON shapes of CONTRACT.md. Only public fields: nothing of contributors, ever."""

from ..facets import FACET_KEYS, SINGLE_VALUE_FACETS, YEAR_FACETS
from ..search.service import RESULT_LIST_KEYS


def serialise_result(result):
    data = {
        "id": result.id,
        "url": result.url,
        "title": result.title,
        "summary": result.summary,
        "lang": result.lang,
        "language": result.language,
        "translated": result.translated,
        "year": result.year,
    }
    for key in RESULT_LIST_KEYS:
        values = list(result.classification.get(key, []))
        if key in SINGLE_VALUE_FACETS:  # one slug, or null
            data[key] = values[0] if values else None
        else:
            data[key] = values  # years are numbers already, from either engine
    data["funding_total_usd"] = result.funding_total_usd
    return data


def _facet_value(key, value):
    return int(value) if key in YEAR_FACETS else value


def serialise_facet(results, key):
    """The counts of one facet, as the API gives them (the insights too)."""
    return [
        {"value": _facet_value(key, item.value), "label": item.label, "count": item.count}
        for item in results.facets[key]
    ]


def serialise_results(results):
    return {
        "count": results.count,
        "page": results.page,
        "page_size": results.page_size,
        "results": [serialise_result(result) for result in results.results],
        "facets": {key: serialise_facet(results, key) for key in FACET_KEYS},
    }

"""The JSON shapes of CONTRACT.md. Only public fields: nothing of contributors, ever."""

from django.utils import translation
from wagtail.rich_text import expand_db_html

from ..facets import FACET_KEYS, SINGLE_VALUE_FACETS, YEAR_FACETS
from ..licences import licence_info
from ..models import PracticePage
from ..open_data.citation import csl_item
from ..results import BENEFICIARY_GROUPS
from ..search.service import RESULT_LIST_KEYS
from .funding import serialise_row


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


#: A funding row's key in practices.api.funding -> its key in the import format.
_IMPORT_FORMAT_KEYS = {"funder": "source", "source_url": "url"}


def serialise_funding_row(row, language):
    """A funding row as the import format writes it (`source` the funder's name in
    `language`, `url` the source of the figure), with `amount_usd`: the row of
    GET /api/v1/funding/ under the import format's names, without the entry's id."""
    data = serialise_row(row, language)
    del data["id"]
    return {_IMPORT_FORMAT_KEYS.get(key, key): value for key, value in data.items()}


def _html(value):
    return expand_db_html(value.source if hasattr(value, "source") else value or "")


def serialise_entry(result, page, versions, request):
    """One entry, whole (CONTRACT.md, "API, added in version 2"): the search result
    `result` of the version `page`, with its texts, funding, sources, licence, dates, the
    addresses of its `versions` (every version search shows) and its citation."""
    language = page.locale.language_code
    data = serialise_result(result)
    data["answers"] = {
        child.value["question"]: _html(child.value["answer"]) for child in page.answers
    }
    data["body"] = str(page.body.render_as_block()) if page.body else ""
    for name in PracticePage.TEXT_SECTIONS:
        data[name] = _html(getattr(page, name))
    data["beneficiaries"] = {
        **{group: getattr(page, f"beneficiaries_{group}") for group, _label in BENEFICIARY_GROUPS},
        "year": page.beneficiaries_year,
        "note": page.beneficiaries_note,
    }
    rows = page.funding.select_related("page", "funder", "recipient_organisation", "mechanism")
    data["funding"] = [serialise_funding_row(row, language) for row in rows]
    data["sources"] = [{"title": source.title, "url": source.url} for source in page.sources.all()]
    licence = licence_info(page.licence)
    # The deed in the reader's language, as the entry page links it.
    data["licence"] = {"id": str(licence.id), "url": licence.url(translation.get_language())}
    data["first_published_at"] = _datetime(page.first_published_at)
    data["last_published_at"] = _datetime(page.last_published_at)
    data["versions"] = {
        version.locale.language_code: request.build_absolute_uri(version.get_url(request))
        for version in versions
    }
    data["citation"] = csl_item(page, request)
    return data


def _datetime(value):
    return value.isoformat() if value else None

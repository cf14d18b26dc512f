"""The OpenAPI 3.1 description of the search, entry and funding API, with the vocabularies' current
slugs."""

from django.utils import translation
from django_countries import countries

from ..facets import (
    CHOICE_FACETS,
    COUNTRY_FACETS,
    FACET_DESCRIPTIONS,
    FACET_KEYS,
    SINGLE_VALUE_FACETS,
    YEAR_FACETS,
)
from ..funding import FundingChannel, FundingStatus, FundingType, VictimAssistanceShare
from ..insights import COUNTED_FACETS, TOP_FUNDERS
from ..licences import Licence
from ..models import PracticePage
from ..results import BENEFICIARY_GROUPS
from ..search.analysis import LANGUAGES
from ..search.memory import get_snapshot
from ..search.query import MAX_PAGE, MAX_PAGE_SIZE, ORDER_PARAMS, SORTS
from ..search.service import RESULT_LIST_KEYS
from .funding import STATUS_KEYS


def _value_schema(key, vocabularies):
    if key in vocabularies:
        return {"type": "string", "enum": [slug for slug, _labels in vocabularies[key]]}
    if key in CHOICE_FACETS:
        return {"type": "string", "enum": list(CHOICE_FACETS[key].values)}
    if key in COUNTRY_FACETS:
        return {"type": "string", "enum": [code for code, _name in countries]}
    if key in YEAR_FACETS:
        return {"type": "integer", "minimum": 1000, "maximum": 9999}
    if key in ("language", "available_in"):
        return {"type": "string", "enum": list(LANGUAGES)}
    return {"type": "string", "pattern": "^[-\\w]{1,100}$"}


#: Export format -> (media type, operation id, what a row is in that format).
EXPORT_FORMATS = {
    "csv": (
        "text/csv",
        "exportPracticesCsv",
        "UTF-8 with a byte order mark, a header row of column keys, one row per entry. "
        "List values are joined with `;`; `translated` is true or false; a cell that begins "
        "with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so that "
        "spreadsheets do not run it.",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "exportPracticesXlsx",
        "A workbook: the entries on the first sheet (a frozen header row of column keys, list "
        "values joined with `;`, text always as text), and on the second what each column "
        "means and the query, date, count and licence note of the export.",
    ),
    "jsonl": (
        "application/jsonl",
        "exportPracticesJsonl",
        "JSON Lines: one JSON object per entry and line, lists as arrays.",
    ),
}


def _export_path(fmt, parameters, bad_request):
    media_type, operation_id, description = EXPORT_FORMATS[fmt]
    schema = {"type": "string"}
    if fmt == "xlsx":
        schema["contentMediaType"] = media_type
    return {
        "get": {
            "operationId": operation_id,
            "summary": f"Every practice a search matches, as {fmt.upper()}",
            "description": "The search's parameters (paging ones are checked and ignored): "
            "every matching entry once, in `lang`, in the order of the search's pages, with "
            "the fields of a search result (`url` absolute), `funding_total_usd`, `licence` "
            "(SPDX id) and the answers as plain text, one column per guiding question "
            f"(`q1`...`q6`). Streamed. {description}",
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "The export, as an attachment.",
                    "content": {media_type: {"schema": schema}},
                },
                "400": bad_request,
            },
        }
    }


def openapi_document():
    """The document, in English whatever the request's language."""
    with translation.override("en"):
        return _document()


def _document():
    vocabularies = get_snapshot().vocabularies
    parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Full-text query: case-, accent- and diacritic-insensitive, stemmed "
            'for each entry\'s language. Words are AND-ed, "quoted phrases" match as phrases, '
            "the last word matches as a prefix.",
            "schema": {"type": "string"},
        }
    ]
    for key in FACET_KEYS:
        parameters.append(
            {
                "name": key,
                "in": "query",
                "required": False,
                "description": f"{FACET_DESCRIPTIONS[key]} Repeatable: values of one key are "
                "OR-ed, different keys are AND-ed.",
                "style": "form",
                "explode": True,
                "schema": {"type": "array", "items": _value_schema(key, vocabularies)},
            }
        )
    parameters += [
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "Language of the labels and of the version of each entry returned: "
            "its translation in this language where published, else its original.",
            "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
        },
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "`relevance` (default with `q`); `newest` (default otherwise): "
            "latest first publication of the entry first (the earliest publication of any of "
            "its language versions); `oldest`: the reverse; `year`: latest start year of the "
            "practice first, entries without a year last; `title`. Equal entries keep a "
            "stable order.",
            "schema": {"type": "string", "enum": list(SORTS)},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20},
        },
    ]
    string_list = {"type": "array", "items": {"type": "string"}}
    result_properties = {
        "id": {"type": "string", "format": "uuid", "description": "The entry's translation key."},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "lang": {"type": "string", "enum": list(LANGUAGES)},
        "language": {"type": "string", "enum": list(LANGUAGES)},
        "translated": {"type": "boolean"},
        "year": {"type": ["integer", "null"]},
        **dict.fromkeys(RESULT_LIST_KEYS, string_list),
        "active_year": {"type": "array", "items": {"type": "integer"}},
        **{
            key: {"type": ["string", "null"], "enum": [*CHOICE_FACETS[key].values, None]}
            for key in SINGLE_VALUE_FACETS
        },
        "funding_total_usd": {
            "type": ["number", "null"],
            "minimum": 0,
            "description": "The sum of the US dollar equivalents of the entry's funding rows "
            "that have one (at the average rate of each row's first year, or an editor's "
            "figure); null when none has one.",
        },
    }
    facet_value = {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": ["string", "integer"]},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
        },
        "additionalProperties": False,
    }
    search_response = {
        "type": "object",
        "required": ["count", "page", "page_size", "results", "facets"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Practice"}},
            "facets": {
                "type": "object",
                "required": list(FACET_KEYS),
                "properties": {
                    key: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    for key in FACET_KEYS
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }
    errors = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "description": "Parameter name -> message, in `lang` when it is valid.",
                "additionalProperties": {"type": "string"},
                "minProperties": 1,
            }
        },
        "additionalProperties": False,
    }
    number_or_null = {"type": ["number", "null"], "minimum": 0}
    string_or_null = {"type": ["string", "null"]}
    by_status = {
        "type": "object",
        "required": list(STATUS_KEYS),
        "properties": dict.fromkeys(STATUS_KEYS, {"type": "number", "minimum": 0}),
        "additionalProperties": False,
    }
    funding_row = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The entry's id."},
            "funder": {"type": "string", "description": "The funder's name in `lang`."},
            "funder_slug": {**string_or_null, "description": "The `funder` facet value."},
            "recipient": {"type": "string"},
            "recipient_slug": string_or_null,
            "amount": number_or_null,
            "currency": {**string_or_null, "description": "ISO 4217 code."},
            "amount_usd": {
                **number_or_null,
                "description": "The US dollar equivalent: an editor's figure (its basis in "
                "`note`), else the amount at the average of the European Central Bank's "
                "daily rates in `year_start`; null without a rate.",
            },
            "year_start": {"type": ["integer", "null"]},
            "year_end": {"type": ["integer", "null"]},
            "type": {"type": ["string", "null"], "enum": [*FundingType.values, None]},
            "status": {"type": ["string", "null"], "enum": [*FundingStatus.values, None]},
            "va_share": {"type": "string", "enum": list(VictimAssistanceShare.values)},
            "channel": {"type": ["string", "null"], "enum": [*FundingChannel.values, None]},
            "mechanism": {**string_or_null, "description": "A `funding_mechanism` slug."},
            "source_url": string_or_null,
            "iati_identifier": string_or_null,
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    }
    funding_row["required"] = list(funding_row["properties"])
    funding_response = {
        "type": "object",
        "required": ["count", "rows", "totals"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/FundingRow"}},
            "totals": {
                "type": "object",
                "required": ["usd", "currencies", "rows_without_amount"],
                "properties": {
                    "usd": {
                        **by_status,
                        "description": "US dollars by status (`not-given`: rows without "
                        "one): statuses are never added together.",
                    },
                    "currencies": {
                        "type": "object",
                        "description": "ISO 4217 code -> amounts by status, of the rows "
                        "without a US dollar equivalent (counted apart, never guessed).",
                        "additionalProperties": by_status,
                    },
                    "rows_without_amount": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "Rows with neither a US dollar equivalent nor an "
                        "amount in a currency.",
                    },
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }
    html = {"type": "string", "description": "HTML."}
    count_or_null = {"type": ["integer", "null"], "minimum": 0}
    entry_funding_row = {
        "type": "object",
        "description": "A funding row as the import format writes it (`source`: the funder's "
        "name in `lang`; `url`: the source of the figure), with `amount_usd`.",
        "properties": {
            "source" if name == "funder" else "url" if name == "source_url" else name: value
            for name, value in funding_row["properties"].items()
            if name != "id"
        },
        "additionalProperties": False,
    }
    entry_funding_row["required"] = list(entry_funding_row["properties"])
    entry_properties = {
        **result_properties,
        "answers": {
            "type": "object",
            "description": "Guiding question (`q1`...`q6`) -> the answer, HTML.",
            "propertyNames": {"pattern": "^q[1-6]$"},
            "additionalProperties": {"type": "string"},
        },
        "body": html,
        **dict.fromkeys(PracticePage.TEXT_SECTIONS, html),
        "beneficiaries": {
            "type": "object",
            "required": [*(group for group, _label in BENEFICIARY_GROUPS), "year", "note"],
            "properties": {
                **{group: count_or_null for group, _label in BENEFICIARY_GROUPS},
                "year": {"type": ["integer", "null"]},
                "note": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "funding": {"type": "array", "items": {"$ref": "#/components/schemas/EntryFundingRow"}},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "url"],
                "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "licence": {
            "type": "object",
            "required": ["id", "url"],
            "properties": {
                "id": {"type": "string", "enum": list(Licence.values)},
                "url": {"type": "string", "description": "The licence, in `lang`."},
            },
            "additionalProperties": False,
        },
        "first_published_at": {**string_or_null, "format": "date-time"},
        "last_published_at": {**string_or_null, "format": "date-time"},
        "versions": {
            "type": "object",
            "description": "Language code -> the address of each published version.",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "string"},
        },
        "citation": {
            "type": "object",
            "description": "The reference of the version returned, as a CSL-JSON item; its "
            "`URL` is the entry's stable link.",
            "required": ["id", "type", "title", "author", "publisher", "URL", "language"],
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string"},
                "title": {"type": "string"},
                "URL": {"type": "string"},
                "language": {"type": "string", "enum": list(LANGUAGES)},
            },
        },
    }
    funding_parameters = [p for p in parameters if p["name"] not in ORDER_PARAMS]
    bad_request = {
        "description": "An unknown parameter value, or a bad page, page_size, sort or lang: "
        "the same errors as the search.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    by_status_usd = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value", "label", "usd"],
            "properties": {
                "value": {"type": ["string", "integer", "null"]},
                "label": {"type": "string"},
                "usd": by_status,
            },
            "additionalProperties": False,
        },
    }
    counts_of = {
        "type": "object",
        "required": ["label", "values"],
        "properties": {
            "label": {"type": "string"},
            "values": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
            "selected": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FacetValue"},
                "description": "Only when the search filters on this facet: each chosen "
                "value with the number of the entries found that have it (`values` are "
                "disjunctive, as in the search API).",
            },
        },
        "additionalProperties": False,
    }
    insights_response = {
        "type": "object",
        "required": ["count", "counts", "timeline", "funding", "countries"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "counts": {
                "type": "object",
                "description": "The search's facet counts (disjunctive) of these facets.",
                "required": list(COUNTED_FACETS),
                "properties": dict.fromkeys(COUNTED_FACETS, counts_of),
                "additionalProperties": False,
            },
            "timeline": {
                "type": "object",
                "description": "Entries active per year (`active_year`), in all and per "
                "cooperation model; `total` and each `counts` follow `years`.",
                "required": ["years", "total", "series"],
                "properties": {
                    "years": {"type": "array", "items": {"type": "integer"}},
                    "total": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                    "series": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["value", "label", "counts"],
                            "properties": {
                                "value": {"type": "string"},
                                "label": {"type": "string"},
                                "counts": {
                                    "type": "array",
                                    "items": {"type": "integer", "minimum": 0},
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
            "funding": {
                "type": "object",
                "description": "The rows of /api/v1/funding/ for the same search, in US "
                "dollars by status (never added across statuses), largest first; rows "
                "without a US dollar equivalent are only in `totals.currencies`.",
                "required": [
                    "rows",
                    "statuses",
                    "by_mechanism",
                    "by_funder",
                    "by_recipient_country",
                    "by_year",
                    "totals",
                ],
                "properties": {
                    "rows": {"type": "integer", "minimum": 0},
                    "statuses": {"type": "array", "items": {"type": "string"}},
                    "by_mechanism": by_status_usd,
                    "by_funder": {
                        **by_status_usd,
                        "description": f"The first {TOP_FUNDERS} funders, then `others`.",
                    },
                    "by_recipient_country": by_status_usd,
                    "by_year": by_status_usd,
                    "totals": funding_response["properties"]["totals"],
                },
                "additionalProperties": False,
            },
            "countries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "name", "place", "partner", "survivor_state"],
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "place": {"type": "integer", "minimum": 0},
                        "partner": {"type": "integer", "minimum": 0},
                        "survivor_state": {
                            "type": "boolean",
                            "description": "A State of the reference list of States with "
                            "significant numbers of survivors (confirmed by a source).",
                        },
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Alianzas search API",
            "version": "1.0.0",
            "description": "Published good practices on funding assistance to mine victims. "
            "Parameter names that are not described here are ignored.",
        },
        "paths": {
            "/api/v1/practices/": {
                "get": {
                    "operationId": "searchPractices",
                    "summary": "Search and filter the published practices, with facet counts",
                    "parameters": parameters,
                    "responses": {
                        "200": {
                            "description": "A page of results, the total and disjunctive facet "
                            "counts (key K's counts apply every filter except K's own).",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        "400": {
                            "description": "An unknown parameter value, or a bad page, "
                            "page_size, sort or lang.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
            "/api/v1/practices/{id}/": {
                "get": {
                    "operationId": "getPractice",
                    "summary": "One published practice, whole",
                    "description": "Its version in `lang` where published, else its original.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": "The practice's `id` (its translation key).",
                            "schema": {"type": "string", "format": "uuid"},
                        },
                        next(p for p in parameters if p["name"] == "lang"),
                    ],
                    "responses": {
                        "200": {
                            "description": "The practice.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/PracticeEntry"}
                                }
                            },
                        },
                        "400": {
                            "description": "A bad lang.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                        "404": {
                            "description": "No published practice has this id.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
            "/api/v1/funding/": {
                "get": {
                    "operationId": "listFunding",
                    "summary": "The funding rows of the practices a search matches, with totals",
                    "description": "The search parameters choose the practices; `funder`, "
                    "`funding_type` and `funding_status` also choose their rows. Rows are in "
                    "the practices' order, newest first, without paging.",
                    "parameters": funding_parameters,
                    "responses": {
                        "200": {
                            "description": "The rows and their totals.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/FundingResponse"}
                                }
                            },
                        },
                        "400": {
                            "description": "An unknown parameter value, or a bad lang.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
            **{
                f"/api/v1/practices/export.{fmt}": _export_path(fmt, parameters, bad_request)
                for fmt in EXPORT_FORMATS
            },
            "/api/v1/insights/": {
                "get": {
                    "operationId": "searchInsights",
                    "summary": "What the insights page draws for a search, as data",
                    "parameters": funding_parameters,
                    "responses": {
                        "200": {
                            "description": "Counts, timeline, funding and countries.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/InsightsResponse"}
                                }
                            },
                        },
                        "400": {
                            "description": "An unknown parameter value, or a bad lang.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Practice": {
                    "type": "object",
                    "required": list(result_properties),
                    "properties": result_properties,
                    "additionalProperties": False,
                },
                "PracticeEntry": {
                    "type": "object",
                    "required": list(entry_properties),
                    "properties": entry_properties,
                    "additionalProperties": False,
                },
                "EntryFundingRow": entry_funding_row,
                "FacetValue": facet_value,
                "SearchResponse": search_response,
                "FundingRow": funding_row,
                "FundingResponse": funding_response,
                "InsightsResponse": insights_response,
                "Errors": errors,
            }
        },
    }

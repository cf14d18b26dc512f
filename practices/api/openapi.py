"""The OpenAPI 3.1 description of the search and funding API, with the vocabularies' current
slugs."""

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
from ..search.analysis import LANGUAGES
from ..search.memory import get_snapshot
from ..search.query import MAX_PAGE, MAX_PAGE_SIZE, SORTS
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
    search_only = {"sort", "page", "page_size"}
    funding_parameters = [p for p in parameters if p["name"] not in search_only]
    bad_request = {
        "description": "An unknown parameter value, or a bad page, page_size, sort or lang: "
        "the same errors as the search.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
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
        },
        "components": {
            "schemas": {
                "Practice": {
                    "type": "object",
                    "required": list(result_properties),
                    "properties": result_properties,
                    "additionalProperties": False,
                },
                "FacetValue": facet_value,
                "SearchResponse": search_response,
                "FundingRow": funding_row,
                "FundingResponse": funding_response,
                "Errors": errors,
            }
        },
    }

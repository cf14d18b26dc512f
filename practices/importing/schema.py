"""The import format: its JSON Schema, its limits and the identity (slug) of a record.

See CONTRACT.md, "Import format", and docs/importing.md. Structure and types only; what needs
the database or the vocabularies is checked by `practices.importing.validation`.
"""

import jsonschema
from django.utils.text import slugify

from kb.languages import LANGUAGE_CODES

from ..funding import FundingChannel, FundingStatus, FundingType, VictimAssistanceShare
from ..models import VOCABULARY_FIELDS, PracticePage

#: CONTRACT.md's three values, and the earlier ones still read (`public-sources` as
#: documented, `synthetic` as illustrative).
PROVENANCES = ("documented", "contributed", "illustrative", "public-sources", "synthetic")
SLUG_MAX_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1990, 2100

#: Rich-text fields of the page that records and translations may carry.
RICH_TEXT_FIELDS = PracticePage.TEXT_SECTIONS
#: Plain-text fields.
PLAIN_TEXT_FIELDS = ("summary", "organisation", "partners")
#: Every text field a translation may override.
TRANSLATABLE_FIELDS = ("title", *PLAIN_TEXT_FIELDS, "answers", "body", *RICH_TEXT_FIELDS)

# -- the schema ---------------------------------------------------------------------------

_string = {"type": "string"}
_text = {"type": "string", "minLength": 1}
_year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
_slug_list = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}
_answers = {
    "type": "object",
    "propertyNames": {"pattern": r"^[a-z0-9-]+$"},
    "additionalProperties": _text,
}
_text_fields = {
    **dict.fromkeys(("body", "partners", *RICH_TEXT_FIELDS), _string),
    "organisation": {"type": "string", "maxLength": 255},
}

TRANSLATION_SCHEMA = {
    "type": "object",
    "required": ["title", "summary"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 255},
        "summary": _text,
        "slug": {"type": "string", "minLength": 1, "maxLength": SLUG_MAX_LENGTH},
        "answers": _answers,
        **_text_fields,
    },
}

RECORD_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Alianzas practice entry (import format)",
    "type": "object",
    "required": ["title", "summary", "language"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 255},
        "summary": _text,
        "language": {"enum": list(LANGUAGE_CODES)},
        "slug": {"type": "string", "minLength": 1, "maxLength": SLUG_MAX_LENGTH},
        "provenance": {"enum": list(PROVENANCES)},
        "answers": _answers,
        **_text_fields,
        "year": _year,
        "year_end": _year,
        **dict.fromkeys(VOCABULARY_FIELDS, _slug_list),
        "country": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "uniqueItems": True,
        },
        "tags": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 100}},
        "funding": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source"],
                "additionalProperties": False,
                "properties": {
                    "source": {"type": "string", "minLength": 1, "maxLength": 255},
                    "recipient": {"type": "string", "maxLength": 255},
                    "amount": {"type": "number", "minimum": 0},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "year_start": _year,
                    "year_end": _year,
                    "mechanism": {"type": "string", "minLength": 1},
                    "type": {"enum": list(FundingType.values)},
                    "status": {"enum": list(FundingStatus.values)},
                    "va_share": {"enum": list(VictimAssistanceShare.values)},
                    "channel": {"enum": list(FundingChannel.values)},
                    "amount_usd": {"type": "number", "minimum": 0},
                    "url": {"type": "string", "minLength": 1, "maxLength": 1000},
                    "iati_identifier": {"type": "string", "minLength": 1, "maxLength": 150},
                    "note": {"type": "string", "maxLength": 5000},
                },
            },
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "url"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 500},
                    "url": {"type": "string", "minLength": 1, "maxLength": 1000},
                },
            },
        },
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "maxLength": 255},
                "email": {"type": "string", "maxLength": 254},
                "organisation": {"type": "string", "maxLength": 255},
                "consent_publication": {"type": "boolean"},
                "consent_contact": {"type": "boolean"},
            },
        },
        "translations": {
            "type": "object",
            "propertyNames": {"enum": list(LANGUAGE_CODES)},
            "additionalProperties": TRANSLATION_SCHEMA,
        },
    },
}

_validator_class = jsonschema.validators.validator_for(RECORD_SCHEMA)
_validator_class.check_schema(RECORD_SCHEMA)
RECORD_VALIDATOR = _validator_class(RECORD_SCHEMA)


def _schema_path(error):
    parts = [str(part) for part in error.absolute_path]
    return ".".join(parts) if parts else "record"


def schema_errors(record):
    """Structural problems, as 'field: message' strings."""
    errors = sorted(RECORD_VALIDATOR.iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{_schema_path(error)}: {error.message}" for error in errors]


def record_slug(record):
    return (record.get("slug") or slugify(record["title"], allow_unicode=True))[:SLUG_MAX_LENGTH]

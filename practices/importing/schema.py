"""The import format: its JSON Schema, its limits and the identity (slug) of a record.

See CONTRACT.md, "Import format", and docs/importing.md. Structure and types only; what needs
the database or the vocabularies is checked by `practices.importing.validation`.
"""

import jsonschema
from django.utils.text import slugify

from kb.languages import LANGUAGE_CODES

from ..funding import FundingChannel, FundingStatus, FundingType, VictimAssistanceShare
from ..models import VOCABULARY_FIELDS, PracticePage
from ..results import (
    BENEFICIARY_GROUPS,
    EvidenceLevel,
    ParticipationLevel,
    PracticeStatus,
    RightsMarker,
)

#: CONTRACT.md's three values, and the earlier ones still read (`public-sources` as
#: documented, `synthetic` as illustrative).
PROVENANCES = ("documented", "contributed", "illustrative", "public-sources", "synthetic")
SLUG_MAX_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1990, 2100

#: Rich-text fields of the page that records and translations may carry.
RICH_TEXT_FIELDS = PracticePage.TEXT_SECTIONS
#: Plain-text fields.
PLAIN_TEXT_FIELDS = ("summary", "organisation", "partners")
#: Every text field a translation may override (and `beneficiaries.note`).
TRANSLATABLE_FIELDS = ("title", *PLAIN_TEXT_FIELDS, "answers", "body", *RICH_TEXT_FIELDS)
#: The counts of `beneficiaries` (CONTRACT.md, version 2), as in `PracticePage`'s
#: `beneficiaries_<group>` fields.
BENEFICIARY_COUNTS = tuple(group for group, _label in BENEFICIARY_GROUPS)
#: Fields of one slug from a list fixed in code, and the lists of such slugs: their values
#: are checked by `practices.importing.validation` (with translated messages).
CHOICE_FIELDS = {
    "status": PracticeStatus,
    "evidence": EvidenceLevel,
    "participation": ParticipationLevel,
}
CHOICE_LIST_FIELDS = {"rights_marker": RightsMarker}

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
_country_list = {
    "type": "array",
    "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "uniqueItems": True,
}
_count = {"type": "integer", "minimum": 0}
_beneficiaries = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **dict.fromkeys(BENEFICIARY_COUNTS, _count),
        "year": _year,
        "note": {"type": "string"},
    },
}
#: In a translation, only the note is text: the counts belong to the original.
_translated_beneficiaries = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"note": {"type": "string"}},
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
        "beneficiaries": _translated_beneficiaries,
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
        # One of PROVENANCES: checked by validation, with a translated message.
        "provenance": {"type": "string"},
        "answers": _answers,
        **_text_fields,
        "year": _year,
        "year_end": _year,
        **dict.fromkeys(VOCABULARY_FIELDS, _slug_list),
        "country": _country_list,
        # -- version 2: results, evidence and participation --
        **dict.fromkeys(CHOICE_FIELDS, {"type": "string"}),
        **dict.fromkeys(CHOICE_LIST_FIELDS, _slug_list),
        "partner_country": _country_list,
        "beneficiaries": _beneficiaries,
        "last_verified": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
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

"""Checking records beyond their structure: vocabularies, codes, years, languages, texts.

A record is valid when `validate` returns no reason; the structure is checked first, with the
JSON Schema of `practices.importing.schema`.
"""

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django_countries import countries

from ..models import VOCABULARY_FIELDS
from ..sanitising import sanitise_html
from .schema import record_slug, schema_errors

_url_validator = URLValidator(schemes=["http", "https"])


def validate(record, existing, terms):
    """Every reason the record cannot be imported (empty list: valid); see `semantic_errors`."""
    return schema_errors(record) or semantic_errors(record, existing, terms)


def semantic_errors(record, existing, terms):
    """The reasons a structurally valid record cannot be imported.

    `existing` is the entry the record identifies, if any; `terms` maps each vocabulary key
    to the slugs (or slug -> term) that exist.
    """
    errors = []
    language = record["language"]
    for key in VOCABULARY_FIELDS:
        unknown = [slug for slug in record.get(key, []) if slug not in terms[key]]
        if unknown:
            errors.append(f"{key}: unknown value(s) {', '.join(map(repr, unknown))}")
    questions = set(record.get("guiding_question", [])) | set(record.get("answers", {}))
    unknown_questions = sorted(set(record.get("answers", {})) - set(terms["guiding_question"]))
    if unknown_questions:
        errors.append(
            "answers: unknown guiding question(s) " + ", ".join(map(repr, unknown_questions))
        )
    if not record.get("cooperation_model"):
        errors.append("cooperation_model: at least one cooperation model is required")
    if not questions:
        errors.append(
            "guiding_question: at least one guiding question is required "
            "(in guiding_question or as a key of answers)"
        )
    for code in record.get("country", []):
        if not countries.alpha2(code):
            errors.append(f"country: {code!r} is not an ISO 3166-1 alpha-2 country code")
    year, year_end = record.get("year"), record.get("year_end")
    if year and year_end and year_end < year:
        errors.append(f"year_end: {year_end} is before year {year}")
    for position, row in enumerate(record.get("funding", []), start=1):
        currency = row.get("currency")
        if currency and pycountry.currencies.get(alpha_3=currency) is None:
            errors.append(f"funding.{position}.currency: {currency!r} is not an ISO 4217 code")
        if "amount" in row and not currency:
            errors.append(f"funding.{position}.currency: required when an amount is given")
        start, end = row.get("year_start"), row.get("year_end")
        if start and end and end < start:
            errors.append(f"funding.{position}.year_end: {end} is before year_start {start}")
        mechanism = row.get("mechanism")
        if mechanism and mechanism not in terms["funding_mechanism"]:
            errors.append(f"funding.{position}.mechanism: unknown value {mechanism!r}")
        if "amount_usd" in row and not (row.get("note") or "").strip():
            errors.append(f"funding.{position}.note: give the basis of amount_usd")
        if row.get("url"):
            try:
                _url_validator(row["url"])
            except ValidationError:
                errors.append(f"funding.{position}.url: {row['url']!r} is not a web address")
    for position, source in enumerate(record.get("sources", []), start=1):
        try:
            _url_validator(source["url"])
        except ValidationError:
            errors.append(f"sources.{position}.url: {source['url']!r} is not an http(s) URL")
    email = record.get("contact", {}).get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"contact.email: {email!r} is not a valid email address")
    if not record["summary"].strip():
        errors.append("summary: empty")
    if not record["title"].strip():
        errors.append("title: empty")
    texts = [("", record)] + [
        (f"translations.{code}.", data) for code, data in record.get("translations", {}).items()
    ]
    for prefix, data in texts:
        for question, text in data.get("answers", {}).items():
            if not sanitise_html(text):
                errors.append(f"{prefix}answers.{question}: empty once unsafe HTML is removed")
    for code, translation in record.get("translations", {}).items():
        if code == language:
            errors.append(
                f"translations.{code}: the record is already written in {code!r}; "
                "translations must be in other languages"
            )
        extra = sorted(set(translation.get("answers", {})) - questions)
        if extra:
            errors.append(
                f"translations.{code}.answers: question(s) {', '.join(extra)} are not "
                "answered or classified in the original"
            )
    slug = record_slug(record)
    if not slug:
        errors.append("slug: the title gives an empty slug; give a 'slug'")
    elif existing is not None and not existing.is_original:
        errors.append(
            f"slug: {slug!r} belongs to the {record['language']!r} translation of another "
            "entry; give this record its own 'slug'"
        )
    return errors

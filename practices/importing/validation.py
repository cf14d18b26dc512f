"""Checking records beyond their structure: vocabularies, codes, years, languages, texts.

A record is valid when `validate` returns no reason; the structure is checked first, with the
JSON Schema of `practices.importing.schema`. Each reason names the field (as in the file, not
translated) and says what is wrong in the active language.
"""

import datetime

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import VOCABULARY_FIELDS
from ..results import LEGACY_PROVENANCE, Provenance
from ..sanitising import sanitise_html
from .schema import CHOICE_FIELDS, CHOICE_LIST_FIELDS, PROVENANCES, record_slug, schema_errors

_url_validator = URLValidator(schemes=["http", "https"])


def _reason(field, message, **params):
    """'field: message': the message already translated, filled in with `params`."""
    return f"{field}: {message % params}"


def _quoted(values):
    return ", ".join(map(repr, values))


def provenance_of(record):
    """The record's provenance (CONTRACT.md, version 2): `contributed` when not given, the
    earlier values read as the contract says (`public-sources` is documented, `synthetic`
    illustrative)."""
    value = record.get("provenance", "")
    return LEGACY_PROVENANCE.get(value, value)


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
            errors.append(_reason(key, _("unknown value(s) %(values)s"), values=_quoted(unknown)))
    questions = set(record.get("guiding_question", [])) | set(record.get("answers", {}))
    unknown_questions = sorted(set(record.get("answers", {})) - set(terms["guiding_question"]))
    if unknown_questions:
        errors.append(
            _reason(
                "answers",
                _("unknown guiding question(s) %(values)s"),
                values=_quoted(unknown_questions),
            )
        )
    if not record.get("cooperation_model"):
        errors.append(_reason("cooperation_model", _("at least one cooperation model is required")))
    if not questions:
        errors.append(
            _reason(
                "guiding_question",
                _(
                    "at least one guiding question is required "
                    "(in guiding_question or as a key of answers)"
                ),
            )
        )
    for key in ("country", "partner_country"):
        for code in record.get(key, []):
            if not countries.alpha2(code):
                errors.append(
                    _reason(
                        key,
                        _("%(code)s is not an ISO 3166-1 alpha-2 country code"),
                        code=repr(code),
                    )
                )
    errors += _results_errors(record)
    year, year_end = record.get("year"), record.get("year_end")
    if year and year_end and year_end < year:
        errors.append(
            _reason("year_end", _("%(end)s is before year %(start)s"), end=year_end, start=year)
        )
    errors += _funding_errors(record, terms)
    for position, source in enumerate(record.get("sources", []), start=1):
        try:
            _url_validator(source["url"])
        except ValidationError:
            errors.append(
                _reason(
                    f"sources.{position}.url",
                    _("%(url)s is not an http(s) URL"),
                    url=repr(source["url"]),
                )
            )
    email = record.get("contact", {}).get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _reason(
                    "contact.email", _("%(email)s is not a valid email address"), email=repr(email)
                )
            )
    if not record["summary"].strip():
        errors.append(_reason("summary", _("empty")))
    if not record["title"].strip():
        errors.append(_reason("title", _("empty")))
    errors += _translation_errors(record, language, questions)
    slug = record_slug(record)
    if not slug:
        errors.append(_reason("slug", _("the title gives an empty slug; give a 'slug'")))
    elif existing is not None and not existing.is_original:
        errors.append(
            _reason(
                "slug",
                _(
                    "%(slug)s belongs to the %(language)s translation of another entry; give "
                    "this record its own 'slug'"
                ),
                slug=repr(slug),
                language=repr(record["language"]),
            )
        )
    return errors


def _results_errors(record):
    """Provenance, results, evidence and participation (CONTRACT.md, version 2)."""
    errors = []
    provenance = provenance_of(record)
    if record.get("provenance", "") not in ("", *PROVENANCES):
        errors.append(
            _reason(
                "provenance",
                _("unknown value %(value)s; use one of %(values)s"),
                value=repr(record["provenance"]),
                values=", ".join(Provenance.values),
            )
        )
    elif provenance == Provenance.ILLUSTRATIVE:
        for key in ("country", "partner_country"):
            if record.get(key):
                # The words of PracticePage.clean, which says the same in the admin.
                errors.append(
                    _reason(
                        key,
                        _("An illustrative entry names no real country: give its region instead."),
                    )
                )
    for key, choices in CHOICE_FIELDS.items():
        value = record.get(key)
        if value is not None and value not in choices.values:
            errors.append(
                _reason(
                    key,
                    _("unknown value %(value)s; use one of %(values)s"),
                    value=repr(value),
                    values=", ".join(choices.values),
                )
            )
    for key, choices in CHOICE_LIST_FIELDS.items():
        unknown = [value for value in record.get(key, []) if value not in choices.values]
        if unknown:
            errors.append(
                _reason(
                    key,
                    _("unknown value(s) %(unknown)s; use any of %(values)s"),
                    unknown=_quoted(unknown),
                    values=", ".join(choices.values),
                )
            )
    beneficiaries = record.get("beneficiaries", {})
    total = beneficiaries.get("total")
    groups = sum(beneficiaries.get(group, 0) for group in ("women", "men", "girls", "boys"))
    if total is not None and groups > total:
        # As PracticePage.clean.
        errors.append(
            _reason(
                "beneficiaries",
                _("Women, men, girls and boys add up to more than the total reached."),
            )
        )
    if "last_verified" in record:
        try:
            verified = datetime.date.fromisoformat(record["last_verified"])
        except ValueError:
            errors.append(
                _reason(
                    "last_verified",
                    _("%(value)s is not a date (YYYY-MM-DD)"),
                    value=repr(record["last_verified"]),
                )
            )
        else:
            if verified > datetime.date.today():
                errors.append(
                    _reason(
                        "last_verified", _("%(value)s is in the future"), value=verified.isoformat()
                    )
                )
    return errors


def _funding_errors(record, terms):
    errors = []
    for position, row in enumerate(record.get("funding", []), start=1):
        prefix = f"funding.{position}"
        currency = row.get("currency")
        if currency and pycountry.currencies.get(alpha_3=currency) is None:
            errors.append(
                _reason(
                    f"{prefix}.currency", _("%(code)s is not an ISO 4217 code"), code=repr(currency)
                )
            )
        if "amount" in row and not currency:
            errors.append(_reason(f"{prefix}.currency", _("required when an amount is given")))
        start, end = row.get("year_start"), row.get("year_end")
        if start and end and end < start:
            errors.append(
                _reason(
                    f"{prefix}.year_end",
                    _("%(end)s is before year_start %(start)s"),
                    end=end,
                    start=start,
                )
            )
        mechanism = row.get("mechanism")
        if mechanism and mechanism not in terms["funding_mechanism"]:
            errors.append(
                _reason(f"{prefix}.mechanism", _("unknown value %(value)s"), value=repr(mechanism))
            )
        if "amount_usd" in row and not (row.get("note") or "").strip():
            errors.append(_reason(f"{prefix}.note", _("give the basis of amount_usd")))
        if row.get("url"):
            try:
                _url_validator(row["url"])
            except ValidationError:
                errors.append(
                    _reason(
                        f"{prefix}.url", _("%(url)s is not a web address"), url=repr(row["url"])
                    )
                )
    return errors


def _translation_errors(record, language, questions):
    errors = []
    texts = [("", record)] + [
        (f"translations.{code}.", data) for code, data in record.get("translations", {}).items()
    ]
    for prefix, data in texts:
        for question, text in data.get("answers", {}).items():
            if not sanitise_html(text):
                errors.append(
                    _reason(f"{prefix}answers.{question}", _("empty once unsafe HTML is removed"))
                )
    for code, translation in record.get("translations", {}).items():
        if code == language:
            errors.append(
                _reason(
                    f"translations.{code}",
                    _(
                        "the record is already written in %(code)s; translations must be in "
                        "other languages"
                    ),
                    code=repr(code),
                )
            )
        extra = sorted(set(translation.get("answers", {})) - questions)
        if extra:
            errors.append(
                _reason(
                    f"translations.{code}.answers",
                    _("question(s) %(questions)s are not answered or classified in the original"),
                    questions=", ".join(extra),
                )
            )
    return errors

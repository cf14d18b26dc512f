"""Validating and loading practice entries in the import format of the public contract.

Input is a JSON array of objects or JSON Lines (one object per line). Each record is checked
with a JSON Schema (structure and types) and then semantically (vocabulary slugs, country
and currency codes, years, languages, translations). Invalid records are reported by position
(1-based index in a JSON array, line number in JSON Lines) with every reason, and nothing of
them is written.

Writing rules:

* Each valid record is written inside its own savepoint; records are committed in batches
  (``BATCH_SIZE``) to keep SQLite fast. A record that fails while being written is rolled
  back entirely and reported as invalid; the records before and after it are kept.
* ``dry_run`` validates and says what would be created or updated, but writes nothing at all.
* Identity (idempotence): an entry is identified by its ``slug`` if given, otherwise by the
  slug of its title (``slugify(title, allow_unicode=True)``, so Arabic titles keep their
  letters), within the practices index of the record's ``language``. If an entry with that
  slug exists there, it is updated (a new revision) instead of duplicated; its translations
  are identified the same way, as the translation of that entry in each language. A slug that
  belongs to a translation of another entry is reported as a conflict.
* A new translation is what Wagtail's ``copy_for_translation`` makes, saved once: a copy of
  the original (its fields, funding, sources, attachments, tags and classification) with the
  same translation key, in the practices index of its language, with the translation's text.
  Text it does not give is left empty; names (organisation, partners) are the original's.
* Every created or updated page gets a revision and stays editable in the admin; with
  ``publish`` the revision is published (the page is live), otherwise a new entry is a draft
  and an existing entry gets a draft revision.
* ``contact`` goes to a private ``Submission`` (channel "import", status "imported") linked to
  the entry, never onto the page.
"""

import html
import json
import logging
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jsonschema
import nh3
import pycountry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from taggit.models import Tag
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision, TranslatableMixin
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from .blocks import cached_guiding_question_choices
from .bulk import last_child_path
from .editor_format import editor_rich_text
from .models import (
    VOCABULARIES,
    VOCABULARY_FIELDS,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticePageTag,
    PracticeSource,
    Submission,
)
from .sanitising import BLOCK_TAG, SAFE_ATTRIBUTES, SAFE_TAGS, SAFE_URL_SCHEMES
from .search.index import deferred_updates as deferred_search_updates

logger = logging.getLogger(__name__)
page_logger = logging.getLogger("wagtail")  # where Page.save logs "Page created"

LANGUAGE_CODES = ("ar", "en", "fr", "es")
PROVENANCES = ("public-sources", "illustrative", "synthetic")
BATCH_SIZE = 100
SLUG_MAX_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1990, 2100

#: Rich-text fields of the page that records and translations may carry.
RICH_TEXT_FIELDS = ("outcomes", "lessons_learned", "survivor_participation", "accountability")
#: Plain-text fields.
PLAIN_TEXT_FIELDS = ("summary", "organisation", "partners")
#: Every text field a translation may override.
TRANSLATABLE_FIELDS = ("title", *PLAIN_TEXT_FIELDS, "answers", "body", *RICH_TEXT_FIELDS)

# -- sanitising ---------------------------------------------------------------------------

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def sanitise_html(text):
    """Rich text safe to store: a small set of tags, no scripts, handlers or javascript: URLs.

    Plain text (no tags) is escaped and wrapped into paragraphs: blank lines separate
    paragraphs, single line breaks become ``<br>``.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        return "".join(
            "<p>" + "<br>".join(html.escape(line.strip()) for line in part.splitlines()) + "</p>"
            for part in paragraphs
        )
    cleaned = nh3.clean(
        text,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()
    if cleaned and not BLOCK_TAG.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


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
_url_validator = URLValidator(schemes=["http", "https"])


def _schema_path(error):
    parts = [str(part) for part in error.absolute_path]
    return ".".join(parts) if parts else "record"


def schema_errors(record):
    """Structural problems, as 'field: message' strings."""
    errors = sorted(RECORD_VALIDATOR.iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{_schema_path(error)}: {error.message}" for error in errors]


# -- results ------------------------------------------------------------------------------


@dataclass
class InvalidRecord:
    position: int
    errors: list
    title: str = ""

    def __str__(self):
        label = f" ({self.title!r})" if self.title else ""
        return f"record {self.position}{label}: " + "; ".join(self.errors)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    invalid: list = field(default_factory=list)
    translations_created: int = 0
    translations_updated: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.invalid


class ImportFileError(Exception):
    """The file as a whole cannot be read (not JSON, not an array or JSON Lines)."""


@contextmanager
def deferred_indexing():
    """Skip the search and reference index updates that every save of a page triggers.

    A published import saves each page three times (create, revision, publish); indexing it
    once afterwards (`index_pages`) gives the same index at a third of the cost.
    """
    disconnected = post_save.disconnect(search_on_save, sender=PracticePage)
    try:
        with disable_reference_index_auto_update(), deferred_search_updates():
            yield
    finally:
        if disconnected:
            post_save.connect(search_on_save, sender=PracticePage)


def index_pages(page_ids, written=()):
    """Bring the reference index and the search backends up to date for these pages.

    `written` are pages among them that were created in the same transaction, with their
    child rows and terms still in memory: they are indexed as they are instead of being
    read back.
    """
    if not page_ids:
        return
    created = [page for page in written if page.pk in page_ids]
    others = set(page_ids) - {page.pk for page in created}
    pages = list(PracticePage.get_indexed_objects().filter(pk__in=others)) if others else []
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)
    _create_references(created)
    pages += created
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(PracticePage, pages)
        except Exception:
            # As modelsearch does for single objects: an external engine being down must not
            # lose the import; a database backend error must abort the transaction.
            logger.exception("Indexing imported entries in the %r search backend failed", name)
            if not backend.catch_indexing_errors:
                raise


def _create_references(pages):
    """`ReferenceIndex.create_or_update_for_object` for new pages, in one insert.

    A page created in this transaction has no references recorded yet, so there is nothing
    to read back and compare: its references are extracted as Wagtail extracts them and
    inserted together with those of the other pages.
    """
    if not pages:
        return
    content_type = ContentType.objects.get_for_model(PracticePage, for_concrete_model=False)
    base_content_type = ContentType.objects.get_for_model(Page, for_concrete_model=False)
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=page.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for page in pages
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(page)
            )
        ],
        ignore_conflicts=connection.features.supports_ignore_conflicts,
    )


# -- reading ------------------------------------------------------------------------------


def read_records(path):
    """Read a file: see `parse_records`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"Cannot read {path}: {error}") from error
    return parse_records(text)


def parse_records(text):
    """[(position, record or None, error or None)] from a JSON array or JSON Lines.

    Position is the 1-based index in a JSON array, or the line number in JSON Lines.
    """
    stripped = text.lstrip()
    if not stripped:
        raise ImportFileError("The file is empty.")
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"Not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from error
        return [
            (index, item, None) if isinstance(item, dict) else (index, None, "not a JSON object")
            for index, item in enumerate(data, start=1)
        ]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            records.append((number, None, f"not valid JSON (column {error.colno}): {error.msg}"))
            continue
        if isinstance(item, dict):
            records.append((number, item, None))
        else:
            records.append((number, None, "not a JSON object"))
    return records


# -- the importer -------------------------------------------------------------------------


def _vocabulary_slugs_from_file():
    from .vocabularies import VOCABULARIES_FILE

    data = json.loads(VOCABULARIES_FILE.read_text(encoding="utf-8"))
    return {key: {item["slug"] for item in data[key]} for key in VOCABULARIES}


def record_slug(record):
    return (record.get("slug") or slugify(record["title"], allow_unicode=True))[:SLUG_MAX_LENGTH]


@dataclass
class _RecordWrites:
    """What the importer writes at the end of a record, or forgets if it is rolled back."""

    pages: list = field(default_factory=list)
    log_entries: list = field(default_factory=list)
    #: Many-to-many model -> links of the record's pages to their terms.
    links: dict = field(default_factory=dict)
    new_tags: list = field(default_factory=list)
    #: Index page -> number of pages added below it.
    children: Counter = field(default_factory=Counter)


def _amount(number):
    """A funding amount as the database gives it back (two decimal places), so that the
    revision of a new page, serialised from memory, holds what the page holds."""
    places = PracticeFunding._meta.get_field("amount").decimal_places
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-places))


def _copy_row(row, parental_key):
    """A new, unsaved copy of a child row (funding, source...), without its page."""
    copy = type(row)()
    for model_field in type(row)._meta.concrete_fields:
        if model_field.primary_key or model_field == parental_key:
            continue
        if model_field.is_relation and model_field.is_cached(row):
            setattr(copy, model_field.name, getattr(row, model_field.name))
        else:
            setattr(copy, model_field.attname, getattr(row, model_field.attname))
    return copy


class Importer:
    """Validate and write records; caches vocabulary terms and indexes for speed."""

    def __init__(self, publish=False, dry_run=False, skip_existing=False, user=None):
        self.publish = publish
        self.dry_run = dry_run
        self.skip_existing = skip_existing
        self.user = user
        self.terms = {
            key: {term.slug: term for term in model.objects.all()}
            for key, model in VOCABULARIES.items()
        }
        if dry_run and not all(self.terms.values()):
            # Nothing is loaded yet and a dry run must not load it: use the data file.
            from_file = _vocabulary_slugs_from_file()
            for key, slugs in from_file.items():
                if not self.terms[key]:
                    self.terms[key] = dict.fromkeys(slugs)
        self.indexes = {
            index.locale.language_code: index
            for index in PracticeIndexPage.objects.select_related("locale")
        }
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.result = ImportResult(dry_run=dry_run)
        #: Pages written in the current batch (pks), and those created (objects).
        self.touched, self.written = set(), []
        #: Tag name -> tag, and index page pk -> path of its last child, read as needed.
        self.tag_cache = {}
        self.last_child_paths = {}
        #: (language, slug) -> the entry there or None, for the records of a batch.
        self.known_pages = None
        #: What the records written in a batch leave to write at its end.
        self.batch_log_entries, self.batch_children, self.batch_links = [], Counter(), {}
        self._record = None

    # -- validation ----------------------------------------------------------------------

    def validate(self, record, existing=None):
        """Every reason the record cannot be imported (empty list: valid).

        `existing` is the entry the record identifies (see `find_existing`), if any.
        """
        return schema_errors(record) or self._semantic_errors(record, existing)

    def _semantic_errors(self, record, existing):
        """The reasons a structurally valid record cannot be imported."""
        errors = []
        language = record["language"]
        for key in VOCABULARY_FIELDS:
            unknown = [slug for slug in record.get(key, []) if slug not in self.terms[key]]
            if unknown:
                errors.append(f"{key}: unknown value(s) {', '.join(map(repr, unknown))}")
        questions = set(record.get("guiding_question", [])) | set(record.get("answers", {}))
        unknown_questions = sorted(
            set(record.get("answers", {})) - set(self.terms["guiding_question"])
        )
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
            if mechanism and mechanism not in self.terms["funding_mechanism"]:
                errors.append(f"funding.{position}.mechanism: unknown value {mechanism!r}")
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

    # -- identity ------------------------------------------------------------------------

    def find_existing(self, record):
        index = self.indexes.get(record["language"])
        if index is None:
            return None
        slug = record_slug(record)
        if self.known_pages is not None and (record["language"], slug) in self.known_pages:
            return self.known_pages[record["language"], slug]
        return PracticePage.objects.child_of(index).filter(slug=slug).first()

    def _read_known_pages(self, records):
        """Read the entries these (structurally valid) records identify: a query per language.

        `find_existing` answers from them; the pages the import creates are added as it goes.
        An update may change slugs, so after one `find_existing` asks the database again.
        """
        slugs = {}
        for record in records:
            if record_slug(record) and record["language"] in self.indexes:
                slugs.setdefault(record["language"], set()).add(record_slug(record))
        self.known_pages = {}
        for language, wanted in slugs.items():
            self.known_pages.update(dict.fromkeys(((language, slug) for slug in wanted), None))
            found = PracticePage.objects.child_of(self.indexes[language]).filter(slug__in=wanted)
            for page in found.order_by("-pk"):  # as .first() of find_existing's query
                self.known_pages[language, page.slug] = page

    # -- running -------------------------------------------------------------------------

    def run(self, records, progress=None):
        """Import [(position, record, read_error)] and return an ImportResult."""
        batch = []
        for item in records:
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                self._run_batch(batch, progress)
                batch = []
        if batch:
            self._run_batch(batch, progress)
        return self.result

    def _run_batch(self, batch, progress):
        checked = [
            (position, record, read_error or None, None if read_error else schema_errors(record))
            for position, record, read_error in batch
        ]
        self._read_known_pages(record for _, record, _, errors in checked if errors == [])
        if self.dry_run:
            for item in checked:
                self._run_one(*item)
                if progress:
                    progress.update(1)
            return
        self.touched, self.written = set(), []
        with transaction.atomic(), cached_guiding_question_choices():
            with deferred_indexing():
                for item in checked:
                    self._run_one(*item)
                    if progress:
                        progress.update(1)
                self._finish_batch()
            index_pages(self.touched, self.written)

    def _run_one(self, position, record, read_error, structure_errors=None):
        if read_error:
            self.result.invalid.append(InvalidRecord(position, [read_error]))
            return
        title = record.get("title") if isinstance(record.get("title"), str) else ""
        if structure_errors is None:
            structure_errors = schema_errors(record)
        existing = None
        if not structure_errors and record_slug(record):
            existing = self.find_existing(record)
        errors = structure_errors or self._semantic_errors(record, existing)
        if errors:
            self.result.invalid.append(InvalidRecord(position, errors, title))
            return
        if existing is not None and self.skip_existing:
            self.result.skipped.append(existing.pk)
            return
        if self.dry_run:
            target = self.result.updated if existing is not None else self.result.created
            target.append(record_slug(record))
            return
        if existing is not None:
            self._write_links()  # outside the record's savepoint: they are other records'
        try:
            with transaction.atomic():
                page, created = self.write(record, existing)
        except Exception as error:
            self._forget_record()
            if not isinstance(error, ValidationError | ValueError):
                raise
            messages = getattr(error, "messages", None) or [str(error)]
            self.result.invalid.append(InvalidRecord(position, list(messages), title))
            return
        (self.result.created if created else self.result.updated).append(page.pk)

    # -- writing -------------------------------------------------------------------------

    def _text_values(self, data):
        values = {}
        if "title" in data:
            values["title"] = data["title"].strip()
        if "summary" in data:
            values["summary"] = data["summary"].strip()
        for name in ("organisation", "partners"):
            if name in data:
                values[name] = data[name].strip()
        for name in RICH_TEXT_FIELDS:
            if name in data:
                values[name] = editor_rich_text(sanitise_html(data[name]))
        if "answers" in data:
            answers = sorted(
                data["answers"].items(), key=lambda item: self._question_number(item[0])
            )
            values["answers"] = [
                {
                    "type": "answer",
                    "value": {"question": slug, "answer": editor_rich_text(sanitise_html(text))},
                }
                for slug, text in answers
            ]
        if "body" in data:
            body = editor_rich_text(sanitise_html(data["body"]))
            values["body"] = [{"type": "paragraph", "value": body}] if body else []
        return values

    def _question_number(self, slug):
        term = self.terms["guiding_question"].get(slug)
        return getattr(term, "number", 0) or 0

    def write(self, record, existing=None):
        """Create or update the entry of a valid record and its translations.

        Within a batch of `run`: the new pages' links to terms, log entries and the indexes'
        child counts are written at the end of the batch (`_finish_batch`).
        """
        self._record = _RecordWrites()
        if existing is None:
            page = PracticePage(
                slug=record_slug(record), live=False, locale=self.locales[record["language"]]
            )
            self._set_fields(page, record)
            self._include_answered_questions(page)
            if self.publish:
                self._mark_published(page)
            self._insert_page(page, self.indexes[record["language"]])
            self._revision_of_new_page(page)
        else:
            page = existing.specific.get_latest_revision_as_object()
            self._set_fields(page, record)
            self._revision_of_existing_page(page)
        self._store_contact(page, record)
        for code, translation in record.get("translations", {}).items():
            self._write_translation(page, code, translation, new_entry=existing is None)
        self._finish_record(updated=existing is not None)
        return page, existing is None

    def _set_fields(self, page, record):
        for name, value in self._text_values(record).items():
            setattr(page, name, value)
        page.provenance = record.get("provenance", "")
        page.year = record.get("year")
        page.year_end = record.get("year_end")
        page.countries = record.get("country", [])
        for key, field_name in VOCABULARY_FIELDS.items():
            setattr(page, field_name, [self.terms[key][slug] for slug in record.get(key, [])])
        page.funding = [
            PracticeFunding(
                sort_order=position,
                source=row["source"],
                recipient=row.get("recipient", ""),
                amount=_amount(row["amount"]) if "amount" in row else None,
                currency=row.get("currency", ""),
                year_start=row.get("year_start"),
                year_end=row.get("year_end"),
                mechanism=self.terms["funding_mechanism"].get(row.get("mechanism")),
            )
            for position, row in enumerate(record.get("funding", []))
        ]
        page.sources = [
            PracticeSource(sort_order=position, title=source["title"], url=source["url"])
            for position, source in enumerate(record.get("sources", []))
        ]
        self._set_tags(page, record.get("tags", []))

    def _set_tags(self, page, names):
        """`page.tags.set(names)`, with the tags read once per run rather than per entry.

        Missing tags are created as taggit creates them (looked up by name, then
        `get_or_create`); the page's tagged items are those taggit would make.
        """
        if getattr(settings, "TAGGIT_CASE_INSENSITIVE", False):
            page.tags.set(names, clear=True)  # taggit's own matching
            return
        tags = {tag.pk: tag for tag in self._tags(names)}.values()
        page.tagged_items = [PracticePageTag(tag=tag) for tag in tags]

    def _tags(self, names):
        missing = [name for name in names if name not in self.tag_cache]
        if missing:
            self.tag_cache.update((tag.name, tag) for tag in Tag.objects.filter(name__in=missing))
            for name in missing:
                if name not in self.tag_cache:
                    tag, created = Tag.objects.get_or_create(name=name, defaults={"name": name})
                    self.tag_cache[name] = tag
                    if created:
                        self._record.new_tags.append(name)
        return [self.tag_cache[name] for name in names]

    def _include_answered_questions(self, page):
        """Classify a new original under the questions it answers, as PracticePage.save does."""
        current = list(page.guiding_questions.all())
        answered = {child.value["question"] for child in page.answers}
        missing = [
            term
            for slug, term in self.terms["guiding_question"].items()
            if slug in answered and term not in current
        ]
        if missing:
            page.guiding_questions = current + missing

    def _mark_published(self, page):
        now = timezone.now()
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.first_published_at or now
        page.last_published_at = now

    def _insert_page(self, page, parent):
        """Save a new page, with its child rows and terms, as the last child of `parent`.

        This is what `parent.add_child(instance=page)` does (with `Page.save` and
        `PracticePage.save`), in far fewer queries:

        * the tree position follows the last child path, which the importer remembers per
          index instead of reading it (and the parent) again for every page;
        * the page is validated as `Page.save` validates it (everything for a live page, the
          title and slug of a draft), without re-reading from the database what the importer
          knows: that its locale and content type exist, and that its path and translation
          key are new (both are also unique in the database);
        * the child rows (funding, sources, attachments, tags) are inserted in bulk, where
          modelcluster first reads every relation back (empty for a new page), and the links
          to terms once per batch (`_write_links`); both stay in memory, so that the revision
          is serialised and the page indexed without reading them back;
        * the language-neutral classification is already the original's: a new original
          includes its answered questions (`_include_answered_questions`) and a new
          translation is a copy of the original (`_new_translation`); no other version can
          exist yet to propagate it to.
        """
        page.depth = parent.depth + 1
        page.path = self._next_child_path(parent)
        page.numchild = 0
        page._cached_parent_obj = parent  # treebeard's cache: get_parent() without a query
        page.set_url_path(parent)
        page.draft_title = page.title
        if page.live:
            # Country codes were checked by `validate` (and are the original's in a
            # translation); django-countries' check of a code reads every country name.
            known_valid = ["locale", "content_type", "owner", "countries"]
            page.full_clean(exclude=known_valid, validate_unique=False)
        else:
            page.minimal_clean()
        rows = {
            relation: list(getattr(page, relation.get_accessor_name()).all())
            for relation in get_all_child_relations(page)
        }
        terms = {
            relation: list(getattr(page, relation.name).all())
            for relation in get_all_child_m2m_relations(page)
        }
        # The row itself, with the post_save signal, but without ClusterableModel.save (the
        # relations are written below) and the housekeeping of Page.save done above.
        models.Model.save(page)
        for relation, children in rows.items():
            for child in children:
                setattr(child, relation.field.name, page)
                if isinstance(child, TranslatableMixin):  # sources: in the page's language
                    child.locale_id = page.locale_id
            if children:
                relation.related_model.objects.bulk_create(children)
            setattr(page, relation.get_accessor_name(), children)  # kept in memory
        for relation, items in terms.items():
            through = relation.remote_field.through
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            self._record.links.setdefault(through, []).extend(
                through(**{source: page, target: item})
                for item in {item.pk: item for item in items}.values()
            )
            setattr(page, relation.name, items)  # kept in memory
        page_logger.info(
            'Page created: "%s" id=%d content_type=%s.%s path=%s',
            page.title,
            page.id,
            page._meta.app_label,
            type(page).__name__,
            page.url_path,
        )
        self._log(page, "wagtail.create", content_changed=True)
        self._record.pages.append(page)
        self._record.children[parent] += 1
        # In memory at once (in the database at the end of the batch): treebeard's
        # get_children(), used by the slug check, finds nothing below a childless parent.
        parent.numchild += 1

    def _next_child_path(self, parent):
        last = self.last_child_paths.get(parent.pk)
        if last is None:
            last = last_child_path(parent)
        step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        if len(Page._int2str(step)) > Page.steplen:
            raise PathOverflow(f"No room for another page below {parent.url_path}")
        path = Page._get_path(parent.path, parent.depth + 1, step)
        self.last_child_paths[parent.pk] = path
        return path

    def _revision_of_new_page(self, page):
        """The first revision of a page just saved with its final content.

        With `publish`, the page was saved live (`_mark_published`) and this revision becomes
        its live revision, with the signals and log entries of Wagtail's publishing. This is
        what `revision.publish()` does for a new page, without loading the revision back and
        saving the page a second time (which halves the import time).
        """
        self.touched.add(page.pk)
        # As page.save_revision() does for a page without comments, with a single update.
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.draft_title = page.title
        update_fields = ["latest_revision", "latest_revision_created_at", "draft_title"]
        if self.publish:
            page.live_revision = revision
            update_fields.append("live_revision")
        else:
            page.has_unpublished_changes = True
            update_fields.append("has_unpublished_changes")
        Page.objects.filter(pk=page.pk).update(
            **{name: getattr(page, name) for name in update_fields}
        )
        if not self.publish:
            self._log(page, "wagtail.edit", revision=revision)
        else:
            page_published.send(sender=PracticePage, instance=page, revision=revision)
            published.send(sender=PracticePage, instance=page, revision=revision)
            self._log(page, "wagtail.publish", revision=revision, content_changed=True)
        return revision

    def _revision_of_existing_page(self, page):
        """A new revision of an existing page (validated), published with `publish`."""
        self.touched.add(page.pk)
        revision = page.save_revision(user=self.user, log_action=True)
        if self.publish:
            revision.publish(user=self.user)
        return revision

    def _log(self, page, action, **kwargs):
        """Log an action as `wagtail.log_actions.log(page, action, ...)` does.

        The entries of a batch are inserted together at its end (`_finish_batch`), without
        the validation of each entry on its own, which reads back the page, content type and
        revision it names.
        """
        context = get_active_log_context()
        self._record.log_entries.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=PageLogEntry.objects.get_instance_title(page),
                action=action,
                timestamp=timezone.now(),
                data=kwargs.pop("data", None) or {},
                user=self.user or context.user,
                uuid=context.uuid,
                page=page,
                **kwargs,
            )
        )

    def _finish_record(self, updated):
        """A record is written: keep what is left to write at the end of the batch."""
        record = self._record
        self.batch_log_entries.extend(record.log_entries)
        self.batch_children.update(record.children)
        for through, links in record.links.items():
            self.batch_links.setdefault(through, []).extend(links)
        self.written.extend(record.pages)
        if updated:
            self.known_pages = None  # slugs may have changed
        elif self.known_pages is not None:
            for page in record.pages:
                self.known_pages[page.locale.language_code, page.slug] = page
        self._record = None

    def _forget_record(self):
        """After a record was rolled back: forget what the importer remembered of it."""
        if self._record is not None:
            for name in self._record.new_tags:
                self.tag_cache.pop(name, None)
            for parent, count in self._record.children.items():
                parent.numchild -= count
        self.last_child_paths.clear()
        self._record = None

    def _write_links(self):
        """Insert the links to terms of the pages created so far in the batch.

        At the end of the batch, before the search documents are built from the database,
        and before a record updates an entry (saving an original reads its translations'
        terms back to propagate its classification).
        """
        for through, links in self.batch_links.items():
            through.objects.bulk_create(links)
        self.batch_links = {}

    def _finish_batch(self):
        """Write what the batch's records leave to its end: links to terms, log entries and
        the child counts of the indexes."""
        self._write_links()
        PageLogEntry.objects.bulk_create(self.batch_log_entries)
        for parent, count in self.batch_children.items():
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
        self.batch_log_entries, self.batch_children = [], Counter()

    def _write_translation(self, original, code, data, new_entry=False):
        locale = self.locales[code]
        existing = None if new_entry else original.get_translation_or_none(locale)
        if existing is None:
            page = self._new_translation(original, locale, new_entry)
            self.result.translations_created += 1
        else:
            page = existing.specific.get_latest_revision_as_object()
            self.result.translations_updated += 1
        # Text the translation does not give is left empty rather than shown in the
        # original's language; names (organisation, partners) are kept from the original.
        values = {name: [] for name in ("answers", "body")}
        values.update(dict.fromkeys(RICH_TEXT_FIELDS, ""))
        values.update(self._text_values(data))
        for name, value in values.items():
            setattr(page, name, value)
        # Given by the file's authors, not by a machine translator.
        page.translation_status = PracticePage.TranslationStatus.REVIEWED
        wanted = record_slug(data)
        page.slug = self._free_slug(page, wanted or original.slug)
        if existing is None:
            if self.publish:
                self._mark_published(page)
            self._insert_page(page, self.indexes[code])
            self._revision_of_new_page(page)
        else:
            self._revision_of_existing_page(page)

    def _new_translation(self, original, locale, new_entry):
        """An unsaved translation of `original` into `locale`, a copy as Wagtail makes it.

        `copy_for_translation` copies every field but the tree position and revisions, the
        child rows as new rows and the terms, saves the copy as a draft with a revision, and
        the import then saved it again with its text. Here the copy is made in memory (with
        the same translation key, which is what makes it a translation for Wagtail and
        wagtail-localize) and saved once, by `_insert_page`.
        """
        excluded = {
            *PracticePage.default_exclude_fields_in_copy,
            *PracticePage.exclude_fields_in_copy,
        }
        page = PracticePage()
        for model_field in PracticePage._meta.concrete_fields:
            if not model_field.primary_key and model_field.name not in excluded:
                setattr(page, model_field.attname, getattr(original, model_field.attname))
        for relation in get_all_child_relations(original):
            name = relation.get_accessor_name()
            if name not in excluded:
                rows = getattr(original, name).all()
                setattr(page, name, [_copy_row(row, relation.field) for row in rows])
        for relation in get_all_child_m2m_relations(original):
            if relation.name not in excluded:
                setattr(page, relation.name, list(getattr(original, relation.name).all()))
        # What copy_for_translation changes in the copy.
        page.locale = locale
        page.live = False
        page.has_unpublished_changes = True
        page.live_revision = None
        page.first_published_at = page.last_published_at = None
        page.alias_of = None
        if self.user:
            page.owner = self.user
        if not new_entry:
            # As PracticePage.save: the classification is that of the saved original, which
            # is not the draft being imported when the import does not publish.
            page.copy_classification_from(page.get_original())
        return page

    def _free_slug(self, page, wanted):
        """`wanted`, or `wanted-2`... if a sibling that is not this page already uses it."""
        parent = self.indexes[page.locale.language_code]
        taken = set(
            PracticePage.objects.child_of(parent)
            .exclude(pk=page.pk)
            .filter(slug__startswith=wanted)
            .values_list("slug", flat=True)
        )
        slug, number = wanted, 2
        while slug in taken:
            slug = f"{wanted}-{number}"
            number += 1
        return slug

    def _store_contact(self, page, record):
        contact = record.get("contact")
        if not contact:
            return
        values = {
            "language": record["language"],
            "status": Submission.Status.IMPORTED,
            "contact_name": contact.get("name", ""),
            "contact_email": contact.get("email", ""),
            "contact_organisation": contact.get("organisation", ""),
            "consent_publication": contact.get("consent_publication", False),
            "consent_contact": contact.get("consent_contact", False),
        }
        Submission.objects.update_or_create(
            page=page, channel=Submission.Channel.IMPORT, defaults=values
        )


def import_records(records, *, publish=False, dry_run=False, skip_existing=False, progress=None):
    """Import already-read records ([(position, record, read_error)])."""
    importer = Importer(publish=publish, dry_run=dry_run, skip_existing=skip_existing)
    return importer.run(records, progress=progress)


def import_file(path, **options):
    """Read and import a file; see the module documentation for the rules."""
    return import_records(read_records(Path(path)), **options)

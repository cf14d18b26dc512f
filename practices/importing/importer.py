"""Running an import: identity of the records' entries, batches, savepoints, and the
values written (see the package documentation for the rules).

Pages are written by `practices.importing.writer.PageWriter`.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from taggit.models import Tag
from wagtail.models import Locale

from ..blocks import cached_guiding_question_choices
from ..funding import VictimAssistanceShare
from ..models import (
    VOCABULARIES,
    VOCABULARY_FIELDS,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticePageTag,
    PracticeSource,
    Submission,
)
from ..models.organisations import OrganisationIndex
from ..results import BENEFICIARY_GROUPS, Provenance
from ..sanitising import stored_rich_text
from ..slugs import free_slug
from .reader import read_records
from .schema import RICH_TEXT_FIELDS, record_slug, schema_errors
from .validation import provenance_of, semantic_errors, validate
from .writer import PageWriter, PendingWrites, deferred_indexing, index_pages, mark_published

BATCH_SIZE = 100


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
    #: Organisations the funding rows named that nobody knew: added unconfirmed, for an
    #: editor to confirm or merge.
    organisations_proposed: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.invalid


def _vocabulary_slugs_from_file():
    from ..vocabularies import VOCABULARIES_FILE

    data = json.loads(VOCABULARIES_FILE.read_text(encoding="utf-8"))
    return {key: {item["slug"] for item in data[key]} for key in VOCABULARIES}


@dataclass
class _RecordWrites(PendingWrites):
    """What the importer writes at the end of a record, or forgets if it is rolled back."""

    new_tags: list = field(default_factory=list)


def _amount(number):
    """A funding amount as the database gives it back (two decimal places), so that the
    revision of a new page, serialised from memory, holds what the page holds."""
    places = PracticeFunding._meta.get_field("amount").decimal_places
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-places))


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
        self.writer = PageWriter(user=user)
        #: Pages written in the current batch (pks).
        self.touched = set()
        #: What the records written in a batch leave to write at its end, with the pages
        #: they created.
        self.batch = PendingWrites()
        #: Tag name -> tag, read as needed.
        self.tag_cache = {}
        #: (language, slug) -> the entry there or None, for the records of a batch.
        self.known_pages = None
        self._record = None
        #: The organisations by name, read when the first funding row needs them.
        self.organisations = None

    # -- validation ----------------------------------------------------------------------

    def validate(self, record, existing=None):
        """Every reason the record cannot be imported (empty list: valid).

        `existing` is the entry the record identifies (see `find_existing`), if any.
        """
        return validate(record, existing, self.terms)

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
        self.touched, self.batch = set(), PendingWrites()
        with transaction.atomic(), cached_guiding_question_choices():
            with deferred_indexing():
                for item in checked:
                    self._run_one(*item)
                    if progress:
                        progress.update(1)
                self.writer.flush(self.batch)
            index_pages(self.touched, self.batch.pages)

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
        errors = structure_errors or semantic_errors(record, existing, self.terms)
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
            # Outside the record's savepoint: they are other records'. Saving an original
            # reads its translations' terms back to propagate its classification.
            self.writer.write_links(self.batch)
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
        if self.organisations is not None:
            self.organisations.keep_new()

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
                values[name] = stored_rich_text(data[name])
        if "answers" in data:
            answers = sorted(
                data["answers"].items(), key=lambda item: self._question_number(item[0])
            )
            values["answers"] = [
                {
                    "type": "answer",
                    "value": {"question": slug, "answer": stored_rich_text(text)},
                }
                for slug, text in answers
            ]
        if "body" in data:
            body = stored_rich_text(data["body"])
            values["body"] = [{"type": "paragraph", "value": body}] if body else []
        return values

    def _question_number(self, slug):
        term = self.terms["guiding_question"].get(slug)
        return getattr(term, "number", 0) or 0

    def write(self, record, existing=None):
        """Create or update the entry of a valid record and its translations.

        Within a batch of `run`: the new pages' links to terms, log entries and the indexes'
        child counts are written at the end of the batch (`PageWriter.flush`).
        """
        self._record = _RecordWrites()
        if existing is None:
            page = self.new_page(record)
            if self.publish:
                mark_published(page)
            self.writer.insert_page(page, self.indexes[record["language"]], self._record)
            self._new_revision(page)
        else:
            page = existing.specific.get_latest_revision_as_object()
            self._set_fields(page, record)
            self._new_revision(page, existing=True)
        self._store_contact(page, record)
        for code, translation in record.get("translations", {}).items():
            self._write_translation(page, code, translation, new_entry=existing is None)
        self._finish_record(updated=existing is not None)
        return page, existing is None

    def new_page(self, record):
        """The unsaved new entry of a valid record (a draft), classified under the questions
        it answers."""
        page = PracticePage(
            slug=record_slug(record), live=False, locale=self.locales[record["language"]]
        )
        self._set_fields(page, record)
        self._include_answered_questions(page)
        return page

    def _new_revision(self, page, existing=False):
        self.touched.add(page.pk)
        if existing:
            return self.writer.revision_of_existing_page(page, self.publish)
        return self.writer.revision_of_new_page(page, self.publish, self._record)

    def _set_fields(self, page, record):
        for name, value in self._text_values(record).items():
            setattr(page, name, value)
        page.provenance = provenance_of(record)
        page.year = record.get("year")
        page.year_end = record.get("year_end")
        page.countries = record.get("country", [])
        self._set_results(page, record)
        for key, field_name in VOCABULARY_FIELDS.items():
            setattr(page, field_name, [self.terms[key][slug] for slug in record.get(key, [])])
        # An illustrative entry's funders and recipients are invented: they stay the
        # row's text and never enter the authority list of organisations.
        organisation = (
            (lambda name: None)
            if page.provenance == Provenance.ILLUSTRATIVE
            else self._organisation
        )
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
                funder=organisation(row["source"]),
                recipient_organisation=organisation(row.get("recipient")),
                funding_type=row.get("type", ""),
                status=row.get("status", ""),
                va_share=row.get("va_share", VictimAssistanceShare.UNKNOWN),
                channel=row.get("channel", ""),
                amount_usd=_amount(row["amount_usd"]) if "amount_usd" in row else None,
                url=row.get("url", ""),
                iati_identifier=row.get("iati_identifier", ""),
                note=row.get("note", ""),
            )
            for position, row in enumerate(record.get("funding", []))
        ]
        page.sources = [
            PracticeSource(sort_order=position, title=source["title"], url=source["url"])
            for position, source in enumerate(record.get("sources", []))
        ]
        self._set_tags(page, record.get("tags", []))

    def _set_results(self, page, record):
        """Results, evidence and participation (CONTRACT.md, version 2). Like the rest of
        the record, what it does not give is emptied on an update."""
        page.status = record.get("status", "")
        page.evidence = record.get("evidence", "")
        page.participation = record.get("participation", "")
        page.rights_markers = list(record.get("rights_marker", []))
        page.partner_countries = record.get("partner_country", [])
        beneficiaries = record.get("beneficiaries", {})
        for group, _label in BENEFICIARY_GROUPS:
            setattr(page, f"beneficiaries_{group}", beneficiaries.get(group))
        page.beneficiaries_year = beneficiaries.get("year")
        page.beneficiaries_note = beneficiaries.get("note", "").strip()
        verified = record.get("last_verified")
        page.last_verified = datetime.date.fromisoformat(verified) if verified else None

    def _organisation(self, name):
        """The organisation a funder's or recipient's name gives (never a silent duplicate:
        an unknown name is proposed for an editor to confirm or merge)."""
        if not name or not name.strip():
            return None
        if self.organisations is None:
            self.organisations = OrganisationIndex()
        organisation, created = self.organisations.named(name)
        if created:
            self.result.organisations_proposed.append(organisation.display_name())
        return organisation

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
                    if created and self._record is not None:  # forgotten on a rollback
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

    def _finish_record(self, updated):
        """A record is written: keep what is left to write at the end of the batch."""
        record = self._record
        self.batch.add(record)
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
        self.writer.paths.forget()
        self._record = None
        if self.organisations is not None:  # rolled back with the record
            gone = {organisation.display_name() for organisation in self.organisations.new}
            proposed = self.result.organisations_proposed
            proposed[:] = [name for name in proposed if name not in gone]
            self.organisations.forget_new()

    def _write_translation(self, original, code, data, new_entry=False):
        locale = self.locales[code]
        existing = None if new_entry else original.get_translation_or_none(locale)
        if existing is None:
            page = self.writer.new_translation(original, locale, new_entry)
            self.result.translations_created += 1
        else:
            page = existing.specific.get_latest_revision_as_object()
            self.result.translations_updated += 1
        self.set_translation_text(page, data)
        wanted = record_slug(data)
        page.slug = free_slug(self.indexes[code], wanted or original.slug, page)
        if existing is None:
            if self.publish:
                mark_published(page)
            self.writer.insert_page(page, self.indexes[code], self._record)
            self._new_revision(page)
        else:
            self._new_revision(page, existing=True)

    def set_translation_text(self, page, data):
        """Give a translation (new or a revision of one) the text of a record's translation."""
        # Text the translation does not give is left empty rather than shown in the
        # original's language; names (organisation, partners) are kept from the original.
        values = {name: [] for name in ("answers", "body")}
        values.update(dict.fromkeys(RICH_TEXT_FIELDS, ""))
        values.update(self._text_values(data))
        values["beneficiaries_note"] = data.get("beneficiaries", {}).get("note", "").strip()
        for name, value in values.items():
            setattr(page, name, value)
        # Given by the file's authors, not by a machine translator.
        page.translation_status = PracticePage.TranslationStatus.REVIEWED

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

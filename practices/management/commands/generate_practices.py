"""Create synthetic published entries quickly, for benchmarks: generate_practices N.

Pages are inserted in bulk (treebeard paths from the page writer's `ChildPaths`, one INSERT
per table and batch) rather than one `add_child()` at a time, and their search documents are
built in bulk. A thread prepares the next batch (texts, rows, search documents, text
analysis) while the database writes the current one. Every entry is an illustrative sample
(provenance `illustrative`) with a slug that starts with "synthetic-", so they are easy to
find and remove. Unlike the demo's samples they name real countries, so that the country
facets carry a realistic load: they belong in a benchmark database, never in a site.
"""

import random
import time
import uuid
from contextlib import closing
from datetime import timedelta
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django_countries.fields import Country
from taggit.models import Tag
from tqdm import tqdm
from wagtail.models import Page

from home.site_structure import ensure_site_structure
from practices.bulk import in_background, prepare_rows, write_rows
from practices.funding import FundingStatus, FundingType, VictimAssistanceShare
from practices.importing.writer import ChildPaths, add_children
from practices.models import (
    VOCABULARIES,
    VOCABULARY_FIELDS,
    Organisation,
    PracticeFunding,
    PracticeIndexPage,
    PracticePage,
    PracticePageTag,
)
from practices.results import EvidenceLevel, ParticipationLevel, PracticeStatus, RightsMarker
from practices.search.analysis import LANGUAGES as SEARCH_LANGUAGES
from practices.search.documents import TEXT_FIELDS, EntryFacts, build_document
from practices.search.engines import database_engine
from practices.search.models import SearchDocument
from practices.search.versions import bump_version
from practices.search.words import WordCounts
from practices.vocabularies import load_vocabularies

#: Synthetic funders, and the currencies of their rows (GHS has no ECB rate).
FUNDERS = 40
CURRENCIES = ("USD", "EUR", "NOK", "XOF", "GHS")
#: How often each language is an entry's original language.
LANGUAGE_SHARES = {"en": 0.4, "es": 0.3, "fr": 0.2, "ar": 0.1}
LANGUAGES, LANGUAGE_WEIGHTS = tuple(LANGUAGE_SHARES), tuple(LANGUAGE_SHARES.values())
COUNTRIES = (
    "SN ML NE BF TD SD SS ET SO UG KE CD AO MZ ZW ZM TZ CO PE EC NI SV GT HN BO CL AR KH LA VN MM "
    "TH AF PK LK NP IQ SY YE LB JO PS EG LY TN DZ MA UA BA HR RS TJ AZ AM GE"
).split()
WORDS = {
    "en": "regional fund survivors rehabilitation training cooperation partnership disability "
    "community health services development network capacity support prosthetics psychosocial "
    "employment education inclusion national programme donor grant mechanism organisation "
    "ministry hospital centre sustainable funding accountability peer livelihood".split(),
    "es": "fondo regional sobrevivientes rehabilitación formación cooperación alianza "
    "discapacidad comunidad salud servicios desarrollo red capacidades apoyo prótesis "
    "psicosocial empleo educación inclusión nacional programa donante subvención mecanismo "
    "organización ministerio hospital centro sostenible financiación rendición".split(),
    "fr": "fonds régional survivants réadaptation formation coopération partenariat handicap "
    "communauté santé services développement réseau capacités soutien prothèses psychosocial "
    "emploi éducation inclusion national programme donateur subvention mécanisme organisation "
    "ministère hôpital centre durable financement redevabilité".split(),
    "ar": "صندوق إقليمي الناجين إعادة التأهيل تدريب التعاون شراكة الإعاقة المجتمع الصحة "
    "الخدمات التنمية شبكة القدرات دعم الأطراف الاصطناعية النفسي التوظيف التعليم الإدماج "
    "الوطني برنامج المانح منحة آلية المنظمة الوزارة المستشفى المركز المستدام التمويل".split(),
}
#: In every summary, so that a benchmark has a word matching (nearly) every entry.
COMMON_WORD = {"en": "assistance", "es": "asistencia", "fr": "assistance", "ar": "المساعدة"}
#: In about one entry in 200: the benchmark's rare word.
RARE_WORD = {"en": "orthotics", "es": "ortesis", "fr": "orthèses", "ar": "تقويم"}
TAGS = [f"theme-{n}" for n in range(60)]


class _Related(list):
    """A list that answers `.all()` like the related manager it stands for."""

    def all(self):
        return self


def _sentence(rng, language, count):
    return " ".join(rng.choices(WORDS[language], k=count))


class Command(BaseCommand):
    help = "Create N synthetic published entries (provenance 'illustrative') with translations."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--translated", type=float, default=0.3, help="Share of entries with translations."
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, count, seed, translated, batch_size, **options):
        started, cpu_started = time.perf_counter(), time.process_time()
        ensure_site_structure()
        load_vocabularies()
        rng = random.Random(seed)
        self.connection = connections[DEFAULT_DB_ALIAS]  # this thread's, for preparing rows
        self.engine = database_engine()
        self.content_type = ContentType.objects.get_for_model(PracticePage)
        self.indexes = {
            index.locale.language_code: index
            for index in PracticeIndexPage.objects.select_related("locale")
        }
        self.index_urls = {code: index.get_url() for code, index in self.indexes.items()}
        self.terms = {
            key: list(model.objects.values_list("pk", flat=True))
            for key, model in VOCABULARIES.items()
        }
        self.term_objects = {
            key: {term.pk: term for term in model.objects.all()}
            for key, model in VOCABULARIES.items()
        }
        self.tag_objects = {
            tag.pk: tag for tag in (Tag.objects.get_or_create(name=n, slug=n)[0] for n in TAGS)
        }
        self.tags = list(self.tag_objects)
        self.funders = self._funders()
        self.locale_ids = {code: index.locale_id for code, index in self.indexes.items()}
        self.run_id = uuid.uuid4().hex[:8]
        # New pages go after the last child of each index (read once, here: the batches are
        # prepared in a thread that does not use the database; this command is not meant to
        # run beside other writers of the practices indexes).
        self.paths = ChildPaths()
        for index in self.indexes.values():
            self.paths.start(index)
        batches = self._batches(rng, count, batch_size, translated)
        with (
            tqdm(total=count, unit="entries", disable=options["verbosity"] == 0) as bar,
            closing(in_background(batches)) as prepared_batches,
        ):
            for batch in prepared_batches:
                self._write(batch)
                bar.update(batch.entries)
        with connection.cursor() as cursor:  # fresh statistics for the query planner
            for table in self._written_tables():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        self.stdout.write(
            f"Created {count} synthetic entries in {elapsed:.1f} s "
            f"({count / elapsed:.0f} entries/s; {cpu:.1f} s of CPU in this process, "
            f"{count / cpu:.0f} entries per CPU second), search documents included."
        )

    @staticmethod
    def _written_tables():
        tables = [
            Page._meta.db_table,
            PracticePage._meta.db_table,
            PracticePageTag._meta.db_table,
            PracticeFunding._meta.db_table,
        ]
        for field_name in VOCABULARY_FIELDS.values():
            tables.append(
                PracticePage._meta.get_field(field_name).remote_field.through._meta.db_table
            )
        return [*tables, SearchDocument._meta.db_table]

    def _entry(self, rng, number, translated):
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        others = [code for code in LANGUAGES if code != language]
        translations = rng.sample(others, rng.randint(1, 2)) if rng.random() < translated else []
        classification = {}
        for key, ids in self.terms.items():
            low = 1 if key in ("cooperation_model", "guiding_question") else 0
            classification[key] = rng.sample(ids, min(len(ids), rng.randint(low, 2)))
        return {
            "number": number,
            "language": language,
            "translations": translations,
            "key": uuid.uuid4(),
            "classification": classification,
            "countries": rng.sample(COUNTRIES, rng.randint(1, 3)),
            "tags": rng.sample(self.tags, rng.randint(0, 3)),
            "year": rng.randint(1997, 2025),
            "rare": rng.random() < 0.005,
            "published": timezone.now() - timedelta(days=rng.randint(0, 3000)),
            "funding": self._funding(rng),
            **self._results(rng),
        }

    def _results(self, rng):
        """Status, end year, evidence, participation and rights markers: each given or not,
        like an entry's (the end year some years after the start)."""
        status = rng.choice(["", *PracticeStatus.values])
        return {
            "status": status,
            "years": rng.choice((None, 0, 2, 5)),
            "evidence": rng.choice(["", *EvidenceLevel.values]),
            "participation": rng.choice(["", *ParticipationLevel.values]),
            "rights_markers": [marker for marker in RightsMarker.values if rng.random() < 0.25],
        }

    def _funders(self):
        """The synthetic funders (created once, reused by later runs): organisations of
        the authority list with a country, so that funding rows give partner countries."""
        funders = []
        for number in range(FUNDERS):
            organisation, _created = Organisation.objects.get_or_create(
                slug=f"synthetic-funder-{number}",
                defaults={
                    "name_en": f"Synthetic funder {number}",
                    "acronym": f"SF{number}",
                    "country": COUNTRIES[number % len(COUNTRIES)],
                },
            )
            funders.append(organisation)
        return funders

    def _funding(self, rng):
        """Zero to two funding rows: most entries have one, in a currency that has a rate
        or not (GHS has no ECB rate)."""
        rows = []
        for _ in range(rng.choices((0, 1, 2), (0.3, 0.5, 0.2))[0]):
            rows.append(
                {
                    "key": uuid.uuid4(),
                    "funder": rng.randrange(FUNDERS),
                    "amount": rng.randint(1, 500) * 1000,
                    "currency": rng.choice(CURRENCIES),
                    "year_start": rng.randint(2000, 2023),
                    "funding_type": rng.choice(FundingType.values),
                    "status": rng.choice(FundingStatus.values),
                }
            )
        return rows

    def _version(self, rng, entry, language):
        words = WORDS[language]
        title = " ".join(rng.choices(words, k=rng.randint(3, 6))).capitalize()
        summary = f"{_sentence(rng, language, 18)} {COMMON_WORD[language]} "
        if entry["rare"]:
            summary += RARE_WORD[language] + " "
        summary += _sentence(rng, language, 8) + "."
        question = f"q{rng.randint(1, 6)}"
        answers = [
            {
                "type": "answer",
                "value": {
                    "question": question,
                    "answer": f"<p>{_sentence(rng, language, 40)}</p>",
                },
                "id": str(uuid.uuid4()),
            }
        ]
        body = [
            {
                "type": "paragraph",
                "value": f"<p>{_sentence(rng, language, 50)}</p>",
                "id": str(uuid.uuid4()),
            }
        ]
        slug = f"synthetic-{self.run_id}-{entry['number']}"
        return {
            "title": title,
            "slug": slug,
            "summary": summary,
            "answers": answers,
            "body": body,
            "organisation": f"{_sentence(rng, language, 2).title()} {entry['number'] % 400}",
        }

    def _batches(self, rng, count, batch_size, translated):
        """The batches to write, prepared without reading the database (see in_background):
        the new pages' ids are unknown, so rows refer to a page by its position in the
        batch."""
        created = 0
        while created < count:
            size = min(batch_size, count - created)
            yield self._prepare_batch(rng, created, size, translated)
            created += size

    def _prepare_batch(self, rng, offset, size, translated):
        entries = [self._entry(rng, offset + i, translated) for i in range(size)]
        versions = []  # (entry, language, texts)
        for entry in entries:
            versions.append(
                (entry, entry["language"], self._version(rng, entry, entry["language"]))
            )
            for language in entry["translations"]:
                versions.append((entry, language, self._version(rng, entry, language)))
        # Originals first, so that each entry's original has the lowest primary key.
        versions.sort(key=lambda item: item[1] != item[0]["language"])
        positions = range(len(versions))

        page_rows = []
        added = dict.fromkeys(self.indexes, 0)
        for entry, language, texts in versions:
            parent = self.indexes[language]
            added[language] += 1
            page_rows.append(
                {
                    "path": self.paths.next(parent),
                    "depth": parent.depth + 1,
                    "numchild": 0,
                    "translation_key": entry["key"],
                    "locale_id": parent.locale_id,
                    "live": True,
                    "has_unpublished_changes": False,
                    "first_published_at": entry["published"],
                    "last_published_at": entry["published"],
                    "title": texts["title"],
                    "draft_title": texts["title"],
                    "slug": texts["slug"],
                    "content_type_id": self.content_type.pk,
                    "url_path": f"{parent.url_path}{texts['slug']}/",
                }
            )
        practice_rows = [
            {
                "page_ptr_id": position,
                "summary": texts["summary"],
                # Raw stream data: serialised as it is, like a StreamField's own JSON.
                "answers": texts["answers"],
                "body": texts["body"],
                "organisation": texts["organisation"],
                "year": entry["year"],
                "year_end": _year_end(entry),
                "provenance": PracticePage.Provenance.ILLUSTRATIVE,
                "status": entry["status"],
                "evidence": entry["evidence"],
                "participation": entry["participation"],
                "rights_markers": entry["rights_markers"],
                "countries": entry["countries"],
            }
            for position, (entry, _language, texts) in zip(positions, versions, strict=True)
        ]
        links = []  # (prepared rows, the column holding page positions)
        for key, field_name in VOCABULARY_FIELDS.items():
            field = PracticePage._meta.get_field(field_name)
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            rows = [
                {source: position, target: term}
                for position, (entry, _l, _t) in zip(positions, versions, strict=True)
                for term in entry["classification"][key]
            ]
            links.append((self._prepare(field.remote_field.through, rows), source))
        rows = [
            {"content_object_id": position, "tag_id": tag}
            for position, (entry, _l, _t) in zip(positions, versions, strict=True)
            for tag in entry["tags"]
        ]
        links.append((self._prepare(PracticePageTag, rows), "content_object_id"))
        rows = [
            {
                "page_id": position,
                "translation_key": row["key"],
                "locale_id": self.locale_ids[language],
                "sort_order": order,
                "source": self.funders[row["funder"]].name_en,
                "recipient": "",
                "funder_id": self.funders[row["funder"]].pk,
                "amount": row["amount"],
                "currency": row["currency"],
                "year_start": row["year_start"],
                "funding_type": row["funding_type"],
                "status": row["status"],
                "va_share": VictimAssistanceShare.UNKNOWN,
                "channel": "",
                "iati_identifier": "",
                "url": "",
                "note": "",
            }
            for position, (entry, language, _t) in zip(positions, versions, strict=True)
            for order, row in enumerate(entry["funding"])
        ]
        links.append((self._prepare(PracticeFunding, rows), "page_id"))

        originals = {
            entry["key"]: (position, language)
            for position, (entry, language, _t) in zip(positions, versions, strict=True)
            if language == entry["language"]
        }
        built = [
            build_document(
                self._document_source(position, entry, language, texts),
                EntryFacts(
                    *originals[entry["key"]],
                    available_in=[
                        code
                        for code in SEARCH_LANGUAGES
                        if code == entry["language"] or code in entry["translations"]
                    ],
                    first_published_at=entry["published"],
                    fallback_pk=originals[entry["key"]][0],
                ),
                url=f"{self.index_urls[language]}{texts['slug']}/",
            )
            for position, (entry, language, texts) in zip(positions, versions, strict=True)
        ]
        return SimpleNamespace(
            entries=size,
            pages=self._prepare(Page, page_rows),
            added=added,
            practices=self._prepare(PracticePage, practice_rows, local_only=True),
            links=links,
            documents=self.engine.prepare_documents(built, connection=self.connection),
            built=built,
        )

    def _prepare(self, model, rows, local_only=False):
        return prepare_rows(model, rows, local_only=local_only, connection=self.connection)

    @transaction.atomic
    def _write(self, batch):
        page_ids = write_rows(batch.pages, returning=True)
        add_children({self.indexes[language]: added for language, added in batch.added.items()})
        write_rows(batch.practices.resolve("page_ptr_id", page_ids))
        for rows, column in batch.links:
            write_rows(rows.resolve(column, page_ids))
        doc_ids = self.engine.write_documents(batch.documents, page_ids)
        words = WordCounts()
        words.add(doc_ids, batch.built)
        bump_version()
        words.save()

    def _document_source(self, position, entry, language, texts):
        """What build_document reads from a page, from the data prepared (no query); its
        position in the batch stands for its id."""
        source = SimpleNamespace(
            pk=position,
            translation_key=entry["key"],
            locale=SimpleNamespace(language_code=language),
            title=texts["title"],
            summary=texts["summary"],
            answers=texts["answers"],
            body=texts["body"],
            organisation=texts["organisation"],
            partners="",
            year=entry["year"],
            year_end=_year_end(entry),
            provenance=PracticePage.Provenance.ILLUSTRATIVE,
            status=entry["status"],
            evidence=entry["evidence"],
            participation=entry["participation"],
            rights_markers=entry["rights_markers"],
            first_published_at=entry["published"],
            countries=[Country(code) for code in entry["countries"]],
            partner_countries=[],
            sources=_Related(()),
            tags=_Related(self.tag_objects[pk] for pk in entry["tags"]),
            funding=_Related(
                PracticeFunding(
                    source=self.funders[row["funder"]].name_en,
                    funder=self.funders[row["funder"]],
                    amount=row["amount"],
                    currency=row["currency"],
                    year_start=row["year_start"],
                    funding_type=row["funding_type"],
                    status=row["status"],
                )
                for row in entry["funding"]
            ),
            **dict.fromkeys(TEXT_FIELDS, ""),
        )
        for key, field_name in VOCABULARY_FIELDS.items():
            terms = (self.term_objects[key][pk] for pk in entry["classification"][key])
            setattr(source, field_name, _Related(terms))
        return source


def _year_end(entry):
    return entry["year"] + entry["years"] if entry["years"] is not None else None

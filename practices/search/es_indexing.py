"""Writing the Elasticsearch index from the pages: each published language version's
document, the writer that indexes an entry, removes a page and rebuilds the index, and the
updates that practices.search.signals schedules.

Updates run only when settings.ELASTICSEARCH_URL is set, once the database transaction
commits; if the cluster cannot be reached, publishing still succeeds: the failure is logged
and the page queued (PendingSearchUpdate) for `manage.py es_sync_pending` or the next
`manage.py es_reindex`.

The write side of the Elasticsearch engine: it reads page models. The engine itself
(practices.search.engines.elasticsearch: the client, the mapping's index, search) does not,
so the search service can use it without importing the pages.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Min
from django.utils import timezone, translation
from elasticsearch.helpers import bulk
from wagtail.models import Page, PageLogEntry
from wagtail.rich_text import get_text_for_indexing

from practices.facets import country_name
from practices.models import VOCABULARY_FIELDS, PracticePage

from .engines.elasticsearch import elasticsearch_engine, engine_errors
from .es_documents import KEYWORD_FACETS, LANGUAGES, PracticeDocument, build_index
from .models import PendingSearchUpdate

logger = logging.getLogger(__name__)


def _stream_text(stream):
    """Plain text of a StreamField value (rich text stripped of its markup)."""
    if not stream:
        return []
    texts = []
    for child in stream:
        value = child.value
        if hasattr(value, "get") and "answer" in value:
            value = value["answer"]
        source = getattr(value, "source", value)
        if isinstance(source, str):
            text = get_text_for_indexing(source)
            if text:
                texts.append(text)
    return texts


def _rich_text(html):
    return get_text_for_indexing(html) if html else ""


def classification_labels(page, language):
    """The labels of the entry's classification in `language` (searchable text)."""
    labels = []
    for field in VOCABULARY_FIELDS.values():
        for term in getattr(page, field).all():
            for name in (f"label_{language}", f"short_label_{language}"):
                label = getattr(term, name, "")
                if label and label not in labels:
                    labels.append(label)
    with translation.override(language):
        labels.extend(country_name(country.code) for country in page.countries)
    labels.extend(tag.name for tag in page.tags.all())
    return labels


class EntryVersions:
    """What every document of an entry needs to know about the entry's other versions."""

    def __init__(self, public_versions, first_published_at=None):
        """`public_versions`: (page id, language code) of every public version;
        `first_published_at`: the entry's first publication, the earliest of all its
        versions' (published now or not: Wagtail keeps the date of an unpublished page)."""
        versions = sorted(public_versions)
        self.languages = sorted({code for _pk, code in versions})
        self.fallback_id = versions[0][0] if versions else None
        self.first_published_at = first_published_at

    @property
    def available_in(self):
        """The `available_in` facet: the languages of the public versions, in facet order."""
        return [code for code in LANGUAGES if code in self.languages]

    @staticmethod
    def first_publications(translation_keys=None):
        """translation_key -> the entry's first publication (every entry, or these)."""
        pages = PracticePage.objects.order_by()
        if translation_keys is not None:
            pages = pages.filter(translation_key__in=translation_keys)
        return dict(
            pages.values("translation_key")
            .annotate(first=Min("first_published_at"))
            .values_list("translation_key", "first")
        )

    @classmethod
    def of(cls, translation_key):
        return cls(
            PracticePage.objects.live()
            .public()
            .filter(translation_key=translation_key)
            .values_list("pk", "locale__language_code"),
            cls.first_publications([translation_key]).get(translation_key),
        )


def is_public(page):
    """Only live pages without view restrictions are searchable."""
    return PracticePage.objects.live().public().filter(pk=page.pk).exists()


def prepare(page, versions=None):
    """The document of one language version of an entry (a PracticePage).

    `versions` (EntryVersions) describes the entry's public versions; read when omitted.
    """
    language = page.locale.language_code
    classification = page.classification()
    if versions is None:
        versions = EntryVersions.of(page.translation_key)
    text_fields = {
        "title": page.title,
        "summary": page.summary,
        "answers": _stream_text(page.answers),
        "details": [
            *_stream_text(page.body),
            *(_rich_text(getattr(page, name)) for name in PracticePage.TEXT_SECTIONS),
            page.partners,
        ],
        "organisation": page.organisation,
        "labels": classification_labels(page, language),
    }
    text_fields["details"] = [text for text in text_fields["details"] if text]
    document = PracticeDocument(
        meta={"id": page.pk},
        page_id=page.pk,
        translation_key=str(page.translation_key),
        lang=language,
        is_original=page.is_original,
        live=page.live,
        available_languages=list(versions.languages),
        is_fallback=versions.fallback_id == page.pk,
        url=page.url or "",
        title=page.title,
        summary=page.summary,
        organisation=page.organisation,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
        entry_published_at=versions.first_published_at or page.first_published_at,
        start_year=page.year,
        text={language: text_fields},
    )
    classification["available_in"] = versions.available_in
    for key in KEYWORD_FACETS:
        setattr(document, key, [str(value) for value in classification.get(key, [])])
    return document


class IndexWriter:
    """Keeps an ElasticsearchEngine's index in step with the pages."""

    def __init__(self, engine):
        self.engine = engine

    def _group_actions(self, translation_key, exclude=()):
        """Index actions for every public version of an entry; deletions for the others."""
        versions = PracticePage.objects.filter(translation_key=translation_key).exclude(
            pk__in=exclude
        )
        public = versions.live().public()
        entry = EntryVersions(
            public.values_list("pk", "locale__language_code"),
            EntryVersions.first_publications([translation_key]).get(translation_key),
        )
        public_ids = {pk for pk, _code in public.values_list("pk", "locale__language_code")}
        for version in versions.select_related("locale"):
            if version.pk in public_ids:
                document = prepare(version, entry)
                yield {**document.to_dict(include_meta=True), "_index": self.engine.alias}
            else:
                yield {"_op_type": "delete", "_index": self.engine.alias, "_id": version.pk}

    def index_page(self, page, refresh=False):
        """(Re)index every version of the page's entry: the published ones are indexed, the
        others removed; the languages available to the fallback change for all of them."""
        self.engine.ensure_index()
        self.engine.bulk(self._group_actions(page.translation_key), refresh=refresh)

    def delete_page(self, page_id, translation_key=None, refresh=False):
        """Remove a deleted page's document; its remaining versions are reindexed."""
        self.engine.ensure_index()
        actions = [{"_op_type": "delete", "_index": self.engine.alias, "_id": page_id}]
        if translation_key:
            actions += self._group_actions(translation_key, exclude=[page_id])
        self.engine.bulk(actions, refresh=refresh)

    def rebuild(self, progress=None, chunk_size=200):
        """Fill a new index with every public version, switch the alias to it atomically
        and delete the indices it replaces. `progress(done, total)` is called as it goes."""
        started = timezone.now()
        client = self.engine.client.options(request_timeout=max(self.engine.timeout, 120))
        name = self.engine.new_index_name()
        build_index(name).create(using=client)
        pages = (
            PracticePage.objects.live()
            .public()
            .select_related("locale")
            .prefetch_related(
                "tags",
                "cooperation_models",
                "guiding_questions",
                "va_components",
                "regions",
                "actor_types",
                "funding_mechanisms",
                "sdgs",
                "crpd_articles",
            )
            .order_by("pk")
        )
        total = pages.count()
        public_versions = {}
        for pk, key, code in (
            PracticePage.objects.live()
            .public()
            .values_list("pk", "translation_key", "locale__language_code")
        ):
            public_versions.setdefault(key, []).append((pk, code))
        first_publications = EntryVersions.first_publications()
        entries = {
            key: EntryVersions(versions, first_publications.get(key))
            for key, versions in public_versions.items()
        }

        def actions():
            for done, page in enumerate(pages.iterator(chunk_size=chunk_size), start=1):
                entry = entries.get(page.translation_key) or EntryVersions.of(page.translation_key)
                document = prepare(page, entry)
                yield {**document.to_dict(include_meta=True), "_index": name}
                if progress:
                    progress(done, total)

        try:
            bulk(client, actions(), chunk_size=chunk_size)
            client.indices.refresh(index=name)
            alias = self.engine.alias
            exists = self.engine.alias_exists()
            old = list(client.indices.get_alias(name=alias).body) if exists else []
            switch = [{"remove": {"index": index, "alias": self.engine.alias}} for index in old]
            switch.append({"add": {"index": name, "alias": self.engine.alias}})
            client.indices.update_aliases(actions=switch)
        except Exception:
            try:
                client.indices.delete(index=name, ignore_unavailable=True)
            except engine_errors:
                logger.warning("Could not delete the incomplete index %s.", name)
            raise
        for index in old:
            client.indices.delete(index=index, ignore_unavailable=True)
        self.engine.index_ready()
        self.catch_up(since=started)
        return {"index": name, "count": total, "replaced": old}

    def catch_up(self, since):
        """Reindex the entries published, unpublished, moved or deleted since `since`: the
        signals of those actions wrote to the index the alias pointed to then."""
        page_ids = set(
            PageLogEntry.objects.filter(timestamp__gte=since)
            .values_list("page_id", flat=True)
            .distinct()
        )
        pages = {page.pk: page for page in PracticePage.objects.filter(pk__in=page_ids)}
        other_pages = set(Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
        for page_id in sorted(page_ids):
            if page_id in pages:
                self.index_page(pages[page_id])
            elif page_id not in other_pages:
                self.delete_page(page_id)  # deleted since: remove its document


def enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def queue(page_id, translation_key=None, error=""):
    """Remember a page whose documents could not be updated."""
    try:
        pending, created = PendingSearchUpdate.objects.get_or_create(
            page_id=page_id,
            defaults={"translation_key": translation_key, "last_error": str(error)[:2000]},
        )
        if not created:
            pending.attempts += 1
            pending.last_error = str(error)[:2000]
            if translation_key:
                pending.translation_key = translation_key
            pending.save()
    except DatabaseError:
        logger.exception("Could not queue page %s for the search index.", page_id)


def update_page(page_id, translation_key=None):
    """Bring the documents of a page (and of its other language versions) up to date.
    Raises when the cluster fails; returns False when Elasticsearch is not configured."""
    engine = elasticsearch_engine()
    if engine is None:
        return False
    page = PracticePage.objects.filter(pk=page_id).first()
    if page is None:
        IndexWriter(engine).delete_page(page_id, translation_key=translation_key)
    else:
        IndexWriter(engine).index_page(page)
    return True


def _update_or_queue(page_id, translation_key):
    try:
        update_page(page_id, translation_key)
    except Exception as error:  # never let the search index block an editor
        logger.warning(
            "Could not update the search index for page %s (%s); queued for es_sync_pending.",
            page_id,
            error,
        )
        queue(page_id, translation_key, error)


def schedule(page_id, translation_key=None):
    if not enabled():
        return
    key = str(translation_key) if translation_key else None
    transaction.on_commit(lambda: _update_or_queue(page_id, key))


def sync_pending():
    """Apply every queued update; rows stay queued while the cluster keeps failing.
    Returns (done, failed)."""
    if elasticsearch_engine() is None:
        raise RuntimeError("ELASTICSEARCH_URL is not set.")
    done = failed = 0
    for pending in list(PendingSearchUpdate.objects.all()):
        try:
            update_page(pending.page_id, pending.translation_key)
        except Exception as error:
            failed += 1
            pending.attempts += 1
            pending.last_error = str(error)[:2000]
            pending.save(update_fields=["attempts", "last_error", "queued_at"])
            logger.warning("Search index update of page %s failed: %s", pending.page_id, error)
        else:
            done += 1
            PendingSearchUpdate.objects.filter(pk=pending.pk, queued_at=pending.queued_at).delete()
    return done, failed

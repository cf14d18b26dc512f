"""Writing the Elasticsearch index from the pages: each searchable language version's
document (documents.build_document, serialised by PracticeDocument.from_entry), the
writer that indexes an entry, removes a page and rebuilds the index, and the updates that
practices.search.signals schedules.

Updates run only when settings.ELASTICSEARCH_URL is set, once the database transaction
commits; if the cluster cannot be reached, publishing still succeeds: the failure is logged
and the page queued (PendingSearchUpdate) for `manage.py es_sync_pending` or the next
`manage.py es_reindex`.

The write side of the Elasticsearch engine: it reads page models. The engine itself
(practices.search.engines.elasticsearch: the client, the mapping's index, search) does not,
so the search service can use it without importing the pages.
"""

import logging
import threading
from functools import partial

from django.db import DatabaseError, transaction
from django.db.models import Min, prefetch_related_objects
from django.utils import timezone
from elasticsearch.helpers import bulk
from wagtail.models import Page, PageLogEntry

from practices.models import PracticePage

from .documents import PREFETCHED, build_document, documents_of, entry_facts, searchable_versions
from .engines.elasticsearch import elasticsearch_engine, engine_errors
from .es_documents import PracticeDocument, build_index
from .models import PendingSearchUpdate

logger = logging.getLogger(__name__)


def document_of(page):
    """The Elasticsearch document of one searchable language version (a PracticePage): the
    entry's one document (documents.build_document), serialised for the index."""
    prefetch_related_objects([page], *PREFETCHED)
    facts = entry_facts([page.translation_key])[page.translation_key]
    return PracticeDocument.from_entry(build_document(page, facts))


class IndexWriter:
    """Keeps an ElasticsearchEngine's index in step with the pages."""

    def __init__(self, engine):
        self.engine = engine

    def _group_actions(self, translation_key, exclude=()):
        """Index actions for every searchable version of an entry; deletions for the
        others."""
        documents = [
            document
            for document in documents_of([translation_key])
            if document.page_id not in exclude
        ]
        searchable = {document.page_id for document in documents}
        for document in documents:
            source = PracticeDocument.from_entry(document).to_dict(include_meta=True)
            yield {**source, "_index": self.engine.alias}
        others = (
            PracticePage.objects.filter(translation_key=translation_key)
            .exclude(pk__in=[*exclude, *searchable])
            .values_list("pk", flat=True)
        )
        for pk in others:
            yield {"_op_type": "delete", "_index": self.engine.alias, "_id": pk}

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
        keys = list(
            searchable_versions().order_by().values_list("translation_key", flat=True).distinct()
        )
        total = searchable_versions().count()

        def actions():
            done = 0
            for start in range(0, len(keys), chunk_size):
                for document in documents_of(keys[start : start + chunk_size]):
                    source = PracticeDocument.from_entry(document).to_dict(include_meta=True)
                    yield {**source, "_index": name}
                    done += 1
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
    return elasticsearch_engine() is not None


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


#: Per thread: a counter ordering schedules and sends, when each entry was last sent, and
#: the last failure (when, error).
_state = threading.local()
_MAX_REMEMBERED = 10_000


def _tick():
    _state.counter = getattr(_state, "counter", 0) + 1
    return _state.counter


def _send(page_id, key, scheduled_at):
    """Send one scheduled update, run once the transaction commits.

    Each entry is sent once per commit: publishing every version of an entry (as an import
    does) schedules it once per version, and its first send reindexes all of them. After a
    failure, the updates of the same commit are queued with that error without asking the
    cluster again."""
    if not hasattr(_state, "sent") or len(_state.sent) > _MAX_REMEMBERED:
        _state.sent = {}
    failure = getattr(_state, "failure", None)
    if failure is not None and failure[0] > scheduled_at:
        queue(page_id, key, failure[1])
        return
    sent_at = _state.sent.get(key) if key else None
    if sent_at is not None and sent_at > scheduled_at:
        if PracticePage.objects.filter(pk=page_id).exists():
            return  # its entry has been reindexed as a whole since this was scheduled
    try:
        update_page(page_id, key)
    except Exception as error:  # never let the search index block an editor
        logger.warning(
            "Could not update the search index for page %s (%s); queued for es_sync_pending.",
            page_id,
            error,
        )
        _state.failure = (_tick(), error)
        queue(page_id, key, error)
    else:
        if key:
            _state.sent[key] = _tick()


def schedule(page_id, translation_key=None):
    """Update the documents of a page's entry once the transaction commits."""
    if not enabled():
        return
    key = str(translation_key) if translation_key else None
    transaction.on_commit(partial(_send, page_id, key, _tick()))


def schedule_entries(translation_keys):
    """Update the documents of these entries once the transaction commits."""
    if not enabled():
        return
    firsts = (
        PracticePage.objects.filter(translation_key__in=list(translation_keys))
        .order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values_list("translation_key", "first")
    )
    for key, page_id in firsts:
        schedule(page_id, key)


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

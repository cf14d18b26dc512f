"""Writing the search index: documents of whole entries, kept in step with the pages.

An entry is always reindexed as a whole (all its live language versions), because the
original owns the classification and decides which version is the fallback.
"""

import secrets
import threading
from contextlib import contextmanager

from django.db import transaction

from kb import pagecache

from .documents import build_document, entry_facts, live_versions, original_versions
from .engines import get_engine
from .models import SearchDocument, SearchIndexChange, SearchIndexState

CHUNK_SIZE = 500
#: Beyond this many changed documents, processes rebuild their snapshot rather than update it.
MAX_UPDATED_DOCUMENTS = 2000
_deferred = threading.local()


def bump_version(removed=None, added=None, entries=None):
    """Tell every process that its in-memory facet bitmaps are stale.

    With the documents `removed` and `added` (ids) and their `entries` (translation keys),
    a process can update its snapshot; without them, it rebuilds it. The new version is
    random rather than incremented: a rolled-back transaction must not let a later,
    different index reuse a version number a process has already cached.
    """
    version = secrets.randbits(62) + 1
    if not SearchIndexState.objects.filter(pk=1).update(version=version):
        SearchIndexState.objects.update_or_create(pk=1, defaults={"version": version})
    # After the state row: concurrent writers wait for it, so ids follow the commit order.
    full = removed is None or len(removed) + len(added) > MAX_UPDATED_DOCUMENTS
    change = SearchIndexChange.objects.create(
        version=version,
        full=full,
        removed=[] if full else sorted(removed),
        added=[] if full else sorted(added),
        entries=[] if full else sorted(str(key) for key in entries),
    )
    # What the public pages show changed too (counts, results, labels): forget cached pages.
    pagecache.bump_version()
    if change.pk % 100 == 0:
        SearchIndexChange.objects.filter(pk__lte=change.pk - SearchIndexChange.KEEP).delete()


def current_version():
    return SearchIndexState.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def store(built_documents, engine=None):
    """Insert built documents and index their text; returns their ids."""
    engine = engine or get_engine()
    return engine.insert_documents(list(built_documents))


def _delete_entries(keys, engine):
    """Delete the documents of these entries; their ids."""
    old = list(SearchDocument.objects.filter(entry_key__in=keys).values_list("pk", flat=True))
    if old:
        engine.remove(old)
        SearchDocument.objects.filter(pk__in=old).delete()
    return old


def updates_deferred():
    return getattr(_deferred, "keys", None) is not None


@contextmanager
def deferred_updates():
    """Collect the entries to reindex and reindex each once, when the block ends.

    For bulk writers (the importer): publishing a page reindexes its entry, and an import
    publishes every version of an entry in turn.
    """
    if updates_deferred():  # nested: the outer block reindexes
        yield
        return
    _deferred.keys = set()
    try:
        yield
        keys = _deferred.keys
    finally:
        _deferred.keys = None
    update_entries(keys)


@transaction.atomic
def update_entries(translation_keys):
    """Rebuild the documents of these entries from their live versions."""
    keys = {key for key in translation_keys if key}
    if not keys:
        return
    pending = getattr(_deferred, "keys", None)
    if pending is not None:
        pending.update(keys)
        return
    engine = get_engine()
    removed = _delete_entries(keys, engine)
    originals, facts = original_versions(keys), entry_facts(keys)
    built = [
        build_document(page, *originals[page.translation_key], entry=facts[page.translation_key])
        for page in live_versions(keys)
    ]
    added = store(built, engine)
    bump_version(removed, added, keys)


def rebuild(progress=None):
    """Rebuild every document. `progress(total)` returns a tqdm-like object, if given."""
    from ..models import PracticePage

    engine = get_engine()
    keys = list(
        PracticePage.objects.live().order_by().values_list("translation_key", flat=True).distinct()
    )
    bar = progress(len(keys)) if progress else None
    with transaction.atomic():
        engine.clear()
        SearchDocument.objects.all().delete()
        for start in range(0, len(keys), CHUNK_SIZE):
            chunk = keys[start : start + CHUNK_SIZE]
            originals, facts = original_versions(chunk), entry_facts(chunk)
            built = [
                build_document(
                    page, *originals[page.translation_key], entry=facts[page.translation_key]
                )
                for page in live_versions(chunk)
            ]
            store(built, engine)
            if bar is not None:
                bar.update(len(chunk))
        bump_version()
    if bar is not None:
        bar.close()
    return len(keys)

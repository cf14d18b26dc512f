"""Writing the database's search documents: whole entries, kept in step with the pages.

An entry is always reindexed as a whole (all its searchable language versions), because
the original owns the classification and decides which version is the fallback.
"""

import threading
from contextlib import contextmanager

from django.db import transaction

from .documents import documents_of, searchable_versions
from .engines import database_engine
from .models import SearchDocument
from .versions import bump_version
from .words import WordCounts
from .words import clear as clear_words

CHUNK_SIZE = 500
_deferred = threading.local()


def store(documents, engine, words):
    """Insert EntryDocuments with `engine` and index their text, their words counted in
    `words` (a WordCounts); returns their ids."""
    documents = list(documents)
    ids = engine.insert_documents(documents)
    words.add(ids, documents)
    return ids


def _delete_entries(keys, engine, words):
    """Delete the documents of these entries; their ids."""
    old = list(SearchDocument.objects.filter(entry_key__in=keys).values_list("pk", flat=True))
    if old:
        words.remove(old)
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
    """Rebuild the documents of these entries from their searchable versions."""
    keys = {key for key in translation_keys if key}
    if not keys:
        return
    pending = getattr(_deferred, "keys", None)
    if pending is not None:
        pending.update(keys)
        return
    engine = database_engine()
    words = WordCounts()
    removed = _delete_entries(keys, engine, words)
    added = store(documents_of(keys), engine, words)
    bump_version(removed, added, keys)
    # After the version row: concurrent writers wait for it, so counts are not lost.
    words.save()


def rebuild(progress=None):
    """Rebuild every document. `progress(total)` returns a tqdm-like object, if given."""
    engine = database_engine()
    keys = list(
        searchable_versions().order_by().values_list("translation_key", flat=True).distinct()
    )
    bar = progress(len(keys)) if progress else None
    words = WordCounts()
    with transaction.atomic():
        engine.clear()
        clear_words()
        SearchDocument.objects.all().delete()
        for start in range(0, len(keys), CHUNK_SIZE):
            chunk = keys[start : start + CHUNK_SIZE]
            store(documents_of(chunk), engine, words)
            if bar is not None:
                bar.update(len(chunk))
        bump_version()
        words.save(replace=True)
    if bar is not None:
        bar.close()
    return len(keys)

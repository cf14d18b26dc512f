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

CHUNK_SIZE = 500
_deferred = threading.local()


def store(documents, engine=None):
    """Insert EntryDocuments and index their text; returns their ids."""
    engine = engine or database_engine()
    return engine.insert_documents(list(documents))


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
    """Rebuild the documents of these entries from their searchable versions."""
    keys = {key for key in translation_keys if key}
    if not keys:
        return
    pending = getattr(_deferred, "keys", None)
    if pending is not None:
        pending.update(keys)
        return
    engine = database_engine()
    removed = _delete_entries(keys, engine)
    added = store(documents_of(keys), engine)
    bump_version(removed, added, keys)


def rebuild(progress=None):
    """Rebuild every document. `progress(total)` returns a tqdm-like object, if given."""
    engine = database_engine()
    keys = list(
        searchable_versions().order_by().values_list("translation_key", flat=True).distinct()
    )
    bar = progress(len(keys)) if progress else None
    with transaction.atomic():
        engine.clear()
        SearchDocument.objects.all().delete()
        for start in range(0, len(keys), CHUNK_SIZE):
            chunk = keys[start : start + CHUNK_SIZE]
            store(documents_of(chunk), engine)
            if bar is not None:
                bar.update(len(chunk))
        bump_version()
    if bar is not None:
        bar.close()
    return len(keys)

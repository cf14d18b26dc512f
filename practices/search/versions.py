"""The search index's version and change log: how processes learn that their snapshot is stale.

Writers (practices.search.index) record each change here; readers (the snapshot in
practices.search.memory) read the version and the changed documents, and never import the
writer.
"""

import secrets

from kb import pagecache

from .models import SearchIndexChange, SearchIndexState

#: Beyond this many changed documents, processes rebuild their snapshot rather than update it.
MAX_UPDATED_DOCUMENTS = 2000


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

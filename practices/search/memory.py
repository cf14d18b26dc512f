"""The per-process, in-memory side of the index: facet bitmaps, language views, sort orders.

Facet counts with disjunctive filters are intersections of compressed bitmaps (pyroaring)
of document ids: one bitmap per facet value, one per language for the documents shown to
readers of that language (each entry once). When the index version stored in the database
changes, the snapshot is updated with the documents that changed (SearchIndexChange), or
rebuilt after a bulk change, so every process sees publications without a restart.
"""

import bisect
import copy
import json
import threading
import uuid
from array import array
from collections import defaultdict

from django.db import connection
from django.utils import translation
from django.utils.text import capfirst
from pyroaring import BitMap

from ..facets import CHOICE_FACETS, COUNTRY_FACETS, FACET_KEYS, LANGUAGE_LABELS, country_name
from ..models.organisations import Organisation
from ..models.taxonomy import VOCABULARIES, tag_labels
from .analysis import LANGUAGES
from .models import SearchDocument, SearchIndexChange
from .ranking import FieldIndex
from .versions import MAX_UPDATED_DOCUMENTS, current_version


def organisation_labels(slugs):
    """Organisation slug -> {language: its name with its acronym} for these slugs."""
    return {
        organisation.slug: {code: organisation.display_name(code) for code in LANGUAGES}
        for organisation in Organisation.objects.filter(slug__in=list(slugs))
    }


def _rows(sql, params=None, size=2000):
    """Rows of a query, fetched in slices so that they are never all in memory at once (on
    PostgreSQL through a server-side cursor: a client-side one receives the whole result
    at once)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


#: The orders: SQL, and the same order as a Python sort key of
#: (id, year, published_at, title_sort), for documents inserted into an order in memory.
#: `published_at` is the entry's first publication. Every order ends on the id, so that
#: equal entries keep a stable order.
ORDERS = {
    # first publication of the entry (none last), latest first, then id descending
    "newest": (
        "published_at IS NULL, published_at DESC, id DESC",
        lambda pk, year, published, title: (
            published is None,
            -published.timestamp() if published else 0,
            -pk,
        ),
    ),
    # first publication of the entry (none last), earliest first, then id
    "oldest": (
        "published_at IS NULL, published_at, id",
        lambda pk, year, published, title: (
            published is None,
            published.timestamp() if published else 0,
            pk,
        ),
    ),
    # the year the practice started (none last), latest first, then as `newest`
    "year": (
        "COALESCE(year, 0) DESC, published_at IS NULL, published_at DESC, id DESC",
        lambda pk, year, published, title: (
            -(year or 0),
            published is None,
            -published.timestamp() if published else 0,
            -pk,
        ),
    ),
    # code point order on both databases (Python compares strings the same way)
    "title": ("{title}, id", lambda pk, year, published, title: (title, pk)),
}


def _index_state():
    """The index version, and the id of the change that made it (None if unknown)."""
    version = current_version()
    last = SearchIndexChange.objects.order_by("-pk").values_list("pk", "version").first()
    return version, (last[0] if last and last[1] == version else None)


class _Rebuild(Exception):
    """The snapshot cannot be updated: it must be rebuilt."""


class Snapshot:
    def __init__(self):
        self.version, self.change_id = _index_state()
        self.vocabularies = {
            key: [
                (term.slug, {code: term.get_short_label(code) for code in LANGUAGES})
                for term in model.objects.all()
            ]
            for key, model in VOCABULARIES.items()
        }
        self.vocabulary_slugs = {
            key: {slug for slug, _labels in terms} for key, terms in self.vocabularies.items()
        }
        self._country_labels = {}
        self._load_documents()

    def _load_documents(self):
        """Read the facet values (ids gathered in compact arrays), then the language views
        and the orders, grouped and sorted by the database (Python receives only ids)."""
        table = SearchDocument._meta.db_table
        postgres = connection.vendor == "postgresql"
        ids_by_value = {key: defaultdict(lambda: array("I")) for key in FACET_KEYS}
        for pk, facets in _rows(f"SELECT id, facets FROM {table}"):
            if isinstance(facets, str):
                facets = json.loads(facets)
            for key, values in facets.items():
                ids = ids_by_value.get(key)
                if ids is not None:
                    for value in values:
                        ids[str(value)].append(pk)
        self.facets = {
            key: {value: BitMap(ids) for value, ids in by_value.items()}
            for key, by_value in ids_by_value.items()
        }
        del ids_by_value
        # A pass of its own, so that what the facets gathered is freed first (a worker's
        # peak memory is what it holds at once).
        self.field_index = FieldIndex.build(_rows(f"SELECT id, language, rank_text FROM {table}"))
        self.tag_names = tag_labels(self.facets["tag"])
        self.organisation_names = organisation_labels(self.facets["funder"])

        self.visible = {code: BitMap() for code in LANGUAGES}
        self._add_shown(self.visible)
        self.entry_count = len(self.visible[LANGUAGES[0]])

        title = 'title_sort COLLATE "C"' if postgres else "title_sort"  # code point order
        self.order, self.ordered = {}, {}
        for name, (order_by, _key) in ORDERS.items():
            order_by = order_by.format(title=title)
            self.ordered[name] = array(
                "q", (row[0] for row in _rows(f"SELECT id FROM {table} ORDER BY {order_by}"))
            )
        self.all_documents = BitMap(iter(self.ordered["newest"]))
        max_id = self.all_documents.max() if self.all_documents else 0
        for name, ordered in self.ordered.items():
            self.order[name] = self._ranks(ordered, max_id)

    @staticmethod
    def _add_shown(visible, entry_keys=None):
        """Add to `visible` each entry's document shown to each language: its version in
        the language, else its original (else its oldest). All entries, or these ones."""
        table = SearchDocument._meta.db_table
        shown = ", ".join(
            f"COALESCE(MAX(CASE WHEN language = '{code}' THEN id END), "
            "MIN(CASE WHEN is_original THEN id END), MIN(id))"
            for code in LANGUAGES
        )
        sql, params = f"SELECT {shown} FROM {table}", []
        if entry_keys is not None:
            field = SearchDocument._meta.get_field("entry_key")
            params = [field.get_db_prep_value(uuid.UUID(key), connection) for key in entry_keys]
            sql += f" WHERE entry_key IN ({', '.join(['%s'] * len(params))})"
        for row in _rows(f"{sql} GROUP BY entry_key", params):
            for code, pk in zip(LANGUAGES, row, strict=True):
                visible[code].add(pk)

    # -- updating ----------------------------------------------------------------------------

    def updated(self):
        """A new snapshot: this one with the changes committed since, or None when it must be
        rebuilt (a bulk change, too many documents, changes it cannot follow). This one is
        left as it is: other threads may be reading it."""
        if self.change_id is None:
            return None
        changes = list(
            SearchIndexChange.objects.filter(pk__gte=self.change_id)
            .order_by("pk")
            .values_list("pk", "version", "full", "removed", "added", "entries")
        )
        # The change this snapshot knows must still be there (not trimmed, not rolled back).
        if not changes or changes[0][:2] != (self.change_id, self.version):
            return None
        changes = changes[1:]
        if not changes or any(full for _pk, _version, full, *_rest in changes):
            return None
        removed, added, entries = set(), set(), set()
        for _pk, _version, _full, change_removed, change_added, change_entries in changes:
            removed.update(change_removed)
            added.difference_update(change_removed)
            added.update(change_added)
            entries.update(change_entries)
        if len(removed) + len(added) > MAX_UPDATED_DOCUMENTS:
            return None
        new = copy.copy(self)
        new.change_id, new.version = changes[-1][:2]
        try:
            new._update(removed, added, entries)
        except _Rebuild:
            return None
        return new

    def _update(self, removed, added, entries):
        """Take out the documents removed and added (so that applying a change twice, or to
        a snapshot that already holds it, changes nothing), then put the added ones in."""
        stale = BitMap(removed | added)
        added = sorted(added)
        documents, ranked = {}, []
        for (
            pk,
            facets,
            year,
            published_at,
            title_sort,
            language,
            text,
        ) in SearchDocument.objects.filter(pk__in=added).values_list(
            "pk", "facets", "year", "published_at", "title_sort", "language", "rank_text"
        ):
            documents[pk] = (facets, (year, published_at, title_sort))
            ranked.append((pk, language, text))
        if len(documents) != len(added):  # removed again by a later change: rebuild
            raise _Rebuild
        self.field_index = self.field_index.updated(ranked)

        new_ids = {key: {} for key in FACET_KEYS}
        for pk, (facets, _sort) in documents.items():
            for key, values in facets.items():
                if key in new_ids:
                    for value in values:
                        new_ids[key].setdefault(str(value), []).append(pk)
        facets = {}
        for key, by_value in self.facets.items():
            updated = {}
            for value, bitmap in by_value.items():
                if bitmap.intersect(stale):
                    bitmap = bitmap - stale  # a new bitmap: the old snapshot keeps its own
                if bitmap:
                    updated[value] = bitmap
            for value, ids in new_ids[key].items():
                updated[value] = updated.get(value, BitMap()) | BitMap(ids)
            facets[key] = updated
        self.facets = facets
        self.tag_names = tag_labels(facets["tag"])
        self.organisation_names = organisation_labels(facets["funder"])

        self.visible = {code: bitmap - stale for code, bitmap in self.visible.items()}
        if entries:
            self._add_shown(self.visible, sorted(entries))
        self.entry_count = len(self.visible[LANGUAGES[0]])
        self.all_documents = (self.all_documents - stale) | BitMap(added)

        sort_values = {pk: values for pk, (_facets, values) in documents.items()}

        def sort_values_of(pk):
            values = sort_values.get(pk)
            if values is None:
                values = sort_values[pk] = (
                    SearchDocument.objects.filter(pk=pk)
                    .values_list("year", "published_at", "title_sort")
                    .first()
                )
                if values is None:  # removed by a change not applied yet
                    raise _Rebuild
            return values

        max_id = self.all_documents.max() if self.all_documents else 0
        self.ordered, self.order = dict(self.ordered), dict(self.order)
        for name, (_sql, key) in ORDERS.items():
            ordered = array("q", (pk for pk in self.ordered[name] if pk not in stale))
            for pk in sorted(added, key=lambda pk: key(pk, *sort_values[pk])):
                position = bisect.bisect_left(
                    ordered, key(pk, *sort_values[pk]), key=lambda o: key(o, *sort_values_of(o))
                )
                ordered.insert(position, pk)
            self.ordered[name] = ordered
            self.order[name] = self._ranks(ordered, max_id)

    @staticmethod
    def _ranks(ordered_ids, max_id):
        ranks = array("l", bytes(array("l").itemsize * (max_id + 1)))
        for position, pk in enumerate(ordered_ids):
            ranks[pk] = position
        return ranks

    # -- labels in the reader's language ---------------------------------------------------

    def vocabulary_label(self, key, slug, lang):
        for term_slug, labels in self.vocabularies.get(key, ()):
            if term_slug == slug:
                return labels[lang] or labels["en"]
        return slug

    def label(self, key, value, lang):
        value = str(value)
        if key in self.vocabularies:
            return self.vocabulary_label(key, value, lang)
        if key in COUNTRY_FACETS:
            cache = self._country_labels.setdefault(lang, {})
            if value not in cache:
                with translation.override(lang):
                    cache[value] = country_name(value)
            return cache[value]
        if key in ("language", "available_in"):  # an option: capitalised ("Anglais", "Inglés")
            with translation.override(lang):
                return capfirst(str(LANGUAGE_LABELS.get(value, value)))
        if key == "tag":
            labels = self.tag_names.get(value)
            return labels.get(lang, value) if labels else value
        if key == "funder":
            labels = self.organisation_names.get(value)
            return labels.get(lang, value) if labels else value
        if key in CHOICE_FACETS and value in CHOICE_FACETS[key].values:
            with translation.override(lang):
                return str(CHOICE_FACETS[key](value).label)
        return value


_snapshot = None
_lock = threading.Lock()


def get_snapshot():
    """The snapshot of the current index version, rebuilt when the index changed."""
    global _snapshot
    version = current_version()
    snapshot = _snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = (_snapshot and _snapshot.updated()) or Snapshot()
        return _snapshot


def reset():
    """Forget the snapshot (tests that roll back the database reuse version numbers)."""
    global _snapshot
    _snapshot = None

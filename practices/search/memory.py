"""The per-process, in-memory side of the index: facet bitmaps, language views, sort orders.

Facet counts with disjunctive filters are intersections of compressed bitmaps (pyroaring)
of document ids: one bitmap per facet value, one per language for the documents shown to
readers of that language (each entry once). The snapshot is rebuilt when the index version
stored in the database changes, so every process sees publications without a restart.
"""

import json
import threading
from array import array
from collections import defaultdict

from django.db import connection
from django.utils import translation
from pyroaring import BitMap
from taggit.models import Tag

from ..facets import FACET_KEYS, LANGUAGE_LABELS, country_name
from ..models import VOCABULARIES
from .analysis import LANGUAGES
from .index import current_version
from .models import SearchDocument


def _rows(sql, size=2000):
    """Rows of a query, fetched in slices so that they are never all in memory at once."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield from rows


class Snapshot:
    def __init__(self, version):
        self.version = version
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
        self.tag_names = dict(
            Tag.objects.filter(slug__in=list(self.facets["tag"])).values_list("slug", "name")
        )

        self.visible = {code: BitMap() for code in LANGUAGES}
        shown = ", ".join(
            f"COALESCE(MAX(CASE WHEN language = '{code}' THEN id END), "
            "MIN(CASE WHEN is_original THEN id END), MIN(id))"
            for code in LANGUAGES
        )  # each entry once: its version in the language, else its original (else oldest)
        self.entry_count = 0
        for row in _rows(f"SELECT {shown} FROM {table} GROUP BY entry_key"):
            self.entry_count += 1
            for code, pk in zip(LANGUAGES, row, strict=True):
                self.visible[code].add(pk)

        title = 'title_sort COLLATE "C"' if postgres else "title_sort"  # code point order
        orders = {
            # year (none last), then publication (none last), then id, all descending
            "newest": "COALESCE(year, 0) DESC, published_at DESC NULLS LAST, id DESC",
            "oldest": "COALESCE(year, 0) = 0, year, published_at NULLS FIRST, id",
            "title": f"{title}, id",
        }
        self.order, self.ordered = {}, {}
        for name, order_by in orders.items():
            self.ordered[name] = array(
                "q", (row[0] for row in _rows(f"SELECT id FROM {table} ORDER BY {order_by}"))
            )
        self.all_documents = BitMap(iter(self.ordered["newest"]))
        max_id = self.all_documents.max() if self.all_documents else 0
        for name, ordered in self.ordered.items():
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
        if key == "country":
            cache = self._country_labels.setdefault(lang, {})
            if value not in cache:
                with translation.override(lang):
                    cache[value] = country_name(value)
            return cache[value]
        if key == "language":
            with translation.override(lang):
                return str(LANGUAGE_LABELS.get(value, value))
        if key == "tag":
            return self.tag_names.get(value, value)
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
            _snapshot = Snapshot(version)
        return _snapshot


def reset():
    """Forget the snapshot (tests that roll back the database reuse version numbers)."""
    global _snapshot
    _snapshot = None

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

_NO_YEAR = 0


def _rows(sql, size=2000):
    """Rows of a query, fetched in slices so that they are never all in memory at once."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield from rows


def _stamp(value):
    """A sortable publication time: ISO text from SQLite, a datetime from PostgreSQL."""
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()


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
        """Read every document's facet values once, with a plain cursor (no model objects)."""
        table = SearchDocument._meta.db_table
        entries = defaultdict(list)
        values = {key: defaultdict(list) for key in FACET_KEYS}
        newest, titles = [], []
        max_id = 0
        for pk, entry_key, language, is_original, year, published, title_sort, facets in _rows(
            "SELECT id, entry_key, language, is_original, year, published_at, title_sort, "
            f"facets FROM {table} ORDER BY id"
        ):
            max_id = pk
            entries[entry_key].append((language, is_original, pk))
            if isinstance(facets, str):
                facets = json.loads(facets)
            for key, facet_values in facets.items():
                lists = values.get(key)
                if lists is not None:
                    for value in facet_values:
                        lists[str(value)].append(pk)
            newest.append((year or _NO_YEAR, _stamp(published), pk))
            titles.append((title_sort, pk))
        self.facets = {
            key: {value: BitMap(ids) for value, ids in lists.items()}
            for key, lists in values.items()
        }
        self.tag_names = dict(
            Tag.objects.filter(slug__in=list(self.facets["tag"])).values_list("slug", "name")
        )
        self.all_documents = BitMap(pk for _t, pk in titles)
        self.visible = {code: BitMap() for code in LANGUAGES}
        for versions in entries.values():
            by_language = {language: pk for language, _o, pk in versions}
            fallback = next((pk for _l, original, pk in versions if original), None)
            if fallback is None:  # the original is not live: the oldest live version
                fallback = min(pk for _l, _o, pk in versions)
            for code in LANGUAGES:
                self.visible[code].add(by_language.get(code, fallback))
        self.entry_count = len(entries)
        self.order, self.ordered = {}, {}
        newest.sort(reverse=True)  # (year, publication, id), all descending; no year last
        self.ordered["newest"] = array("q", (pk for *_rest, pk in newest))
        oldest = sorted(newest, key=lambda item: (item[0] == _NO_YEAR, item[0], item[1], item[2]))
        self.ordered["oldest"] = array("q", (pk for *_rest, pk in oldest))
        titles.sort()
        self.ordered["title"] = array("q", (pk for _t, pk in titles))
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

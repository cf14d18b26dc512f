"""The per-process, in-memory side of the index: facet bitmaps, language views, sort orders.

Facet counts with disjunctive filters are intersections of compressed bitmaps (pyroaring)
of document ids: one bitmap per facet value, one per language for the documents shown to
readers of that language (each entry once). The snapshot is rebuilt when the index version
stored in the database changes, so every process sees publications without a restart.
"""

import threading
from array import array
from collections import defaultdict

from django.utils import translation
from pyroaring import BitMap

from ..facets import FACET_KEYS, LANGUAGE_LABELS, country_name
from ..models import VOCABULARIES
from .analysis import LANGUAGES
from .index import current_version
from .models import SearchDocument

_NO_YEAR = 0


class Snapshot:
    def __init__(self, version):
        self.version = version
        self.facets = {key: defaultdict(BitMap) for key in FACET_KEYS}
        self.tag_names = {}
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
        rows = SearchDocument.objects.values_list(
            "pk",
            "entry_key",
            "language",
            "is_original",
            "year",
            "published_at",
            "title_sort",
            "facets",
            "tag_names",
        ).order_by("pk")
        entries = defaultdict(list)
        newest, titles = [], []
        max_id = 0
        for pk, entry_key, language, is_original, year, published, title_sort, facets, tags in rows:
            max_id = pk
            entries[entry_key].append((language, is_original, pk))
            for key, values in facets.items():
                bitmaps = self.facets.get(key)
                if bitmaps is None:
                    continue
                for value in values:
                    bitmaps[str(value)].add(pk)
            self.tag_names.update(tags)
            stamp = published.timestamp() if published else 0.0
            newest.append((year or _NO_YEAR, stamp, pk))
            titles.append((title_sort, pk))
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
        self.order = {}
        newest.sort(key=lambda item: (-item[0], -item[1], -item[2]))
        self.order["newest"] = self._ranks((pk for *_rest, pk in newest), max_id)
        oldest = sorted(newest, key=lambda item: (item[0] == _NO_YEAR, item[0], item[1], item[2]))
        self.order["oldest"] = self._ranks((pk for *_rest, pk in oldest), max_id)
        titles.sort()
        self.order["title"] = self._ranks((pk for _t, pk in titles), max_id)

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

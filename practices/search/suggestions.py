"""What to offer a reader whose text search found nothing: close spellings, filters by a
classification term, and the languages in which the same search finds entries.

Pure functions of a SearchQuery. Spellings come from the word list of the reader's
language (SearchWord, kept by the index writer), so they work whichever engine answers;
every suggestion is checked by running it, and offered only when it finds entries.
"""

import itertools
import threading
from dataclasses import dataclass, field, replace

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..facets import FACET_LABELS
from .analysis import (
    _ARABIC_MARKS_RE,
    LANGUAGES,
    WORD_RE,
    normalise_words,
    parse_query,
    stem_words,
    words,
)
from .memory import get_snapshot
from .models import SearchWord
from .service import search_practices
from .versions import current_version

#: Query words shorter than this are never corrected.
MIN_CORRECTED_LENGTH = 3
#: Query and label words compared with classification labels are at least this long, so
#: that "with" or "from" do not suggest a term.
MIN_TERM_WORD_LENGTH = 5
MAX_SUGGESTIONS = 3
#: Close words considered for each misspelled word, and corrected queries tried at most.
CANDIDATES_PER_WORD = 3
MAX_TRIES = 6


def max_distance(word):
    """The edit distance allowed for a word: 1 up to four letters, else 2."""
    return 1 if len(word) <= 4 else 2


@dataclass
class WordList:
    """The words of one language's documents, for fuzzy matching."""

    words: list
    surfaces: list
    documents: list
    position: dict
    stems: set
    #: The words without the Arabic article (None in other languages): a query may have
    #: it where the documents do not, or the other way round.
    bare: list | None = None

    @classmethod
    def load(cls, language):
        rows = list(
            SearchWord.objects.filter(language=language)
            .order_by("-documents", "word")
            .values_list("word", "surface", "documents")
        )
        found = [row[0] for row in rows]
        return cls(
            words=found,
            surfaces=[row[1] for row in rows],
            documents=[row[2] for row in rows],
            position={word: index for index, word in enumerate(found)},
            stems=set(stem_words(found, language)),
            bare=normalise_words(found, language) if language == "ar" else None,
        )

    def knows(self, word, language):
        """Whether the documents hold the word, or a word of the same stem."""
        return word in self.position or stem_words([word], language)[0] in self.stems

    def close(self, word, limit=CANDIDATES_PER_WORD):
        """(word, surface, distance) of the closest words, the frequent first at a distance."""
        cutoff = max_distance(word)
        best = {}
        searches = [(word, self.words)]
        if self.bare is not None:
            bare = normalise_words([word], "ar")[0]
            searches.append((bare, self.bare))
        for without_article, (typed, choices) in enumerate(searches):
            for _w, distance, index in process.extract(
                typed, choices, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=None
            ):
                best[index] = min(best.get(index, (cutoff + 1,)), (distance, without_article))
        # At one distance, a word matched as typed comes first, then the more frequent:
        # words are listed most frequent first.
        ranked = sorted(best.items(), key=lambda item: (*item[1], item[0]))
        return [(self.words[i], self.surfaces[i], rank[0]) for i, rank in ranked[:limit]]


_cache = {"version": None, "words": {}, "labels": {}}
_lock = threading.Lock()


def _cached(kind, language, build):
    """A per-language value of the current index version, built once per process."""
    version = current_version()
    with _lock:
        if _cache["version"] != version:
            _cache.update(version=version, words={}, labels={})
        value = _cache[kind].get(language)
    if value is None:
        value = build(language)
        with _lock:
            if _cache["version"] == version:
                _cache[kind][language] = value
    return value


def word_list(language):
    return _cached("words", language, WordList.load)


def forget():
    """Forget the cached lists (tests reuse index versions when they roll back)."""
    with _lock:
        _cache.update(version=None, words={}, labels={})


@dataclass
class Spelling:
    """A corrected query: its text, and its parts as (text, corrected) for display."""

    q: str
    parts: list
    count: int


@dataclass
class TermSuggestion:
    key: str
    value: str
    group: str
    label: str
    count: int
    #: The query's filters with this term added.
    filters: dict


@dataclass
class LanguageMatch:
    lang: str
    count: int


@dataclass
class Suggestions:
    spellings: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    languages: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.spellings or self.terms or self.languages)


def _count(query, **changes):
    return search_practices(replace(query, page=1, page_size=1, **changes)).count


def _query_words(query):
    parsed = parse_query(query.q)
    return list(dict.fromkeys(parsed.terms())) if parsed else []


def _rewrite(q, corrections):
    """`q` with the corrected words replaced (spaces collapsed), and its parts as
    (text, corrected) pairs; quotes and punctuation are kept."""
    parts = []
    for position, chunk in enumerate(_ARABIC_MARKS_RE.sub("", q).split()):
        if position:
            parts.append((" ", False))
        start = 0
        for match in WORD_RE.finditer(chunk):
            folded = words(match.group())
            if len(folded) == 1 and folded[0] in corrections:
                parts.append((chunk[start : match.start()], False))
                parts.append((corrections[folded[0]], True))
                start = match.end()
        parts.append((chunk[start:], False))
    merged = []
    for text, corrected in parts:
        if not text:
            continue
        if merged and not corrected and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, corrected))
    return "".join(text for text, _c in merged), merged


def spellings(query):
    """Up to three corrected queries that find entries, closest first."""
    language = query.lang
    known = word_list(language)
    options = []
    for word in _query_words(query):
        if len(word) < MIN_CORRECTED_LENGTH or word.isdigit() or known.knows(word, language):
            continue
        close = known.close(word)
        if close:
            options.append([(word, surface, distance) for _w, surface, distance in close])
    if not options:
        return []
    combinations = sorted(
        itertools.product(*options),
        key=lambda chosen: sum(distance for _w, _s, distance in chosen),
    )
    found, seen = [], set()
    for chosen in combinations[:MAX_TRIES]:
        q, parts = _rewrite(query.q, {word: surface for word, surface, _d in chosen})
        if q in seen or q == query.q:
            continue
        seen.add(q)
        count = _count(query, q=q)
        if count:
            found.append(Spelling(q=q, parts=parts, count=count))
            if len(found) >= MAX_SUGGESTIONS:
                break
    return found


def _label_words(language):
    """Folded label word -> [(facet key, term slug, label)] of the vocabularies."""
    index = {}
    for key, terms in get_snapshot().vocabularies.items():
        for slug, labels in terms:
            label = str(labels[language] or labels["en"])
            for word in dict.fromkeys(words(label)):
                if len(word) >= MIN_TERM_WORD_LENGTH:
                    index.setdefault(word, []).append((key, slug, label))
    return index


def terms(query):
    """Up to three classification terms with entries, with a label word close to a query
    word, as filters added to the query's (its text left out)."""
    index = _cached("labels", query.lang, _label_words)
    choices = list(index)
    candidates = {}
    for word in _query_words(query):
        if len(word) < MIN_TERM_WORD_LENGTH:
            continue
        for _w, distance, position in process.extract(
            word, choices, scorer=Levenshtein.distance, score_cutoff=max_distance(word), limit=None
        ):
            for key, slug, label in index[choices[position]]:
                if slug in {str(value) for value in query.filters.get(key, ())}:
                    continue
                best = candidates.get((key, slug))
                if best is None or distance < best[0]:
                    candidates[(key, slug)] = (distance, label)
    found = []
    ranked = sorted(candidates.items(), key=lambda item: item[1][0])
    for (key, slug), (_distance, label) in ranked[: MAX_TRIES * 2]:
        filters = {**query.filters, key: [*query.filters.get(key, ()), slug]}
        count = _count(query, q="", filters=filters)
        if count:
            found.append(TermSuggestion(key, slug, str(FACET_LABELS[key]), label, count, filters))
            if len(found) >= MAX_SUGGESTIONS:
                break
    return found


def other_languages(query):
    """The other languages in which the same search finds entries, with their counts."""
    found = []
    for language in LANGUAGES:
        if language != query.lang:
            count = _count(query, lang=language)
            if count:
                found.append(LanguageMatch(language, count))
    return found


def suggest(query):
    """Everything to offer for a text search that found nothing."""
    if not query.has_text:
        return Suggestions()
    return Suggestions(
        spellings=spellings(query), terms=terms(query), languages=other_languages(query)
    )

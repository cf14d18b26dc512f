"""Relevance: the order of the entries that match a text, the same on every engine.

An entry's rank for a query is decided by where the query's words are, by field:

=========  ======  ==================================================================
field      weight  what it holds (in the version's language)
=========  ======  ==================================================================
title      8       the title
names      4       the organisation, the partners, the funders and recipients (names
                   in every language and acronyms)
labels     2       the classification labels, the countries and the tags
body       1       the summary, the answers, the other text sections, sources' titles
=========  ======  ==================================================================

For the query's words w1 … wn (stemmed for the version's language; the last one is a
prefix when the query ends on a bare word, as for matching):

1. **proximity**: for each pair of consecutive words (wi, wi+1), the weight of the best
   field where wi is immediately followed by wi+1; summed over the pairs (0 for one word);
2. **coverage**: for each word, the weights of the fields that contain it, summed; summed
   over the words;
3. then the newest first (the entry's first publication, as `sort=newest`), then the id.

So an entry whose title says "regional fund" ranks above one whose title has "regional"
and "funded" apart, which ranks above one where both words are only in the body; and among
entries labelled "Mental health", those whose text also speaks of it come first. The score
is a pair of small integers, not a statistic of the collection: every engine computes the
same one (the database engines from the same Python analysis: the title, names and labels
from the in-memory snapshot, the body's words and adjacent pairs from the engine's own
index; Elasticsearch from constant-score clauses of the same weights,
engines/elasticsearch.py), and an entry's rank does not change when unrelated entries are
published.
"""

from array import array
from bisect import bisect_left, bisect_right, insort

from pyroaring import BitMap

from .analysis import LANGUAGES, analyse

#: Field -> weight; the in-memory fields (all but the body) in the order they are stored.
WEIGHTS = {"title": 8, "names": 4, "labels": 2, "body": 1}
MEMORY_FIELDS = ("title", "names", "labels")
_FIELD_SEPARATOR, _PIECE_SEPARATOR = "\n", "\t"
_PREFIX_END = "\U0010ffff"


def field_texts(document):
    """The texts of each field of an EntryDocument, each a list of pieces (a piece is one
    title, one name, one label: words are adjacent only within a piece)."""
    return {
        "title": [document.title],
        "names": [document.organisation, document.partners, *document.names],
        "labels": list(document.labels),
        "body": [
            document.summary,
            *document.answers,
            *document.details,
            *document.sources,
        ],
    }


def piece_keys(terms):
    """The keys of a piece's stemmed words: the words, and each pair of adjacent words as
    `first_second` (words never hold an underscore)."""
    return {*terms, *(f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False))}


def rank_text(document):
    """What SearchDocument.rank_text stores of an EntryDocument for the in-memory ranking,
    one field a line: the distinct keys (piece_keys) of the title and of the names, and the
    labels as stemmed pieces, separated by tabs (documents share labels: the snapshot reads
    each distinct label once)."""
    texts = field_texts(document)
    language = document.language
    pieces = {
        name: [terms for piece in texts[name] if piece and (terms := analyse(piece, language))]
        for name in MEMORY_FIELDS
    }
    own = [
        " ".join(sorted(set().union(*(piece_keys(terms) for terms in pieces[name]))))
        for name in ("title", "names")
    ]
    labels = _PIECE_SEPARATOR.join(" ".join(terms) for terms in pieces["labels"])
    return _FIELD_SEPARATOR.join([*own, labels])


def body_terms(text, language):
    """The stemmed words of a body text and its adjacent words as `first_second` (words
    never hold an underscore): what the PostgreSQL engine indexes to find a word or two
    adjacent words in the body without reading every vector."""
    return sorted(piece_keys(analyse(text, language)))


def query_words(parsed, language):
    """The query's words stemmed for `language`, in order (phrases spread out)."""
    result = []
    for kind, value in parsed.stemmed(language):
        result.extend([value] if kind == "word" else value)
    return result


class FieldIndex:
    """Stemmed word -> documents, and adjacent pair "first_second" -> documents, for the
    title, names and labels of every document; with each document's language.

    Built with the snapshot from SearchDocument.rank_text, and updated with it; never
    changed once a snapshot is published (`updated` makes a new one).
    """

    def __init__(self):
        self.terms = {name: {} for name in MEMORY_FIELDS}
        self.pairs = {name: {} for name in MEMORY_FIELDS}
        self.languages = {code: BitMap() for code in LANGUAGES}
        self._sorted = {}

    @classmethod
    def build(cls, rows):
        """From (id, language, rank_text) rows."""
        index = cls()
        index._add(rows)
        return index

    def _add(self, rows):
        """Add (id, language, rank_text) rows. Documents share most of their labels (those
        of a term, a country, a tag): their ids are gathered per distinct label, and each
        label's words and pairs read once. Titles and names are mostly their document's
        own: their words go straight to the words' lists."""
        # field -> kind -> key -> (ids, bitmaps of the labels of several documents)
        gathered = {name: {"terms": {}, "pairs": {}} for name in MEMORY_FIELDS}
        labels = {}
        languages = {code: array("I") for code in LANGUAGES}
        for pk, language, text in rows:
            if language in languages:
                languages[language].append(pk)
            if not text:
                continue
            title, names, label_text = text.split(_FIELD_SEPARATOR)
            for name, keys in (("title", title), ("names", names)):
                for key in keys.split():
                    _lists(gathered[name], key)[0].append(pk)
            for piece in label_text.split(_PIECE_SEPARATOR) if label_text else ():
                ids = labels.get(piece)
                if ids is None:
                    ids = labels[piece] = array("I")
                ids.append(pk)
        for piece, ids in labels.items():
            bitmap = BitMap(ids)
            for key in piece_keys(piece.split()):
                _lists(gathered["labels"], key)[1].append(bitmap)
        labels.clear()
        copied = set()
        for name, kinds in gathered.items():
            for kind, found in kinds.items():
                current = getattr(self, kind)[name]
                keys = self._sorted.get((kind, name))
                for key, (ids, bitmaps) in found.items():
                    if ids:
                        bitmaps.append(BitMap(ids))
                    old = current.get(key)
                    if old is not None:
                        bitmaps.append(old)
                    elif keys is not None:  # a new key: in a copy of the sorted keys
                        if (kind, name) not in copied:
                            keys = self._sorted[(kind, name)] = list(keys)
                            copied.add((kind, name))
                        insort(keys, key)
                    current[key] = bitmaps[0] if len(bitmaps) == 1 else BitMap.union(*bitmaps)
                found.clear()
        for code, ids in languages.items():
            if ids:
                self.languages[code] = self.languages[code] | BitMap(ids)

    def updated(self, rows):
        """A new index: this one with these (id, language, rank_text) rows added; this one
        is left unchanged. The ids of documents removed (or replaced by new ones) are left
        in: ids are never reused, and every lookup is intersected with matching documents,
        so they are never found. Taking them out would mean testing every
        word's list (0.1 to 0.2 s at 100,000 entries); they go at the next rebuild."""
        new = FieldIndex()
        for kind in ("terms", "pairs"):
            for name in MEMORY_FIELDS:
                getattr(new, kind)[name] = dict(getattr(self, kind)[name])
        new.languages = dict(self.languages)
        new._sorted = dict(self._sorted)  # the lists are copied before a key is added
        new._add(rows)
        return new

    def _keys(self, kind, name):
        keys = self._sorted.get((kind, name))
        if keys is None:
            keys = self._sorted[(kind, name)] = sorted(getattr(self, kind)[name])
        return keys

    def lookup(self, kind, name, key, prefix=False):
        """The documents whose field `name` holds the word (kind "terms") or the adjacent
        pair "first_second" (kind "pairs") `key`; with `prefix`, any that begins with it."""
        table = getattr(self, kind)[name]
        if not prefix:
            return table.get(key) or BitMap()
        keys = self._keys(kind, name)
        found = keys[bisect_left(keys, key) : bisect_right(keys, key + _PREFIX_END)]
        return BitMap.union(*(table[k] for k in found)) if found else BitMap()


def _lists(kinds, key):
    """The (ids, bitmaps) lists gathered for `key` in `kinds` (kind -> key -> lists): a
    pair's key holds an underscore, a word's none."""
    target = kinds["pairs" if "_" in key else "terms"]
    lists = target.get(key)
    if lists is None:
        lists = target[key] = (array("I"), [])
    return lists


def _join(groups, score, members):
    """Add `members` to the group of `score` in `groups` (score -> BitMap)."""
    groups[score] = groups[score] | members if score in groups else members


def _refine(groups, bitmap, delta):
    """Split each group of `groups` (score -> BitMap) by `bitmap`: its documents in it have
    `delta` added to their score."""
    refined = {}
    for score, members in groups.items():
        inside = members & bitmap
        if inside:
            _join(refined, (score[0] + delta[0], score[1] + delta[1]), inside)
            members = members - inside
        if members:
            _join(refined, score, members)
    return refined


def score_groups(parsed, matching, field_index, body_has):
    """The documents of `matching` (a BitMap) grouped by their score: {(proximity,
    coverage): BitMap}. Computed with bitmaps, field by field, not document by document.

    `body_has(requests)` is the engine's: for each (language, words, prefix, candidates)
    request, the documents among `candidates` whose body holds `words` (one word, or two
    adjacent), the last one as a prefix with `prefix`; it may return others. It is asked
    twice: for the pairs, then for the words.
    """
    plans = []  # (language, documents, words, word levels, pair levels)
    pair_requests = []
    unscored = BitMap(matching)
    for language in LANGUAGES:
        docs = matching & field_index.languages[language]
        words = query_words(parsed, language) if docs else []
        if not words:
            continue
        unscored -= docs
        last = len(words) - 1
        word_levels = [
            {
                name: field_index.lookup("terms", name, word, parsed.prefix_last and i == last)
                & docs
                for name in MEMORY_FIELDS
            }
            for i, word in enumerate(words)
        ]
        pair_levels = []
        for i in range(last):
            prefix = parsed.prefix_last and i + 1 == last
            levels = {
                name: field_index.lookup("pairs", name, f"{words[i]}_{words[i + 1]}", prefix) & docs
                for name in MEMORY_FIELDS
            }
            pair_requests.append(
                (language, words[i : i + 2], prefix, docs - BitMap.union(*levels.values()))
            )
            pair_levels.append(levels)
        plans.append((language, docs, words, word_levels, pair_levels))

    for levels, found in zip(
        (levels for plan in plans for levels in plan[4]), body_has(pair_requests), strict=True
    ):
        levels["body"] = found
    word_requests = []
    for language, docs, words, word_levels, pair_levels in plans:
        # A document with no word outside the body, nor two adjacent in it, holds every
        # word in the body: only the others are looked up.
        scored = BitMap.union(
            *(bitmap for levels in (*word_levels, *pair_levels) for bitmap in levels.values())
        )
        last = len(words) - 1
        for i, levels in enumerate(word_levels):
            levels["body"] = docs - scored
            if scored:
                prefix = parsed.prefix_last and i == last
                word_requests.append((levels, (language, words[i : i + 1], prefix, scored)))
    requests = [request for _levels, request in word_requests]
    for (levels, request), found in zip(word_requests, body_has(requests), strict=True):
        levels["body"] = levels["body"] | (found & request[3])

    groups = {}
    for _language, docs, _words, word_levels, pair_levels in plans:
        language_groups = {(0, 0): docs}
        for levels in pair_levels:  # the best field only: each level without the higher ones
            higher = BitMap()
            for name in (*MEMORY_FIELDS, "body"):
                level = levels[name] - higher
                if level:
                    language_groups = _refine(language_groups, level, (WEIGHTS[name], 0))
                higher |= levels[name]
        for levels in word_levels:  # every field that holds the word
            for name in (*MEMORY_FIELDS, "body"):
                if levels[name]:
                    language_groups = _refine(language_groups, levels[name], (0, WEIGHTS[name]))
        for score, members in language_groups.items():
            _join(groups, score, members)
    if unscored:  # documents without words in their language
        _join(groups, (0, 0), unscored)
    return groups


def relevance_order(parsed, matching, field_index, body_has, newest_order, needed=None):
    """The ids of `matching` by relevance (see the module's docstring), at least the first
    `needed` of them (all with None). `newest_order(bitmap, needed)` orders a set of ids
    newest first."""
    groups = score_groups(parsed, matching, field_index, body_has)
    ordered = []
    for score in sorted(groups, reverse=True):
        wanted = None if needed is None else needed - len(ordered)
        ordered.extend(newest_order(groups[score], wanted))
        if needed is not None and len(ordered) >= needed:
            break
    return ordered

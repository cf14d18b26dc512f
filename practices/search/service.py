"""search_practices(): the one entry point of the public search, for the page and the API.

The engine finds the documents matching the text; everything else happens in memory on
the process's snapshot of the index: the language view (each entry once), the filters
(OR within a key, AND across keys), the disjunctive facet counts, and the order.

With settings.ELASTICSEARCH_URL set, the cluster answers instead (engines/elasticsearch.py,
imported only then) and its answer is labelled here exactly as the database path's; when the
cluster fails, the database path answers.
"""

import math
from dataclasses import dataclass, field, replace

from django.utils.html import escape
from django.utils.safestring import mark_safe
from pyroaring import BitMap

from ..facets import CHOICE_FACETS, FACET_KEYS, FACET_LABELS, LANGUAGE_LABELS, YEAR_FACETS
from .analysis import LANGUAGES, WORD_RE, fold, parse_query, stem_words
from .engines import database_engine, elasticsearch_configured
from .memory import get_snapshot
from .models import SearchDocument
from .query import SearchQuery, parse_params
from .ranking import relevance_order

__all__ = [
    "FacetValue",
    "SearchQuery",
    "SearchResult",
    "SearchResults",
    "entry_result",
    "parse_search_params",
    "search_practices",
]

#: The facet keys returned with each result (`year` and `language` are single values).
RESULT_LIST_KEYS = tuple(key for key in FACET_KEYS if key not in ("year", "language"))
#: The closed facets that are not vocabularies -> every value, in order.
CLOSED_VALUES = {
    "language": LANGUAGES,
    "available_in": LANGUAGES,
    **{key: tuple(choices.values) for key, choices in CHOICE_FACETS.items()},
}
#: The single-value facets a result shows as badges: provenance first, always given.
RESULT_BADGE_KEYS = ("provenance", "status", "participation")
SNIPPET_LENGTH = 280
_EMPTY = BitMap()
_SNIPPET_SCAN_LIMIT = 6000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    id: str
    url: str
    title: str
    summary: str
    lang: str
    language: str
    translated: bool
    year: int | None
    organisation: str
    classification: dict
    #: HTML-safe extract with the matching words in <mark>.
    snippet: str = ""
    #: Facet key -> [(value, label in the reader's language)] for display.
    labels: dict = field(default_factory=dict)
    #: The sum of the USD equivalents of its funding rows that have one, or None.
    funding_total_usd: float | None = None

    @property
    def badges(self):
        """(facet key, facet label, value label) of the status and participation level
        given, for the badges of the result; labelled in the active language."""
        return [
            (key, FACET_LABELS[key], label)
            for key in RESULT_BADGE_KEYS[1:]
            for _value, label in self.labels.get(key, [])
        ]

    @property
    def language_name(self):
        """Name of the version's language, in the active language."""
        return LANGUAGE_LABELS.get(self.lang, self.lang)

    @property
    def original_language_name(self):
        return LANGUAGE_LABELS.get(self.language, self.language)


@dataclass
class SearchResults:
    query: SearchQuery
    count: int
    results: list
    facets: dict
    #: The engine that answered: "database" or "elasticsearch".
    engine: str = "database"

    @property
    def page(self):
        return self.query.page

    @property
    def page_size(self):
        return self.query.page_size

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.page_size))


#: Elasticsearch pages through the first 10,000 hits only; deeper pages come from the database.
ELASTICSEARCH_MAX_WINDOW = 10_000


def parse_search_params(params, lang=None, strict=False):
    """(SearchQuery, errors) from a QueryDict (see query.parse_params), the vocabularies'
    slugs checked against the snapshot."""
    return parse_params(params, get_snapshot().vocabulary_slugs, lang=lang, strict=strict)


def search_practices(query):
    """Search the published entries for `query` (a valid SearchQuery).

    Returns SearchResults: the page of results in `query.lang` (each entry once: its
    version in that language, else its original), the total and every facet's counts.
    The engine is the database's unless settings.ELASTICSEARCH_URL is set; an unreachable
    or failing cluster is answered from the database (see `search_with_fallback`).
    """
    if _uses_elasticsearch(query):
        return elasticsearch_search(query)
    return database_search(query)


def counts_by_value(query, key, values, count_key=None):
    """For each of `values` of facet `key`: (how many entries match `query` with its filter on
    `key` replaced by that one value, and the counts of facet `count_key` among them, or
    None). What `search_practices` would count for each value, without a search per value
    on the database engine."""
    if _uses_elasticsearch(query):
        answers = {}
        for value in values:
            filters = {**query.filters, key: [value]}
            found = search_practices(replace(query, filters=filters, page=1, page_size=1))
            answers[value] = (found.count, found.facets.get(count_key) if count_key else None)
        return answers
    matched = _match(query)
    snapshot = matched.snapshot
    others = _intersect(matched.base, (s for k, s in matched.selections.items() if k != key))
    bitmaps = snapshot.facets[key]
    answers = {}
    for value in values:
        scope = others & bitmaps.get(str(value), _EMPTY)
        counts = _facet_counts(snapshot, count_key, scope, query.lang) if count_key else None
        answers[value] = (len(scope), counts)
    return answers


def _uses_elasticsearch(query):
    return elasticsearch_configured() and (query.page * query.page_size <= ELASTICSEARCH_MAX_WINDOW)


def elasticsearch_search(query, engine=None):
    """Search with Elasticsearch (`engine`, else the configured one); a failing cluster is
    answered from the database (see `search_with_fallback`)."""
    from .engines.elasticsearch import search_with_fallback

    answer = search_with_fallback(query, fallback=database_search, engine=engine)
    if isinstance(answer, SearchResults):  # the cluster failed (logged): the database answered
        return answer
    return results_from_engine(query, answer)


def results_from_engine(query, answer):
    """SearchResults from the Elasticsearch engine's answer, labelled like the database's."""
    snapshot = get_snapshot()
    lang = query.lang
    facets = {
        key: [
            FacetValue(str(item["value"]), snapshot.label(key, item["value"], lang), item["count"])
            for item in answer["facets"].get(key, [])
        ]
        for key in FACET_KEYS
    }
    results = []
    for hit in answer["results"]:
        # Elasticsearch keeps every facet value as a keyword: years back to numbers, as the
        # database engine's documents hold them.
        classification = {
            key: [int(value) if key in YEAR_FACETS else value for value in hit.get(key) or []]
            for key in RESULT_LIST_KEYS
        }
        results.append(
            SearchResult(
                id=hit["id"],
                url=hit["url"],
                title=hit["title"],
                summary=hit["summary"],
                lang=hit["lang"],
                language=hit["language"],
                translated=hit["translated"],
                year=hit["year"],
                organisation=hit["organisation"],
                classification=classification,
                snippet=mark_safe(hit["snippet"]),  # escaped by the engine, <mark> added
                labels=_result_labels(snapshot, classification, lang),
                funding_total_usd=hit.get("funding_total_usd"),
            )
        )
    return SearchResults(
        query=query, count=answer["count"], results=results, facets=facets, engine="elasticsearch"
    )


#: The facets each result shows: its cooperation models and countries, and as badges its
#: provenance, status and participation level.
RESULT_LABEL_KEYS = ("cooperation_model", "country", *RESULT_BADGE_KEYS)


def _result_labels(snapshot, classification, lang):
    return {
        key: [(value, snapshot.label(key, value, lang)) for value in classification.get(key, [])]
        for key in RESULT_LABEL_KEYS
    }


@dataclass
class _Matched:
    """What matching a query against the snapshot gives, before counting and ordering."""

    snapshot: object
    engine: object
    parsed: object
    #: The documents of the language view that match the text (all of them without text).
    base: BitMap
    #: Facet key -> the documents with one of the values asked for.
    selections: dict
    #: The documents that match the text and every filter.
    matching: BitMap


def _match(query):
    snapshot = get_snapshot()
    base = snapshot.visible[query.lang]
    parsed = parse_query(query.q)
    engine = database_engine()
    selections = {}
    for key, values in query.filters.items():
        bitmaps = snapshot.facets[key]
        selections[key] = BitMap.union(*(bitmaps.get(str(value), _EMPTY) for value in values))
    if parsed:
        base = base & engine.match(parsed, candidates=_candidates(base, selections))
    matching = _intersect(base, selections.values())
    return _Matched(snapshot, engine, parsed, base, selections, matching)


def matching_page_ids(query):
    """The page ids of every entry that matches `query` (no paging), each entry once in
    `query.lang` (its version in that language, else its original), newest first. Read
    from the database's documents, which are kept whichever engine answers searches."""
    matched = _match(query)
    ordered = _order(matched.snapshot, matched.engine, None, matched.matching, "newest")
    page_ids = {}
    for start in range(0, len(ordered), 2000):
        chunk = ordered[start : start + 2000]
        page_ids.update(SearchDocument.objects.filter(pk__in=chunk).values_list("pk", "page_id"))
    return [page_ids[pk] for pk in ordered if pk in page_ids]


def matching_documents(query):
    """(snapshot, document ids) of every entry that matches `query`, each entry once in
    `query.lang`, unordered: what counts and sums over the whole result need."""
    matched = _match(query)
    return matched.snapshot, matched.matching


def matching_version(query, entry_key):
    """The page id of the version of one entry (a UUID) that a search for `query` shows
    (its version in `query.lang`, else its original) when the entry matches `query`, else
    None: what the alerts of a followed search send (practices.alerts)."""
    matching = _match(query).matching
    versions = SearchDocument.objects.filter(entry_key=entry_key).values_list("pk", "page_id")
    return next((page_id for pk, page_id in versions if pk in matching), None)


def ordered_document_ids(query):
    """The document ids of every entry that matches `query` (no paging), each entry once in
    `query.lang`, in the order of the database engine's pages of results: what the exports
    read, in chunks. Read from the database's documents, which are kept whichever engine
    answers searches."""
    matched = _match(query)
    return _order(
        matched.snapshot, matched.engine, matched.parsed, matched.matching, query.effective_sort
    )


def entry_result(entry_key, lang):
    """(SearchResult, page id) of one entry (a UUID) for readers of `lang`, as a search
    shows it: its version in `lang`, else its original; None when search does not show the
    entry."""
    snapshot = get_snapshot()
    shown = snapshot.visible[lang]
    ids = SearchDocument.objects.filter(entry_key=entry_key).values_list("pk", flat=True)
    pk = next((pk for pk in ids if pk in shown), None)
    if pk is None:
        return None
    document = SearchDocument.objects.get(pk=pk)
    return _result(snapshot, document, None, lang), document.page_id


def database_search(query):
    """Search the database engine's documents (SQLite FTS5 or PostgreSQL)."""
    lang = query.lang
    matched = _match(query)
    snapshot, engine, parsed = matched.snapshot, matched.engine, matched.parsed
    base, selections, matching = matched.base, matched.selections, matched.matching

    facets = {}
    for key in FACET_KEYS:
        if key in selections:
            scope = _intersect(base, (s for k, s in selections.items() if k != key))
        else:
            scope = matching
        facets[key] = _facet_counts(snapshot, key, scope, lang)

    start = (query.page - 1) * query.page_size
    ordered = _order(
        snapshot, engine, parsed, matching, query.effective_sort, start + query.page_size
    )
    page_ids = ordered[start : start + query.page_size]
    documents = SearchDocument.objects.in_bulk(page_ids)
    results = [_result(snapshot, documents[pk], parsed, lang) for pk in page_ids if pk in documents]
    return SearchResults(query=query, count=len(matching), results=results, facets=facets)


def _candidates(base, selections):
    """The documents whose text match can matter: those in the results or in the count of
    some facet value. Disjunctive counts of a key ignore that key's own filter, so that is
    every document that passes the filters of all keys but (at most) one."""
    if len(selections) < 2:  # with one key, every document of the language view counts
        return None
    return BitMap.union(
        *(_intersect(base, (s for k, s in selections.items() if k != key)) for key in selections)
    )


def _intersect(base, bitmaps):
    result = base
    for bitmap in bitmaps:
        result = result & bitmap
    return result


def _facet_counts(snapshot, key, scope, lang):
    bitmaps = snapshot.facets[key]
    if key in snapshot.vocabularies:
        return [
            FacetValue(
                slug,
                labels[lang] or labels["en"],
                scope.intersection_cardinality(bitmaps[slug]) if slug in bitmaps and scope else 0,
            )
            for slug, labels in snapshot.vocabularies[key]
        ]
    counted = []
    if scope:
        for value, bitmap in bitmaps.items():
            count = scope.intersection_cardinality(bitmap)
            if count:
                counted.append((value, count))
    closed_values = CLOSED_VALUES.get(key)
    if closed_values:  # the four languages, a funding row's types or statuses: in order
        present = dict(counted)
        return [
            FacetValue(value, snapshot.label(key, value, lang), present.get(value, 0))
            for value in closed_values
        ]
    if key in YEAR_FACETS:
        counted.sort(key=lambda item: -int(item[0]))
    else:
        counted.sort(key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, snapshot.label(key, value, lang), count) for value, count in counted]


def _order(snapshot, engine, parsed, matching, sort, needed=None):
    """The matching ids in order, at least the first `needed` of them."""
    if sort == "relevance" and parsed:
        return relevance_order(
            parsed,
            matching,
            snapshot.field_index,
            engine.body_has,
            lambda ids, wanted: _in_order(snapshot, ids, "newest", wanted),
            needed,
        )
    return _in_order(snapshot, matching, sort, needed)


def _in_order(snapshot, ids, sort, needed=None):
    """The ids of `ids` (a BitMap) in the precomputed order `sort`, at least the first
    `needed` of them."""
    name = sort if sort in snapshot.order else "newest"
    ordered = snapshot.ordered[name]
    wanted = needed or len(ids)
    # Walking the precomputed order costs about wanted * total / matching membership
    # tests; sorting the matching ids costs a Python sort: take the cheaper.
    if ids and wanted * len(ordered) < len(ids) * 40:
        found = []
        for pk in ordered:
            if pk in ids:
                found.append(pk)
                if len(found) >= wanted:
                    break
        return found
    return sorted(ids, key=snapshot.order[name].__getitem__)


def document_result(document, **fields):
    """The SearchResult of a document (a snapshot's or a SearchDocument row), with `fields`
    (organisation, snippet, labels) added."""
    classification = document.facets
    return SearchResult(
        id=str(document.entry_key),
        url=document.url,
        title=document.title,
        summary=document.summary,
        lang=document.language,
        language=document.original_language,
        translated=document.language != document.original_language,
        year=document.year,
        classification={key: list(classification.get(key, [])) for key in RESULT_LIST_KEYS},
        funding_total_usd=document.funding_total_usd,
        **fields,
    )


def _result(snapshot, document, parsed, lang):
    return document_result(
        document,
        organisation=document.organisation,
        snippet=highlight(document, parsed),
        labels=_result_labels(snapshot, document.facets, lang),
    )


def highlight(document, parsed):
    """An extract of the summary (or of the body where the words are) with <mark>s."""
    language = document.language
    if not parsed:
        return mark_safe(escape(_shorten(document.summary)))
    stems = set()
    for kind, value in parsed.stemmed(language):
        stems.update([value] if kind == "word" else value)
    prefix = None
    if parsed.prefix_last:
        last = parsed.stemmed(language)
        if last and last[-1][0] == "word":
            prefix = last[-1][1]

    def matches(word):
        stem = stem_words([fold(word)], language)[0] if word else ""
        return stem in stems or (prefix is not None and stem.startswith(prefix))

    for text in (document.summary, document.body_text[:_SNIPPET_SCAN_LIMIT]):
        spans = [m.span() for m in WORD_RE.finditer(text) if matches(m.group())]
        if spans:
            return mark_safe(_marked(text, spans))
    return mark_safe(escape(_shorten(document.summary)))


def _shorten(text, length=SNIPPET_LENGTH):
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def _marked(text, spans):
    first = spans[0][0]
    start = 0 if first < SNIPPET_LENGTH // 2 else text.rfind(" ", 0, first - 60) + 1
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > first else end
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts)

"""The Elasticsearch engine of the public search (used when ELASTICSEARCH_URL is set).

Same semantics as the database engine: the words of `q` are AND-ed, "quoted phrases" match
as phrases and the last word as a prefix, in the analyser of each version's language; each
entry appears once per language (its version in `lang` if published, else its original);
facet filters go to `post_filter` so that the aggregations can count disjunctively (the
counts of key K apply every filter but K's own).

Index names carry the environment prefix: documents live in a timestamped index reached
through the alias `<prefix>-practices`; a rebuild fills a new index and switches the alias
atomically, so search stays up during a rebuild.
"""

import html
import logging
import time
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from elasticsearch import (
    ApiError,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
    TransportError,
)
from elasticsearch.dsl import A, Q, Search
from elasticsearch.helpers import BulkIndexError, bulk

from practices.facets import CHOICE_FACETS, CLOSED_FACETS, FACET_KEYS, YEAR_FACETS

from ..analysis import parse_query
from ..es_documents import BODY_FIELDS, LANGUAGES, SNIPPET_FIELDS, build_index, language_field
from ..query import SearchQuery
from ..ranking import MEMORY_FIELDS, WEIGHTS
from . import elasticsearch_configured

logger = logging.getLogger(__name__)

__all__ = [
    "ElasticsearchEngine",
    "engine_errors",
    "elasticsearch_engine",
    "search_with_fallback",
]

OPEN_FACETS = tuple(key for key in FACET_KEYS if key not in CLOSED_FACETS)
#: Buckets asked for per facet: more than any closed vocabulary or open facet will hold.
FACET_SIZE = 2000
#: Elasticsearch refuses `from + size` beyond the index's max_result_window (10,000).
MAX_RESULT_WINDOW = 10_000
#: As the database engine's: a summary longer than this is cut at a word, with "…".
SNIPPET_LENGTH = 280
#: The ranking's proximity comes before its coverage (ranking.py): its weights are scaled
#: beyond any coverage (at most 8 + 4 + 2 + 1 per word, MAX_QUERY_CLAUSES words).
PROXIMITY_SCALE = 1000


#: The multi_match type of each match query type.
_MULTI_MATCH_TYPES = {
    "match": "best_fields",
    "match_bool_prefix": "bool_prefix",
    "match_phrase": "phrase",
    "match_phrase_prefix": "phrase_prefix",
}


def _in_field(kind, field, text, weight):
    """`weight` when `kind` (a match query type) finds `text` in `field` (a field name or a
    list of them), else nothing: a constant score."""
    if isinstance(field, (list, tuple)):
        query = Q("multi_match", query=text, fields=list(field), type=_MULTI_MATCH_TYPES[kind])
    else:
        query = Q(kind, **{field: {"query": text}})
    return Q("constant_score", filter=query, boost=weight)


def _best_field(kind, fields, text, scale):
    """The weight of the best field (ranking.WEIGHTS) that `kind` (a match query type)
    finds `text` in, times `scale`: a dis_max of constant scores."""
    return Q(
        "dis_max",
        queries=[
            _in_field(kind, field, text, WEIGHTS[name] * scale) for name, field in fields.items()
        ],
        tie_breaker=0,
    )


#: As the database engine: `newest` is the entry's latest first publication first, `oldest`
#: the earliest (the entry's: the earliest of its versions'); `year` the latest start year
#: first, entries without a year last, then as `newest`. The last key of every sort gives a
#: stable order between equal entries.
SORTS = {
    "relevance": [
        "_score",
        {"entry_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ],
    "newest": [
        {"entry_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ],
    "oldest": [
        {"entry_published_at": {"order": "asc", "missing": "_last"}},
        {"page_id": {"order": "asc"}},
    ],
    "year": [
        {"start_year": {"order": "desc", "missing": "_last"}},
        {"entry_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ],
    "title": [{"title.sort": {"order": "asc"}}, {"page_id": {"order": "asc"}}],
}

#: What an unreachable, slow or failing cluster raises.
engine_errors = (TransportError, ApiError, BulkIndexError)


class ElasticsearchEngine:
    def __init__(self, url, index_prefix, timeout=2.0, client=None):
        self.url = url
        self.index_prefix = index_prefix
        self.timeout = timeout
        self.alias = f"{index_prefix}-practices"
        self.client = client or Elasticsearch(
            url, request_timeout=timeout, max_retries=0, retry_on_timeout=False
        )
        self._index_checked = False

    @property
    def display_url(self):
        """The cluster's address without credentials (for messages and logs)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")

    # -- searching -----------------------------------------------------------------------

    def language_filter(self, lang):
        """Each entry once: its version in `lang` if published, else its original (or, while
        the original is unpublished, its oldest published version)."""
        return Q(
            "bool",
            should=[
                Q("term", lang=lang),
                Q(
                    "bool",
                    filter=[Q("term", is_fallback=True)],
                    must_not=[Q("term", available_languages=lang)],
                ),
            ],
            minimum_should_match=1,
        )

    def text_query(self, parsed):
        """The matching clause: every word (last one as a prefix) and every phrase, in the
        version's own language; a document only has text in its language's fields."""
        per_language = []
        for language in LANGUAGES:
            content = language_field(language, "content")
            must = []
            if parsed.typed_words:
                words = " ".join(parsed.typed_words)
                exact = Q(
                    "match",
                    **{content: {"query": words, "operator": "and", "zero_terms_query": "all"}},
                )
                if parsed.prefix_last:
                    prefix = Q(
                        "match_bool_prefix",
                        **{content: {"query": words, "operator": "and"}},
                    )
                    must.append(Q("bool", should=[exact, prefix], minimum_should_match=1))
                else:
                    must.append(exact)
            for phrase in parsed.typed_phrases:
                must.append(
                    Q("match_phrase", **{content: {"query": phrase, "zero_terms_query": "all"}})
                )
            per_language.append(Q("bool", filter=[Q("term", lang=language)], must=must))
        return Q("bool", should=per_language, minimum_should_match=1)

    def ranking_query(self, parsed):
        """Scoring only, as ranking.py: for each word the weights of the fields holding it,
        for each pair of consecutive words the weight of the best field where they are
        adjacent (times PROXIMITY_SCALE, so that proximity decides first), summed. Constant
        scores, so that the score is the same integer the database engines compute; the
        words are the query's folded words, which each language's analyser stems."""
        words = list(parsed.terms())
        if not words:
            return []
        last = len(words) - 1
        should = []
        for language in LANGUAGES:
            fields = {name: language_field(language, name) for name in MEMORY_FIELDS}
            fields["body"] = [language_field(language, name) for name in BODY_FIELDS]
            for i, word in enumerate(words):
                kind = "match_bool_prefix" if parsed.prefix_last and i == last else "match"
                should += [
                    _in_field(kind, field, word, WEIGHTS[name]) for name, field in fields.items()
                ]
            # Two adjacent words are found in the body through `content` (every field): where
            # they are adjacent in another field, that field's weight is the higher.
            fields["body"] = language_field(language, "content")
            for i in range(last):
                prefix = parsed.prefix_last and i + 1 == last
                kind = "match_phrase_prefix" if prefix else "match_phrase"
                pair = f"{words[i]} {words[i + 1]}"
                should.append(_best_field(kind, fields, pair, PROXIMITY_SCALE))
        return should

    def facet_filters(self, request):
        """Facet key -> its terms filter (OR within a key)."""
        return {
            key: Q("terms", **{key: [str(value) for value in values]})
            for key, values in request.filters.items()
            if key in FACET_KEYS and values
        }

    def build_search(self, request: SearchQuery) -> Search:
        """The whole request body (exposed for tests through `.to_dict()`)."""
        parsed = parse_query(request.q)
        base_filters = [Q("term", live=True), self.language_filter(request.lang)]
        if parsed:
            query = Q(
                "bool",
                filter=[*base_filters, self.text_query(parsed)],
                should=self.ranking_query(parsed),
            )
        else:
            query = Q("bool", filter=base_filters)
        search = Search(using=self.client, index=self.alias).query(query)

        filters = self.facet_filters(request)
        if filters:
            search = search.post_filter(Q("bool", filter=list(filters.values())))
        for key in FACET_KEYS:
            others = [clause for other, clause in filters.items() if other != key]
            scope = Q("bool", filter=others) if others else Q("match_all")
            if key in YEAR_FACETS:
                order = {"_key": "desc"}
            elif key in OPEN_FACETS:
                order = [{"_count": "desc"}, {"_key": "asc"}]
            else:
                order = {"_key": "asc"}
            search.aggs.bucket(key, A("filter", filter=scope)).bucket(
                "values", "terms", field=key, size=FACET_SIZE, order=order
            )

        search = search.sort(*SORTS[request.effective_sort])
        size = max(min(request.page_size, 100), 1)
        offset = request.offset
        if offset + size > MAX_RESULT_WINDOW:
            offset, size = 0, 0  # beyond what the cluster pages through: counts only
        search = search.extra(from_=offset, size=size, track_total_hits=True)
        if parsed:
            search = search.highlight_options(
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                encoder="html",
                require_field_match=False,
                fragment_size=SNIPPET_LENGTH // 2,
                number_of_fragments=2,
                no_match_size=0,
            ).highlight(
                *[
                    language_field(language, name)
                    for language in LANGUAGES
                    for name in SNIPPET_FIELDS
                ]
            )
        return search

    def search(self, request: SearchQuery) -> dict:
        response = self.build_search(request).execute()
        aggregations = response.aggregations.to_dict()
        return {
            "count": response.hits.total.value,
            "results": [self._result(hit, request) for hit in response.hits],
            "facets": self._facets(aggregations),
        }

    def _result(self, hit, request):
        source = hit.to_dict()
        language = (source.get("language") or [source["lang"]])[0]
        result = {
            "id": source["translation_key"],
            "page_id": source["page_id"],
            "url": source.get("url", ""),
            "title": source.get("title", ""),
            "summary": source.get("summary", ""),
            "lang": source["lang"],
            "language": language,
            # As CONTRACT.md: the version is in another language than the entry's original
            # (also when the original is unpublished and another version stands in for it).
            "translated": source["lang"] != language,
            "year": int(source["year"][0]) if source.get("year") else None,
            "organisation": source.get("organisation", ""),
            "first_published_at": source.get("first_published_at"),
            "funding_total_usd": source.get("funding_total_usd"),
        }
        for key in FACET_KEYS:
            if key not in ("year", "language"):
                result[key] = list(source.get(key) or [])
        result["snippet"] = self._snippet(hit, source)
        return result

    def _snippet(self, hit, source):
        highlight = getattr(hit.meta, "highlight", None)
        if highlight is not None:
            highlight = highlight.to_dict()
            for name in SNIPPET_FIELDS:
                fragments = highlight.get(language_field(source["lang"], name))
                if fragments:
                    return " … ".join(fragments)
        summary = source.get("summary") or ""
        if len(summary) > SNIPPET_LENGTH:
            summary = summary[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + "…"
        return html.escape(summary)

    def _facets(self, aggregations):
        order = vocabulary_order()
        facets = {}
        for key in FACET_KEYS:
            buckets = aggregations.get(key, {}).get("values", {}).get("buckets", [])
            counts = {str(bucket["key"]): bucket["doc_count"] for bucket in buckets}
            if key in CLOSED_FACETS:
                values = list(order.get(key, ()))
                values += sorted(value for value in counts if value not in values)
                facets[key] = [{"value": value, "count": counts.get(value, 0)} for value in values]
            else:
                # Values are strings, as the database engine's (the API shows years as numbers).
                facets[key] = [
                    {"value": str(bucket["key"]), "count": n}
                    for bucket in buckets
                    if (n := bucket["doc_count"])
                ]
        return facets

    # -- indexing ------------------------------------------------------------------------

    def new_index_name(self):
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def create_index(self, name):
        build_index(name).create(using=self.client)

    def ensure_index(self):
        """Create the index and its alias if the alias does not exist yet (first publish)."""
        if self._index_checked:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            # A fixed name, so that two workers publishing at once create a single index.
            name = f"{self.alias}-initial"
            try:
                self.create_index(name)
            except BadRequestError as error:
                if error.error != "resource_already_exists_exception":
                    raise
            self.client.indices.put_alias(index=name, name=self.alias)
        self._index_checked = True

    def bulk(self, actions, refresh=False):
        actions = list(actions)
        if not actions:
            return
        _, errors = bulk(self.client, actions, refresh=refresh, raise_on_error=False)
        # Deleting a document that is not in the index is fine; anything else is not.
        errors = [e for e in errors if e.get("delete", {}).get("status") != 404]
        if errors:
            raise BulkIndexError(f"{len(errors)} document(s) failed to index", errors)

    def index_ready(self):
        """The alias points to a complete index (after a rebuild): no need to check it."""
        self._index_checked = True

    def alias_exists(self):
        return bool(self.client.indices.exists_alias(name=self.alias))

    def delete_all(self):
        """Remove the alias and every index behind it (used by tests with their own prefix)."""
        try:
            indices = list(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return
        for index in indices:
            self.client.indices.delete(index=index, ignore_unavailable=True)


def vocabulary_order():
    """Closed facet key -> its values in vocabulary order (the language facet included)."""
    from practices.models.taxonomy import VOCABULARIES

    order = {
        key: list(model.objects.values_list("slug", flat=True))
        for key, model in VOCABULARIES.items()
    }
    order["language"] = order["available_in"] = [code for code, _name in settings.LANGUAGES]
    for key, choices in CHOICE_FACETS.items():
        order[key] = list(choices.values)
    return order


@lru_cache(maxsize=4)
def _engine(url, prefix, timeout):
    return ElasticsearchEngine(url, prefix, timeout=timeout)


def elasticsearch_engine():
    """The engine configured by the settings, or None when ELASTICSEARCH_URL is unset."""
    if not elasticsearch_configured():
        return None
    url = settings.ELASTICSEARCH_URL
    return _engine(
        url,
        settings.ELASTICSEARCH_INDEX_PREFIX,
        float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 2.0)),
    )


# -- graceful degradation -----------------------------------------------------------------

#: After a failure, the cluster is left alone for this long (seconds) so that every request
#: does not wait for the timeout again.
RETRY_AFTER = 30.0
_unavailable_until = 0.0


def reset_circuit():
    global _unavailable_until
    _unavailable_until = 0.0


def search_with_fallback(request, fallback, engine=None):
    """Search with Elasticsearch; if it is unset, unreachable, slow or failing, log a
    warning and answer with `fallback(request)` (the database engine)."""
    global _unavailable_until
    engine = engine or elasticsearch_engine()
    if engine is None:
        return fallback(request)
    if time.monotonic() < _unavailable_until:
        return fallback(request)
    try:
        return engine.search(request)
    except engine_errors as error:
        logger.warning(
            "Elasticsearch search failed (%s); answering from the database engine.", error
        )
    except Exception:
        logger.exception("Elasticsearch search failed; answering from the database engine.")
    _unavailable_until = time.monotonic() + RETRY_AFTER
    return fallback(request)

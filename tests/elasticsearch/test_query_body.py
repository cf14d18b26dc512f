"""The request bodies the engine sends, for representative requests (`to_dict()`).

These assert the properties that give the contract's semantics (AND of words, phrases,
prefix, language fallback, post_filter, disjunctive aggregations, sort, paging, snippet),
not a frozen copy of the body.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.facets import FACET_KEYS
from practices.search.analysis import MAX_QUERY_CLAUSES, parse_query
from practices.search.es_documents import LANGUAGES
from practices.search.query import SearchQuery

THREE_FILTERS = {
    "cooperation_model": ("regional-funds", "south-south-cooperation"),
    "region": ("africa",),
    "country": ("SN", "KE"),
}


def body(engine, **kwargs):
    return engine.build_search(SearchQuery(**kwargs)).to_dict()


def find(node, name):
    """Every sub-dict keyed `name` anywhere in the body."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name:
                found.append(value)
            found.extend(find(value, name))
    elif isinstance(node, list):
        for item in node:
            found.extend(find(item, name))
    return found


def text_query(query_body):
    """The matching clause of the text: a filter (it does not score; see `should`)."""
    (found,) = [
        clause
        for clause in query_body["query"]["bool"]["filter"]
        if "bool" in clause and any("must" in c.get("bool", {}) for c in clause["bool"]["should"])
    ]
    return found


def language_clauses(query_body):
    """The per-language matching clauses of the text query: language -> its `must` list."""
    matching = text_query(query_body)
    clauses = {}
    for clause in matching["bool"]["should"]:
        (language_term,) = clause["bool"]["filter"]
        clauses[language_term["term"]["lang"]] = clause["bool"]["must"]
    assert matching["bool"]["minimum_should_match"] == 1
    return clauses


def assert_language_fallback(query_body, lang):
    filters = query_body["query"]["bool"]["filter"]
    assert {"term": {"live": True}} in filters
    fallback = [
        f
        for f in filters
        if "bool" in f and {"term": {"lang": lang}} in f["bool"].get("should", [])
    ]
    assert len(fallback) == 1
    should = fallback[0]["bool"]["should"]
    assert {"term": {"lang": lang}} in should
    original = next(clause for clause in should if "bool" in clause)["bool"]
    assert original["filter"] == [{"term": {"is_fallback": True}}]
    assert original["must_not"] == [{"term": {"available_languages": lang}}]
    assert fallback[0]["bool"]["minimum_should_match"] == 1


# -- text only ------------------------------------------------------------------------------


def test_text_only_ands_the_words_in_each_versions_language(offline_engine):
    result = body(offline_engine, q="regional funds rehab", lang="fr")
    clauses = language_clauses(result)
    assert set(clauses) == set(LANGUAGES)
    for language, must in clauses.items():
        field = f"text.{language}.content"
        (words,) = must
        alternatives = words["bool"]["should"]
        exact = next(a["match"][field] for a in alternatives if "match" in a)
        prefix = next(
            a["match_bool_prefix"][field] for a in alternatives if "match_bool_prefix" in a
        )
        assert exact["query"] == prefix["query"] == "regional funds rehab"
        assert exact["operator"] == prefix["operator"] == "and"
    assert_language_fallback(result, "fr")
    assert "post_filter" not in result
    assert result["sort"][0] == "_score"
    assert result["from"] == 0 and result["size"] == 20
    assert result["track_total_hits"] is True


def constant_score(clause):
    """(field or fields, query type, boost) of a constant-score clause."""
    score = clause["constant_score"]
    ((kind, target),) = score["filter"].items()
    if kind == "multi_match":
        return tuple(target["fields"]), target["type"], score["boost"]
    ((field, _options),) = target.items()
    return field, kind, score["boost"]


def test_the_score_is_the_rankings_weights(offline_engine):
    """The ranking of ranking.py: per word the weights of the fields holding it, per pair
    of adjacent words the best field's weight scaled above any coverage; constant scores
    only, so that the score is the same integer as on the database engines."""
    result = body(offline_engine, q="regional fund", lang="en")
    should = result["query"]["bool"]["should"]
    words = [constant_score(c) for c in should if "constant_score" in c]
    pairs = [c["dis_max"] for c in should if "dis_max" in c]
    assert len(words) == len(LANGUAGES) * 2 * 4  # two words, four fields
    assert len(pairs) == len(LANGUAGES)  # one pair
    english = [w for w in words if "text.en." in str(w[0])]
    body_fields = ("text.en.summary", "text.en.answers", "text.en.details")
    assert english[:4] == [
        ("text.en.title", "match", 8),
        ("text.en.names", "match", 4),
        ("text.en.labels", "match", 2),
        (body_fields, "best_fields", 1),
    ]
    assert english[4:] == [  # the last word as typed so far
        ("text.en.title", "match_bool_prefix", 8),
        ("text.en.names", "match_bool_prefix", 4),
        ("text.en.labels", "match_bool_prefix", 2),
        (body_fields, "bool_prefix", 1),
    ]
    (english_pair,) = [p for p in pairs if "text.en." in json.dumps(p)]
    assert english_pair["tie_breaker"] == 0  # the best field only
    assert [constant_score(c) for c in english_pair["queries"]] == [
        ("text.en.title", "match_phrase_prefix", 8000),
        ("text.en.names", "match_phrase_prefix", 4000),
        ("text.en.labels", "match_phrase_prefix", 2000),
        ("text.en.content", "match_phrase_prefix", 1000),
    ]
    assert (8 + 4 + 2 + 1) * MAX_QUERY_CLAUSES < 1000  # proximity decides first
    # Scoring clauses never restrict the matches: the text query is a filter.
    assert "minimum_should_match" not in result["query"]["bool"]
    assert "must" not in result["query"]["bool"]
    quoted = body(offline_engine, q='"regional fund"', lang="en")["query"]["bool"]["should"]
    kinds = {constant_score(c)[1] for c in quoted if "constant_score" in c}
    kinds |= {
        constant_score(q)[1] for c in quoted if "dis_max" in c for q in c["dis_max"]["queries"]
    }
    assert kinds == {"match", "best_fields", "match_phrase"}  # a quoted phrase is no prefix


def test_quoted_phrases_match_as_phrases_and_stop_the_prefix(offline_engine):
    result = body(offline_engine, q='fund "service provider training"', lang="en")
    must = language_clauses(result)["en"]
    phrases = [
        clause["match_phrase"]["text.en.content"]["query"]
        for clause in must
        if "match_phrase" in clause
    ]
    assert phrases == ["service provider training"]
    words = [clause for clause in must if "match" in clause]
    assert words == [
        {
            "match": {
                "text.en.content": {"query": "fund", "operator": "and", "zero_terms_query": "all"}
            }
        }
    ]
    assert not find(text_query(result), "match_bool_prefix")


def test_query_text_is_sent_as_text_never_as_query_syntax(offline_engine):
    text = 'a AND (b OR c*) -d ^e NEAR f "'
    result = json.dumps(body(offline_engine, q=text))
    assert "query_string" not in result
    assert "simple_query_string" not in result
    assert "regexp" not in result and "wildcard" not in result


def test_snippet_highlighting_is_escaped_html_with_mark(offline_engine):
    result = body(offline_engine, q="fund", lang="ar")
    highlight = result["highlight"]
    assert highlight["pre_tags"] == ["<mark>"] and highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    for language in LANGUAGES:
        assert f"text.{language}.summary" in highlight["fields"]
        assert f"text.{language}.answers" in highlight["fields"]


# -- text and three filters -------------------------------------------------------------------


@pytest.fixture
def filtered(offline_engine):
    return body(
        offline_engine,
        q="fondo regional",
        filters=THREE_FILTERS,
        lang="es",
        sort="newest",
        page=3,
        page_size=10,
    )


def test_facet_filters_are_post_filters_not_query_filters(filtered):
    post = filtered["post_filter"]["bool"]["filter"]
    assert {"terms": {"cooperation_model": ["regional-funds", "south-south-cooperation"]}} in post
    assert {"terms": {"region": ["africa"]}} in post
    assert {"terms": {"country": ["SN", "KE"]}} in post
    assert len(post) == 3
    assert not find(filtered["query"], "terms")


def test_each_facet_aggregation_applies_every_filter_but_its_own(filtered):
    aggs = filtered["aggs"]
    assert set(aggs) == set(FACET_KEYS)
    all_filters = {json.dumps(f, sort_keys=True) for f in filtered["post_filter"]["bool"]["filter"]}
    for key in FACET_KEYS:
        scope = aggs[key]["filter"]
        applied = {json.dumps(f, sort_keys=True) for f in scope["bool"]["filter"]}
        own = {f for f in all_filters if f'"{key}"' in f}
        assert applied == all_filters - own, key
        terms = aggs[key]["aggs"]["values"]["terms"]
        assert terms["field"] == key
        assert terms["size"] >= 1000


def test_facet_counts_respect_the_language_fallback(filtered):
    # The fallback is part of the query, so aggregations count each entry once.
    assert_language_fallback(filtered, "es")


def test_open_facets_by_count_and_year_newest_first(filtered):
    aggs = filtered["aggs"]
    assert aggs["year"]["aggs"]["values"]["terms"]["order"] == {"_key": "desc"}
    for key in ("country", "tag"):
        assert aggs[key]["aggs"]["values"]["terms"]["order"][0] == {"_count": "desc"}


def test_sort_and_paging(filtered):
    # Newest as the database engine: the entry's first publication, then the latest page.
    assert filtered["sort"] == [
        {"entry_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ]
    assert filtered["from"] == 20
    assert filtered["size"] == 10


def test_facet_aggregations_without_filters_count_everything(offline_engine):
    result = body(offline_engine, q="")
    for key in FACET_KEYS:
        assert result["aggs"][key]["filter"] == {"match_all": {}}


# -- filters only, sorts, paging limits --------------------------------------------------------


def test_filters_only_has_no_text_query_and_sorts_by_newest(offline_engine):
    result = body(offline_engine, filters={"language": ("ar",)}, sort="relevance")
    assert "must" not in result["query"]["bool"]
    assert "highlight" not in result
    assert result["sort"][0] == {"entry_published_at": {"order": "desc", "missing": "_last"}}
    assert result["post_filter"] == {"bool": {"filter": [{"terms": {"language": ["ar"]}}]}}


def test_without_a_query_the_default_order_is_the_entry_s_first_publication(offline_engine):
    for sort in ("", "relevance", "newest"):
        result = body(offline_engine, sort=sort or "relevance")
        assert result["sort"] == [
            {"entry_published_at": {"order": "desc", "missing": "_last"}},
            {"page_id": {"order": "desc"}},
        ]
        assert not find(result["sort"], "start_year")


def test_available_in_is_a_disjunctive_filter_like_the_others(offline_engine):
    result = body(
        offline_engine,
        filters={"available_in": ("fr", "es"), "region": ("africa",)},
        lang="fr",
    )
    post = result["post_filter"]["bool"]["filter"]
    assert {"terms": {"available_in": ["fr", "es"]}} in post
    aggs = result["aggs"]
    # Its own counts ignore its filter; every other key's counts apply it.
    assert aggs["available_in"]["filter"] == {
        "bool": {"filter": [{"terms": {"region": ["africa"]}}]}
    }
    assert {"terms": {"available_in": ["fr", "es"]}} in aggs["region"]["filter"]["bool"]["filter"]
    terms = aggs["available_in"]["aggs"]["values"]["terms"]
    assert terms["field"] == "available_in" and terms["order"] == {"_key": "asc"}
    # The language fallback (each entry once) is another field, untouched by the filter.
    assert_language_fallback(result, "fr")


@pytest.mark.parametrize(
    "sort,first",
    [
        ("oldest", {"entry_published_at": {"order": "asc", "missing": "_last"}}),
        ("year", {"start_year": {"order": "desc", "missing": "_last"}}),
        ("title", {"title.sort": {"order": "asc"}}),
        ("relevance", "_score"),
    ],
)
def test_sorts(offline_engine, sort, first):
    sort_keys = body(offline_engine, q="fund", sort=sort)["sort"]
    assert sort_keys[0] == first
    # Every order ends on the page id, so that equal entries keep a stable order.
    assert "page_id" in sort_keys[-1]


def test_a_page_beyond_the_result_window_asks_for_counts_only(offline_engine):
    result = body(offline_engine, page=1000, page_size=100)
    assert result["size"] == 0
    assert result["from"] == 0


def test_unknown_filter_keys_are_ignored(offline_engine):
    result = body(offline_engine, filters={"contact_email": ("x@example.org",)})
    assert "post_filter" not in result


# -- parsing q ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q,words,phrases,prefix",
    [
        ("", (), (), False),
        ("fondos regionales", ("fondos", "regionales"), (), True),
        ('"fondo regional"', (), ("fondo regional",), False),
        ('training "regional fund" africa', ("training", "africa"), ("regional fund",), True),
        ('unbalanced "quote here', ("unbalanced", "quote", "here"), (), True),
        ("tab\tand\nnewline\x00", ("tab", "and", "newline"), (), True),
        ("* ^ - ( )", (), (), False),
        ("صندوق  إقليمي", ("صندوق", "إقليمي"), (), True),
    ],
)
def test_parse_query(q, words, phrases, prefix):
    parsed = parse_query(q)
    assert tuple(parsed.typed_words) == words
    assert tuple(parsed.typed_phrases) == phrases
    assert parsed.prefix_last is prefix


def test_parse_query_bounds_huge_input():
    parsed = parse_query("word " * 5000)
    assert 0 < len(parsed.typed_words) <= MAX_QUERY_CLAUSES


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.one_of(
        st.text(max_size=300),
        st.sampled_from(['"', '""', "*", "NEAR(", "-x", "^2", "(a OR b", "AND", "\x00\x1f", "ـ"]),
    ),
    lang=st.sampled_from(LANGUAGES),
    page=st.integers(min_value=1, max_value=10**6),
    page_size=st.integers(min_value=1, max_value=100),
    sort=st.sampled_from(("relevance", "newest", "oldest", "year", "title")),
)
def test_any_query_text_builds_a_valid_json_body(offline_engine, q, lang, page, page_size, sort):
    request = SearchQuery(q=q, lang=lang, page=page, page_size=page_size, sort=sort)
    result = json.loads(json.dumps(body(offline_engine, **request.__dict__)))
    assert result["from"] + result["size"] <= 10_000
    parsed = parse_query(q)
    for value in (*parsed.typed_words, *parsed.typed_phrases):
        assert value.strip() and "\x00" not in value

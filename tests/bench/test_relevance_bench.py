"""The relevance benchmark's metrics and judgments file (bench/relevance): no database."""

import json
import math

import pytest

from bench.relevance.metrics import (
    LANGUAGES,
    dcg,
    load_judgments,
    mean,
    ndcg_at,
    recall_at,
)
from practices.management.commands.seed_demo import DEMO_FILE

JUDGED = {"a": 3, "b": 2, "c": 1}


def test_dcg_uses_exponential_gain_and_log2_discount():
    # 7/log2(2) + 3/log2(3) + 1/log2(4)
    assert dcg([3, 2, 1]) == pytest.approx(7 + 3 / math.log2(3) + 0.5)
    assert dcg([]) == 0


def test_perfect_order_scores_one():
    assert ndcg_at(["a", "b", "c"], JUDGED) == pytest.approx(1.0)
    # unjudged results after every judged one cost nothing
    assert ndcg_at(["a", "b", "c", "x", "y"], JUDGED) == pytest.approx(1.0)


def test_reversed_order_exact_value():
    # DCG = 1 + 3/log2(3) + 7/2 = 6.392789...; ideal = 7 + 3/log2(3) + 1/2 = 9.392789...
    expected = (1 + 3 / math.log2(3) + 3.5) / (7 + 3 / math.log2(3) + 0.5)
    assert ndcg_at(["c", "b", "a"], JUDGED) == pytest.approx(expected)
    assert ndcg_at(["c", "b", "a"], JUDGED) == pytest.approx(0.680606, abs=1e-6)


def test_ndcg_ideal_comes_from_every_judgment_not_only_the_results():
    # only "a" found, at rank 1: 7 / ideal of all three
    assert ndcg_at(["a"], JUDGED) == pytest.approx(7 / (7 + 3 / math.log2(3) + 0.5))
    assert ndcg_at([], JUDGED) == 0.0
    assert ndcg_at(["x", "y"], JUDGED) == 0.0


def test_ndcg_cuts_at_k():
    ranked = [f"x{i}" for i in range(10)] + ["a", "b", "c"]
    assert ndcg_at(ranked, JUDGED, k=10) == 0.0
    assert ndcg_at(ranked, JUDGED, k=11) > 0


def test_recall_counts_every_grade_from_one():
    assert recall_at(["a", "b", "c"], JUDGED) == 1.0
    assert recall_at(["c", "x"], JUDGED) == pytest.approx(1 / 3)
    assert recall_at(["x"], JUDGED) == 0.0
    assert recall_at(["x"] * 20 + ["a"], JUDGED, k=20) == 0.0
    assert recall_at(["a"], {"a": 3, "z": 0}) == 1.0  # grade 0 is not relevant
    assert recall_at(["a"], {}) == 0.0


def test_mean():
    assert mean([1.0, 0.5]) == 0.75
    assert mean([]) == 0.0


@pytest.fixture(scope="module")
def queries():
    return load_judgments()


def test_judgments_cover_the_four_languages(queries):
    assert len(queries) >= 40
    for lang in LANGUAGES:
        assert sum(query["lang"] == lang for query in queries) >= 10, lang
    assert {query["lang"] for query in queries} <= set(LANGUAGES)


def test_every_query_is_well_formed(queries):
    ids = [query["id"] for query in queries]
    assert len(ids) == len(set(ids))
    for query in queries:
        assert query["q"].strip() and query["kind"], query["id"]
        assert query["judgments"], query["id"]
        assert set(query["judgments"].values()) <= {1, 2, 3}, query["id"]


def test_every_judged_slug_is_a_demo_entry(queries):
    slugs = {record["slug"] for record in json.loads(DEMO_FILE.read_text(encoding="utf-8"))}
    for query in queries:
        unknown = set(query["judgments"]) - slugs
        assert not unknown, (query["id"], unknown)


def test_the_regional_fund_queries_are_there(queries):
    asked = {(query["lang"], query["q"]) for query in queries}
    assert {
        ("en", "regional fund"),
        ("es", "fondos regionales"),
        ("fr", "fonds régional"),
        ("ar", "صندوق إقليمي"),
    } <= asked

"""Ranking metrics of the relevance benchmark (bench/relevance_bench.py).

Grades are 0 to 3 (bench/relevance/judgments.json); an entry that is not judged is 0.
"""

import json
import math
from pathlib import Path

JUDGMENTS_FILE = Path(__file__).resolve().with_name("judgments.json")
LANGUAGES = ("en", "fr", "es", "ar")


def gain(grade):
    """The gain of one result: 2^grade - 1 (0, 1, 3, 7)."""
    return 2**grade - 1


def dcg(grades):
    """Discounted cumulative gain of grades in rank order (rank 1 first): log2 discount."""
    return sum(gain(grade) / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def ndcg_at(ranked, judgments, k=10):
    """nDCG@k of `ranked` (entry identifiers, best first) against `judgments` (identifier ->
    grade). The ideal order is every judged entry, highest grade first. 0.0 when nothing is
    judged relevant (no ideal gain)."""
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgments.get(item, 0) for item in ranked[:k]]) / ideal


def recall_at(ranked, judgments, k=20):
    """The share of the relevant entries (grade >= 1) found among the first k of `ranked`;
    0.0 when nothing is judged relevant."""
    relevant = {item for item, grade in judgments.items() if grade >= 1}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def load_judgments(path=JUDGMENTS_FILE):
    """The queries of the judgments file: [{"id", "lang", "q", "kind", "judgments"}]."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]

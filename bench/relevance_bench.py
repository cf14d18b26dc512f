#!/usr/bin/env python
"""Relevance benchmark of the public search against graded judgments of the demo entries.

    .venv/bin/python bench/relevance_bench.py [--verbose] [--json out.json]
    .venv/bin/python bench/relevance_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/alz_relevance

Without --database-url, a scratch SQLite file (bench/relevance.sqlite3) is migrated and
seeded with the demo (seed_demo, illustrative samples shown), or reused when already seeded.
Each query of bench/relevance/judgments.json goes through parse_search_params and
search_practices (q, lang, sort=relevance, page_size=20), as the page and the API do, on the
database engine (ELASTICSEARCH_URL is ignored). Each result is mapped to the slug of the
original version of its entry, then scored: nDCG@10 (gain 2^grade - 1, log2 discount, ideal
from all the query's judgments) and recall@20 (relevant: grade >= 1).
"""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.relevance.metrics import (  # noqa: E402
    JUDGMENTS_FILE,
    LANGUAGES,
    load_judgments,
    mean,
    ndcg_at,
    recall_at,
)

DEFAULT_DATABASE = f"sqlite:///{ROOT / 'bench' / 'relevance.sqlite3'}"
PAGE_SIZE = 20


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kb.settings.dev"
    os.environ["SHOW_ILLUSTRATIVE"] = "1"
    os.environ.pop("ELASTICSEARCH_URL", None)  # the database engine answers
    import django

    django.setup()


def demo_slugs():
    from practices.management.commands.seed_demo import DEMO_FILE

    return [record["slug"] for record in json.loads(DEMO_FILE.read_text(encoding="utf-8"))]


def ensure_demo(slugs):
    """Migrate and seed the demo unless every demo entry is already live; a reused database
    has its search documents rebuilt, so that it is measured with the code's indexing."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from practices.models import PracticePage

    live = set(PracticePage.objects.live().filter(slug__in=slugs).values_list("slug", flat=True))
    if live != set(slugs):
        print("Seeding the demo (seed_demo)...", flush=True)
        call_command("seed_demo", no_users=True, verbosity=0, stdout=open(os.devnull, "w"))
        return
    from practices.search import index, memory

    index.rebuild()
    memory.reset()


def slug_by_entry(slugs):
    """Translation key (str) -> the demo slug of the entry's original version."""
    from practices.models import PracticePage

    mapping = {}
    for key, slug in PracticePage.objects.filter(slug__in=slugs).values_list(
        "translation_key", "slug"
    ):
        mapping[str(key)] = slug
    return mapping


def run_query(query):
    from django.http import QueryDict

    from practices.search.service import parse_search_params, search_practices

    params = {"q": query["q"], "lang": query["lang"], "sort": "relevance"}
    params["page_size"] = str(PAGE_SIZE)
    parsed, errors = parse_search_params(QueryDict(urlencode(params)))
    if errors:
        raise SystemExit(f"{query['id']}: invalid parameters {errors}")
    return search_practices(parsed)


def evaluate(queries, entry_slugs):
    rows = []
    for query in queries:
        found = run_query(query)
        ranked = [entry_slugs.get(result.id, f"?{result.id}") for result in found.results]
        judgments = query["judgments"]
        rows.append(
            {
                "id": query["id"],
                "lang": query["lang"],
                "q": query["q"],
                "kind": query["kind"],
                "count": found.count,
                "ndcg@10": ndcg_at(ranked, judgments, 10),
                "recall@20": recall_at(ranked, judgments, 20),
                "ranked": ranked,
                "grades": [judgments.get(slug, 0) for slug in ranked],
            }
        )
    return rows


def summary(rows):
    groups = {lang: [row for row in rows if row["lang"] == lang] for lang in LANGUAGES}
    groups["all"] = rows
    return {
        name: {
            "ndcg@10": mean(row["ndcg@10"] for row in group),
            "recall@20": mean(row["recall@20"] for row in group),
            "queries": len(group),
        }
        for name, group in groups.items()
    }


def print_report(vendor, rows, totals, verbose):
    if verbose:
        for row in rows:
            print(
                f"{row['id']:6} [{row['lang']}] {row['q']!r} ({row['kind']}): "
                f"nDCG@10 {row['ndcg@10']:.3f}  recall@20 {row['recall@20']:.3f}  "
                f"hits {row['count']}"
            )
            top = zip(row["ranked"][:5], row["grades"][:5], strict=True)
            for rank, (slug, grade) in enumerate(top, 1):
                print(f"    {rank}. [{grade}] {slug}")
        print()
    print(f"Database: {vendor}")
    print(f"{'language':<10}{'nDCG@10':>10}{'recall@20':>12}{'queries':>10}")
    for name, values in totals.items():
        print(
            f"{name:<10}{values['ndcg@10']:>10.3f}{values['recall@20']:>12.3f}"
            f"{values['queries']:>10}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--judgments", default=str(JUDGMENTS_FILE))
    parser.add_argument("--verbose", action="store_true", help="Each query's top 5 results.")
    parser.add_argument("--json", metavar="FILE", help="Write every query's scores here.")
    args = parser.parse_args()

    setup_django(args.database_url)
    from django.db import connection

    slugs = demo_slugs()
    ensure_demo(slugs)
    entry_slugs = slug_by_entry(slugs)
    missing = set(slugs) - set(entry_slugs.values())
    if missing:
        raise SystemExit(f"Demo entries missing from the database: {sorted(missing)}")

    rows = evaluate(load_judgments(args.judgments), entry_slugs)
    totals = summary(rows)
    print_report(connection.vendor, rows, totals, args.verbose)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"database": connection.vendor, "summary": totals, "queries": rows},
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Benchmark of the insights: the page /<lang>/insights/ and GET /api/v1/insights/ for the
whole collection and for filtered searches, with the size of the page's HTML (raw and
gzip-compressed, as a server sends it).

    python bench/insights_bench.py --entries 10000
    python bench/insights_bench.py --entries 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/alianzas_bench

The database is prepared as bench/search_bench.py prepares it (the synthetic entries of
generate_practices; a database that search_bench.py filled can be used as it is). Requests
go through Django's test client: routing, middleware, the view, templates (no socket).
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import ms, percentile, setup_django  # noqa: E402

REQUESTS = {
    "whole collection": {},
    "one model": {"cooperation_model": "regional-funds"},
    "text + region": {"q": "rehabilitation", "region": "africa"},
    "disbursed grants": {"funding_status": "disbursed", "funding_type": "grant"},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"),
    )
    parser.add_argument("--repeat", type=int, default=20, help="Runs of each request.")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.dev")

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from home.site_structure import ensure_site_structure
    from practices.models import PracticePage
    from practices.search import memory
    from practices.vocabularies import load_vocabularies

    call_command("migrate", verbosity=0)
    load_vocabularies()
    ensure_site_structure()
    existing = (
        PracticePage.objects.live().order_by().filter(slug__startswith="synthetic-")
        .values("translation_key").distinct().count()
    )  # fmt: skip
    if existing < args.entries:
        call_command("generate_practices", args.entries - existing, seed=existing + 1)
    entries = PracticePage.objects.live().order_by().values("translation_key").distinct().count()
    print(f"Database: {connection.vendor}; entries: {entries}")
    print(f"Load average before: {os.getloadavg()}")

    client = Client()
    memory.get_snapshot()
    print(
        f"\n{'request':18} {'lang':4} {'page p50':>9} {'p95':>8} {'API p50':>9} {'p95':>8}"
        f" {'HTML KB':>8} {'gzip KB':>8}   (ms; {args.repeat} runs per request)"
    )
    for name, params in REQUESTS.items():
        for language in ("en", "ar"):
            page, api = [], []
            for _run in range(args.repeat + 1):  # the first run warms up, not counted
                started = time.perf_counter()
                response = client.get(f"/{language}/insights/", params)
                page.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
                started = time.perf_counter()
                answer = client.get("/api/v1/insights/", {**params, "lang": language})
                api.append(time.perf_counter() - started)
                assert answer.status_code == 200, answer.status_code
            page, api = page[1:], api[1:]
            raw = len(response.content)
            packed = len(gzip.compress(response.content, 6))
            print(
                f"{name:18} {language:4} {ms(statistics.median(page)):>9}"
                f" {ms(percentile(page, 0.95))} {ms(statistics.median(api)):>9}"
                f" {ms(percentile(api, 0.95))} {raw / 1024:8.1f} {packed / 1024:8.1f}",
                flush=True,
            )
    print(f"\nLoad average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

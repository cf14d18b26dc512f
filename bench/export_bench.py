#!/usr/bin/env python
"""Benchmark of the exports: time and memory of exporting every entry as CSV, XLSX, JSON Lines.

    python bench/export_bench.py --entries 100000
    python bench/export_bench.py --entries 100000 --formats csv,xlsx --tracemalloc
    python bench/export_bench.py --entries 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/alianzas_bench

Creates the synthetic entries that are missing (generate_practices), then, for each format,
starts a new process that does what a web worker does: starts Django, builds the search
snapshot, answers `/api/v1/practices/export.<format>` through Django's test client (the
real URL, view and streamed response; no network socket) and reads the response to its end
without keeping it. Reported: the worker's resident size after the snapshot and its peak
(VmHWM) at the end, the time of the export and its size; with --tracemalloc, the peak of
the Python allocations during the export (slower: run it apart from the timing).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import setup_django  # noqa: E402


def _status_mb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


def export_once(fmt, query, trace):
    """--worker: one export in this process; prints a JSON line of its measures."""
    setup_django()
    from django.test import Client

    from practices.search.memory import get_snapshot

    get_snapshot()
    before_mb = _status_mb("VmRSS:")
    client = Client()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(f"/api/v1/practices/export.{fmt}?{query}")
    assert response.status_code == 200, response.content[:300]
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    print(
        json.dumps(
            {
                "format": fmt,
                "seconds": seconds,
                "bytes": size,
                "rss_before_mb": before_mb,
                "peak_rss_mb": _status_mb("VmHWM:"),
                "tracemalloc_peak_mb": peak / 2**20 if peak is not None else None,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"),
    )
    parser.add_argument("--formats", default="csv,xlsx,jsonl")
    parser.add_argument("--query", default="lang=en", help="The search parameters exported.")
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace allocations.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.dev")
    if args.worker:
        export_once(args.worker, args.query, args.tracemalloc)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from home.site_structure import ensure_site_structure
    from practices.models import PracticePage
    from practices.search.models import SearchDocument
    from practices.vocabularies import load_vocabularies

    call_command("migrate", verbosity=0)
    load_vocabularies()
    ensure_site_structure()
    existing = (
        PracticePage.objects.live()
        .order_by()
        .filter(slug__startswith="synthetic-")
        .values("translation_key")
        .distinct()
        .count()
    )
    if existing < args.entries:
        started = time.perf_counter()
        call_command("generate_practices", args.entries - existing, seed=existing + 1)
        seconds = time.perf_counter() - started
        print(f"Generated {args.entries - existing} entries in {seconds:.0f} s")
    print(
        f"Database: {connection.vendor}; entries: "
        f"{PracticePage.objects.live().order_by().values('translation_key').distinct().count()}; "
        f"search documents: {SearchDocument.objects.count()}; query: {args.query}"
    )
    print(f"{'format':7} {'seconds':>8} {'MB out':>8} {'RSS before':>11} {'peak RSS':>9} "
          f"{'tracemalloc':>12}")  # fmt: skip
    for fmt in args.formats.split(","):
        command = [sys.executable, __file__, "--worker", fmt, "--database-url",
                   args.database_url, "--query", args.query]  # fmt: skip
        if args.tracemalloc:
            command.append("--tracemalloc")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        traced = result["tracemalloc_peak_mb"]
        print(
            f"{fmt:7} {result['seconds']:8.1f} {result['bytes'] / 2**20:8.1f} "
            f"{result['rss_before_mb']:11.0f} {result['peak_rss_mb']:9.0f} "
            f"{(f'{traced:.1f}' if traced is not None else '-'):>12}",
            flush=True,
        )


if __name__ == "__main__":
    main()

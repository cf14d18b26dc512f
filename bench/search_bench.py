#!/usr/bin/env python
"""Benchmark of the public search: the service, the HTTP API and Wagtail's built-in search.

    python bench/search_bench.py --entries 10000
    python bench/search_bench.py --entries 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/alianzas_bench

Creates the synthetic entries that are missing (generate_practices), builds Wagtail's own
index when the built-in comparison is wanted, then runs a fixed mix of requests: text
only, text plus three filters, filters only, page 50, a common word, a rare word, in the
four languages. "Through the API" means Django's test client calling the real URL, view,
validation and JSON serialisation (no network socket).
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(seconds):
    return f"{seconds * 1000:8.1f}"


def request_mix(vocabulary):
    """Named groups of requests (parameter dicts), the same for every engine."""
    cm, region, component = (
        vocabulary["cooperation_model"],
        vocabulary["region"],
        vocabulary["va_component"],
    )
    texts = [("en", "rehabilitation"), ("es", "fondos regionales"), ("fr", "développement"),
             ("ar", "صندوق"), ("en", "training")]  # fmt: skip
    return {
        "text only": [{"q": q, "lang": lang} for lang, q in texts],
        "text + 3 filters": [
            {
                "q": q,
                "lang": lang,
                "cooperation_model": cm[i % len(cm)],
                "region": region[i % len(region)],
                "va_component": component[i % len(component)],
            }
            for i, (lang, q) in enumerate(texts)
        ],
        "filters only": [
            {
                "lang": lang,
                "cooperation_model": cm[i],
                "region": region[i],
                "va_component": component[i],
            }
            for i, lang in enumerate(("en", "es", "fr", "ar"))
        ],
        "text + funding filters": [
            {
                "q": q,
                "lang": lang,
                "funding_status": ("pledged", "committed", "disbursed")[i % 3],
                "funding_type": ("grant", "loan")[i % 2],
                "funder": f"synthetic-funder-{i * 7}",
            }
            for i, (lang, q) in enumerate(texts)
        ],
        "text + results filters": [
            {
                "q": q,
                "lang": lang,
                "status": ("ongoing", "completed", "sustained")[i % 3],
                "participation": ("co-decided", "survivor-led")[i % 2],
                "active_year": str(2010 + i * 3),
                "rights_marker": "disaggregated-data",
            }
            for i, (lang, q) in enumerate(texts)
        ],
        "page 50": [{"lang": lang, "page": "50"} for lang in ("en", "es", "fr", "ar")],
        "common word": [
            {"q": q, "lang": lang}
            for lang, q in (
                ("en", "assistance"),
                ("es", "asistencia"),
                ("fr", "assistance"),
                ("ar", "المساعدة"),
            )  # fmt: skip
        ],
        "rare word": [
            {"q": q, "lang": lang}
            for lang, q in (
                ("en", "orthotics"),
                ("es", "ortesis"),
                ("fr", "orthèses"),
                ("ar", "تقويم"),
            )  # fmt: skip
        ],
    }


def setup_django():
    """Start Django as a production worker runs (no query log) and let the test client in."""
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def the_request_mix():
    """request_mix() with the vocabulary slugs of the database."""
    from practices.models import VOCABULARIES

    return request_mix(
        {
            key: list(model.objects.values_list("slug", flat=True))
            for key, model in VOCABULARIES.items()
        }
    )


def query_dict(params):
    from django.http import QueryDict

    return QueryDict(urlencode(params, doseq=True))


def run_service(params):
    from practices.search.service import parse_search_params, search_practices

    query, errors = parse_search_params(query_dict(params))
    assert not errors, errors
    return search_practices(query).count


def run_api(client, params):
    response = client.get("/api/v1/practices/?" + urlencode(params, doseq=True))
    assert response.status_code == 200, response.content[:300]
    return response


def run_builtin(params):
    """The same request with Wagtail's database search: text match, filters, two facets.

    The built-in search has no m2m filter fields, no language fallback and no disjunctive
    counts: filters become an `id__in` list, the language a locale filter, and the only
    facet it can compute on PracticePage is `year` (a FilterField), which re-runs the
    text query.
    """
    from wagtail.models import Locale

    from practices.models import VOCABULARY_FIELDS, PracticePage

    pages = PracticePage.objects.live().filter(
        locale=Locale.objects.get(language_code=params.get("lang", "en"))
    )
    filters = {k: v for k, v in params.items() if k in VOCABULARY_FIELDS}
    if filters:
        matching = PracticePage.objects.live()
        for key, value in filters.items():
            matching = matching.filter(**{f"{VOCABULARY_FIELDS[key]}__slug": value})
        pages = pages.filter(id__in=list(matching.values_list("pk", flat=True)))
    page = int(params.get("page", 1))
    if params.get("q"):
        results = pages.search(params["q"], order_by_relevance=True)
    else:
        results = pages.order_by("-first_published_at")
    list(results[(page - 1) * 20 : page * 20])
    if params.get("q"):
        results.facet("year")
    return results.count()


def timed(function, *args, repeat=1):
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(*args)
        durations.append(time.perf_counter() - started)
    return durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"),
    )
    parser.add_argument("--repeat", type=int, default=20, help="Runs of each request.")
    parser.add_argument("--builtin-repeat", type=int, default=1)
    parser.add_argument(
        "--builtin-groups",
        default="text + 3 filters",
        help="Comma-separated request groups also run through the built-in search "
        "(it takes seconds per request).",
    )
    parser.add_argument("--no-builtin", action="store_true", help="Skip Wagtail's search.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.dev")
    if args.worker:
        serve_mix()
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from home.site_structure import ensure_site_structure
    from practices.models import PracticePage
    from practices.search import memory
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
        call_command("generate_practices", args.entries - existing, seed=existing + 1)
    entries = PracticePage.objects.live().order_by().values("translation_key").distinct().count()
    print(
        f"Database: {connection.vendor}; entries: {entries}; "
        f"language versions: {PracticePage.objects.live().count()}; "
        f"search documents: {SearchDocument.objects.count()}"
    )

    if not args.no_builtin:
        from wagtail.search.models import IndexEntry

        if IndexEntry.objects.count() < PracticePage.objects.count():
            print("Building Wagtail's own search index (update_index)...", flush=True)
            started = time.perf_counter()
            call_command("update_index", verbosity=0)
            print(f"  done in {time.perf_counter() - started:.0f} s")

    mix = the_request_mix()
    client = Client()

    memory.reset()
    started = time.perf_counter()
    memory.get_snapshot()
    print(f"In-memory snapshot built in {(time.perf_counter() - started) * 1000:.0f} ms")
    for requests in mix.values():  # warm up: stemmers, caches, connections
        for params in requests:
            run_service(params)
            run_api(client, params)

    print(
        f"\n{'request':22} {'service p50':>11} {'p95':>8} {'API p50':>9} {'p95':>8}"
        f" {'built-in p50':>13} {'ratio':>7}   (ms; {args.repeat} runs per request)"
    )
    summary = {}
    for name, requests in mix.items():
        service, api, builtin = [], [], []
        for params in requests:
            service += timed(run_service, params, repeat=args.repeat)
            api += timed(run_api, client, params, repeat=args.repeat)
            if not args.no_builtin and name in args.builtin_groups.split(","):
                builtin += timed(run_builtin, params, repeat=args.builtin_repeat)
        row = {
            "service_p50": statistics.median(service),
            "service_p95": percentile(service, 0.95),
            "api_p50": statistics.median(api),
            "api_p95": percentile(api, 0.95),
        }
        line = (
            f"{name:22} {ms(row['service_p50']):>11} {ms(row['service_p95'])}"
            f" {ms(row['api_p50']):>9} {ms(row['api_p95'])}"
        )
        if builtin:
            row["builtin_p50"] = statistics.median(builtin)
            line += f" {ms(row['builtin_p50']):>13} {row['builtin_p50'] / row['service_p50']:6.0f}x"
        summary[name] = row
        print(line, flush=True)

    snapshot_after_publication(args.repeat)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = worker_memory(args.database_url)
    memory.reset()
    tracemalloc.start()
    for requests in mix.values():
        for params in requests:
            run_service(params)
            run_api(client, params)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\nPeak Python memory of a cold snapshot build plus one round of the mix "
        f"(tracemalloc): {peak / 2**20:.1f} MB; maximum resident size of this benchmark "
        f"process: {maxrss_mb:.0f} MB"
    )
    print(
        "Worker (a new process that starts Django, builds the snapshot and answers the "
        f"mix through the service and the API): maximum resident size {worker_mb:.0f} MB"
    )


def snapshot_after_publication(repeat):
    """What the first request after a publication pays in each process: the snapshot
    updated with the entry's new documents, against a snapshot rebuilt from scratch."""
    from practices.search import memory
    from practices.search.index import update_entries
    from practices.search.models import SearchDocument

    keys = list(
        SearchDocument.objects.filter(is_original=True)
        .order_by("-id")
        .values_list("entry_key", flat=True)[: max(repeat, 1) + 1]
    )
    # A database written before the index recorded its changes rebuilds once.
    update_entries([keys.pop()])
    memory.get_snapshot()
    updates = []
    for key in keys:
        update_entries([key])  # what publishing a version of the entry does
        started = time.perf_counter()
        memory.get_snapshot()
        updates.append(time.perf_counter() - started)
    rebuilds = []
    for _ in range(3):
        memory.reset()
        started = time.perf_counter()
        memory.get_snapshot()
        rebuilds.append(time.perf_counter() - started)
    print(
        f"\nSnapshot after one publication: updated in {ms(statistics.median(updates))} ms"
        f" (p50 of {len(updates)}, p95 {ms(percentile(updates, 0.95))}); rebuilt from scratch"
        f" in {ms(statistics.median(rebuilds))} ms (p50 of 3)"
    )


def worker_memory(database_url):
    """Maximum resident size of a process doing only what a web worker does."""
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, "--worker", "--database-url", database_url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.split()[-1])


def serve_mix():
    """--worker: start Django, answer the request mix twice, print the maximum RSS in MB."""
    setup_django()
    from django.test import Client

    client = Client()
    mix = the_request_mix()
    for _round in range(2):
        for requests in mix.values():
            for params in requests:
                run_service(params)
                run_api(client, params)
    # VmHWM, not getrusage(): Linux carries ru_maxrss over from the parent across fork and
    # exec, so it would report the benchmark process's peak.
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(peak_kb / 1024)


if __name__ == "__main__":
    main()

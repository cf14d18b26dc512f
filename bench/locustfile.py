"""Load test of the public pages: readers of practice pages, home pages and search pages.

Driven by bench/loadtest.sh, which writes the practice page addresses of the database to
URLS_FILE (one per line). Each simulated reader asks for the next page as soon as the last
one came back (no think time), like `wrk`: 50 readers are 50 connections kept busy.

Mix: half practice pages (every live language version in turn), a fifth home pages (four
languages), the rest search pages (the listing, text searches, filters, sorted and paged
listings in four languages).
"""

import itertools
import os
import random

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

LANGUAGES = ("ar", "en", "fr", "es")
SEARCHES = (
    "",
    "?q=fund",
    "?q=rehabilitation",
    "?cooperation_model=regional-funds",
    "?region=africa",
    "?q=survivors&region=asia-pacific",
    "?sort=newest",
    "?page=2",
)


def _practice_urls():
    path = os.environ.get("URLS_FILE", "")
    if not path:
        return ["/en/practices/"]
    with open(path, encoding="utf-8") as urls:
        return [line.strip() for line in urls if line.strip()]


PRACTICES = _practice_urls()
SEARCH_URLS = [f"/{lang}/practices/{query}" for lang in LANGUAGES for query in SEARCHES]
_practice_cycle = itertools.cycle(random.Random(1).sample(PRACTICES, len(PRACTICES)))


class Reader(FastHttpUser):
    wait_time = constant(0)
    # What a browser sends; the site compresses pages (GZipMiddleware).
    default_headers = {"Accept-Encoding": "gzip", "Accept-Language": "en"}

    @task(5)
    def practice_page(self):
        self.client.get(next(_practice_cycle), name="practice page")

    @task(2)
    def home_page(self):
        self.client.get(f"/{random.choice(LANGUAGES)}/", name="home page")

    @task(3)
    def search_page(self):
        self.client.get(random.choice(SEARCH_URLS), name="search page")

"""Query budgets of the public pages, rendered afresh (the page cache off): a change that
makes them read the database per answer, per term or per language shows up here."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from practices.models import FundingMechanism, PracticePage

pytestmark = pytest.mark.django_db

#: Measured with the entry below on SQLite: 25 queries (37 before, see docs/performance.md),
#: and one more for each vocabulary of the classification added since (SDG targets and
#: action plan actions): 27.
PRACTICE_PAGE_BUDGET = 27
HOME_PAGE_BUDGET = 12
#: A text search asks each language's full-text index (on SQLite: the scores, then the hits
#: in titles where there are scores): 17 when one language matches, 20 when all four do.
SEARCH_PAGE_BUDGET = 20


@contextmanager
def at_most(budget):
    """At most `budget` statements reach the database, savepoints aside (PostgreSQL's
    search wraps its statements in savepoints; they read nothing)."""
    with CaptureQueriesContext(connection) as captured:
        yield
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]
    assert len(statements) <= budget, f"{len(statements)} queries:\n" + "\n".join(statements)


@pytest.fixture
def rich_entry(make_practice, translate):
    page = make_practice(
        title="A regional fund",
        answers=[
            ("answer", {"question": "q1", "answer": "<p>First.</p>"}),
            ("answer", {"question": "q2", "answer": "<p>Second.</p>"}),
            ("answer", {"question": "q3", "answer": "<p>Third.</p>"}),
        ],
        va_component=["physical-rehabilitation"],
        region=["africa"],
        countries=["SN", "ML"],
        year=2019,
    )
    page = PracticePage.objects.get(pk=page.pk)
    mechanisms = list(FundingMechanism.objects.all()[:3])
    for number, mechanism in enumerate(mechanisms):
        page.funding.create(source=f"Donor {number}", mechanism=mechanism, amount=1000)
    page.sources.create(title="Annual report", url="https://example.org/report")
    for name in ("peer support", "prosthetics", "microcredit"):
        page.tags.add(name)
    page.save_revision().publish()
    translate(PracticePage.objects.get(pk=page.pk), "fr", title="Un fonds régional")
    translate(PracticePage.objects.get(pk=page.pk), "es", title="Un fondo regional")
    assert Tag.objects.count() == 3
    return PracticePage.objects.get(pk=page.pk)


def test_practice_page_query_budget(client, rich_entry):
    client.get(rich_entry.url)  # Wagtail's site root paths are cached after the first page
    with at_most(PRACTICE_PAGE_BUDGET):
        response = client.get(rich_entry.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Donor 2" in html and "Third." in html and "Annual report" in html
    assert 'hreflang="fr"' in html


def test_home_page_query_budget(client, rich_entry):
    client.get("/en/")
    with at_most(HOME_PAGE_BUDGET):
        response = client.get("/en/")
    assert response.status_code == 200


def test_search_page_query_budget(client, rich_entry):
    client.get("/en/practices/?q=fund")
    with at_most(SEARCH_PAGE_BUDGET):
        response = client.get("/en/practices/?q=fund&region=africa")
    assert response.status_code == 200
    assert "A regional fund" in response.content.decode()

"""The default order (no query) is newest first by the entry's first publication; the start
year of the practice is an order of its own; equal entries keep a stable order."""

from datetime import UTC, datetime

import pytest

from practices.models import PracticePage
from practices.search.index import update_entries


@pytest.fixture
def search(engine_search):
    """Through every engine of the service (see `engine_search`)."""
    return engine_search


def at(year, month=1, day=1):
    return datetime(year, month, day, tzinfo=UTC)


def first_published(*pairs):
    """Give pages their first publication date, as an import of older entries does."""
    for page, when in pairs:
        PracticePage.objects.filter(pk=page.pk).update(first_published_at=when)
    update_entries({page.translation_key for page, _when in pairs})


@pytest.fixture
def entries(make_practice, translate):
    """Old entry with a recent start year, new entry with an old one, one without a year;
    the old entry's French translation is published last of all."""
    early = make_practice(title="Early entry, recent practice", year=2023)
    late = make_practice(title="Late entry, old practice", year=2010)
    middle = make_practice(title="Middle entry, no year", year=None)
    french = translate(early, "fr", title="Entrée ancienne, pratique récente")
    first_published((early, at(2020)), (late, at(2024)), (middle, at(2022)), (french, at(2025, 6)))
    return {"early": early, "late": late, "middle": middle, "french": french}


def titles(results):
    return [result.title for result in results.results]


def test_without_a_query_the_newest_entry_by_first_publication_comes_first(entries, search):
    # The early entry's practice started last, and its translation was published last:
    # neither makes the entry new.
    expected = ["Late entry, old practice", "Middle entry, no year", "Early entry, recent practice"]
    assert titles(search()) == expected
    assert titles(search(sort="newest")) == expected
    assert titles(search(sort="relevance")) == expected  # no text: relevance means nothing
    assert titles(search(lang="fr"))[-1] == "Entrée ancienne, pratique récente"


def test_oldest_is_the_reverse_and_start_year_is_its_own_order(entries, search):
    assert titles(search(sort="oldest")) == [
        "Early entry, recent practice",
        "Middle entry, no year",
        "Late entry, old practice",
    ]
    assert titles(search(sort="year")) == [
        "Early entry, recent practice",
        "Late entry, old practice",
        "Middle entry, no year",  # no year: last
    ]


def test_equal_entries_keep_a_stable_order_across_pages(make_practice, search):
    pages = [make_practice(title=f"Same day {n}", year=2020) for n in range(5)]
    first_published(*((page, at(2021, 3, 3)) for page in pages))
    for sort in ("newest", "oldest", "year"):
        listing = titles(search(sort=sort, page_size=10))
        assert len(listing) == 5
        assert titles(search(sort=sort, page_size=10)) == listing
        paged = [
            title for n in (1, 2, 3) for title in titles(search(sort=sort, page=n, page_size=2))
        ]
        assert paged == listing, sort

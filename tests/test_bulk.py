"""practices/bulk.py: rows written in bulk come back as they were, and the preparing thread
hands over everything it makes, its error, and stops when nobody wants more."""

import itertools
import threading
import uuid
from contextlib import closing
from datetime import UTC, datetime

import pytest

from practices.bulk import in_background, prepare_rows, write_rows
from practices.search.models import SearchDocument

#: Characters that the text form of a PostgreSQL array has to quote or escape.
AWKWARD = 'quote " backslash \\ braces {a,b} comma, NULL null \t tab, «» صندوق 𝄞'


def document(page_id, **fields):
    return {
        "page_id": page_id,
        "entry_key": uuid.uuid4(),
        "language": "en",
        "original_language": "en",
        "url": f"/en/practices/p{page_id}/",
        "title": f"Title {page_id}",
        "title_sort": f"title {page_id}",
        **fields,
    }


@pytest.mark.django_db
def test_rows_come_back_as_written():
    published = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    rows = [
        document(
            10,
            summary=AWKWARD,
            body_text="",
            year=None,
            published_at=published,
            facets={"country": ["SN"], "note": AWKWARD},
            tag_names={"t": AWKWARD},
        ),
        document(11, summary="plain", year=2020),  # the other fields take their defaults
    ]
    ids = write_rows(prepare_rows(SearchDocument, rows), returning=True, chunk_size=1)
    assert len(ids) == 2 and ids[0] < ids[1]
    first, second = (SearchDocument.objects.get(pk=pk) for pk in ids)
    assert (first.page_id, first.summary, first.body_text, first.year) == (10, AWKWARD, "", None)
    assert first.published_at == published
    assert first.facets == {"country": ["SN"], "note": AWKWARD}
    assert first.tag_names == {"t": AWKWARD}
    assert first.entry_key == rows[0]["entry_key"]
    assert (second.summary, second.year, second.facets, second.is_original) == (
        "plain",
        2020,
        {},
        False,
    )


@pytest.mark.django_db
def test_placeholders_are_resolved_to_the_ids_given():
    prepared = prepare_rows(SearchDocument, [document(0), document(2), document(1)])
    page_ids = [700, 800, 900]
    write_rows(prepared.resolve("page_id", page_ids))
    titles = dict(SearchDocument.objects.values_list("title", "page_id"))
    assert titles == {"Title 0": 700, "Title 2": 900, "Title 1": 800}
    # Resolving makes new rows: the prepared ones still hold the positions.
    assert [row[0] for row in prepared.values] == [0, 2, 1]


def test_in_background_hands_over_every_item_in_order():
    assert list(in_background(iter(range(50)), buffer=2)) == list(range(50))
    assert list(in_background([])) == []


def test_in_background_raises_the_error_after_the_items_made_before_it():
    def failing():
        yield 1
        yield 2
        raise ValueError("broken batch")

    received = []
    with pytest.raises(ValueError, match="broken batch"):
        for item in in_background(failing()):
            received.append(item)
    assert received == [1, 2]


def test_in_background_runs_elsewhere_and_stops_when_closed():
    threads, made = set(), []

    def endless():
        for number in itertools.count():
            threads.add(threading.current_thread())
            made.append(number)
            yield number

    before = set(threading.enumerate())
    with closing(in_background(endless(), buffer=2)) as items:
        assert next(items) == 0
        assert next(items) == 1
    assert threading.current_thread() not in threads  # made by another thread
    assert set(threading.enumerate()) == before  # which has ended
    assert len(made) <= 2 + 2 + 1  # taken, buffered, and the one waiting to be put

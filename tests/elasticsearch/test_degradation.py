"""A dead or absent cluster never breaks search nor publishing."""

import logging
import socket
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practices.models import PracticePage
from practices.search import es_indexing
from practices.search.engines import elasticsearch as engine_module
from practices.search.engines.elasticsearch import elasticsearch_engine, search_with_fallback
from practices.search.models import PendingSearchUpdate
from practices.search.query import SearchQuery


def database_fallback(request):
    """A stand-in for the database engine: live entries in the requested language."""
    pages = PracticePage.objects.live().filter(locale__language_code=request.lang)
    return {
        "count": pages.count(),
        "results": [{"id": str(page.translation_key), "title": page.title} for page in pages],
        "facets": {},
    }


# -- search --------------------------------------------------------------------------------


def test_unset_url_uses_the_database_engine_silently(settings, make_practice, caplog):
    settings.ELASTICSEARCH_URL = ""
    make_practice(language="en", title="Regional fund")
    assert elasticsearch_engine() is None
    with caplog.at_level(logging.WARNING):
        result = search_with_fallback(SearchQuery(q="fund"), database_fallback)
    assert result["count"] == 1
    assert result["results"][0]["title"] == "Regional fund"
    assert not caplog.records


def test_dead_cluster_answers_from_the_database_and_warns(dead_cluster, make_practice, caplog):
    make_practice(language="en", title="Regional fund")
    make_practice(language="en", title="Peer training")
    with caplog.at_level(logging.WARNING, logger="practices.search"):
        result = search_with_fallback(SearchQuery(q="fund"), database_fallback)
    assert result["count"] == 2
    assert {hit["title"] for hit in result["results"]} == {"Regional fund", "Peer training"}
    warnings = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("practices.search")
    ]
    assert len(warnings) == 1
    assert "database engine" in warnings[0].getMessage()


@pytest.fixture
def silent_cluster(settings):
    """A cluster that accepts connections and never answers; counts the connections."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    accepted, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            accepted.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.getsockname()[1]}"
    settings.ELASTICSEARCH_TIMEOUT = 0.3
    yield accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_cluster_that_never_answers_times_out_once_and_falls_back(
    silent_cluster, make_practice, caplog
):
    make_practice(language="en", title="Regional fund")
    with caplog.at_level(logging.WARNING, logger="practices.search"):
        result = search_with_fallback(SearchQuery(q="fund"), database_fallback)
    assert result["count"] == 1
    assert len(silent_cluster) == 1  # one attempt: no retry waits for the timeout again
    assert any("database engine" in r.getMessage() for r in caplog.records)


def test_after_a_failure_the_cluster_is_left_alone_for_a_while(dead_cluster, db, monkeypatch):
    calls = []
    engine = elasticsearch_engine()
    original_search = engine.search

    def counting_search(request):
        calls.append(request)
        return original_search(request)

    monkeypatch.setattr(engine, "search", counting_search)
    fallback_calls = []

    def fallback(request):
        fallback_calls.append(request)
        return {"count": 0, "results": [], "facets": {}}

    search_with_fallback(SearchQuery(q="a"), fallback)
    search_with_fallback(SearchQuery(q="b"), fallback)
    assert len(calls) == 1
    assert len(fallback_calls) == 2
    engine_module.reset_circuit()
    search_with_fallback(SearchQuery(q="c"), fallback)
    assert len(calls) == 2


def test_unexpected_engine_errors_also_fall_back(settings, db, caplog):
    class BrokenEngine:
        def search(self, request):
            raise ValueError("unexpected response shape")

    with caplog.at_level(logging.WARNING, logger="practices.search"):
        result = search_with_fallback(
            SearchQuery(), lambda r: {"count": 7, "results": [], "facets": {}}, BrokenEngine()
        )
    assert result["count"] == 7
    assert any("database engine" in r.getMessage() for r in caplog.records)


# -- index maintenance ---------------------------------------------------------------------


def test_publishing_with_a_dead_cluster_succeeds_and_queues_the_page(
    dead_cluster, make_practice, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        page = make_practice(language="fr", title="Fonds régional")
    page.refresh_from_db()
    assert page.live
    pending = PendingSearchUpdate.objects.get(page_id=page.pk)
    assert str(pending.translation_key) == str(page.translation_key)
    assert pending.last_error
    assert any("queued" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_unpublish_and_delete_with_a_dead_cluster_are_queued(
    dead_cluster, make_practice, django_capture_on_commit_callbacks
):
    first = make_practice(language="en")
    second = make_practice(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        second_pk, second_key = second.pk, second.translation_key
        second.delete()
    assert not PracticePage.objects.get(pk=first.pk).live
    assert not PracticePage.objects.filter(pk=second_pk).exists()
    queued = dict(PendingSearchUpdate.objects.values_list("page_id", "translation_key"))
    assert set(queued) == {first.pk, second_pk}
    assert queued[second_pk] == second_key


def test_moving_the_index_page_queues_its_entries(
    dead_cluster, make_practice, django_capture_on_commit_callbacks
):
    from practices.models import PracticeIndexPage

    page = make_practice(language="es")
    index = PracticeIndexPage.objects.get(locale__language_code="es")
    home = index.get_parent()
    with django_capture_on_commit_callbacks(execute=True):
        index.move(home, pos="last-child")
    assert PendingSearchUpdate.objects.filter(page_id=page.pk).exists()


def test_without_elasticsearch_publishing_queues_nothing(
    settings, make_practice, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_practice(language="en")
    assert not PendingSearchUpdate.objects.exists()
    # The database engine's own maintenance runs on commit; nothing for Elasticsearch does.
    assert callbacks
    assert not [c for c in callbacks if getattr(c, "__module__", "") == es_indexing.__name__]


def test_sync_pending_keeps_rows_while_the_cluster_is_down(dead_cluster, make_practice):
    page = make_practice(language="en")
    es_indexing.queue(page.pk, page.translation_key, "refused")
    with pytest.raises(CommandError, match="1 still pending"):
        call_command("es_sync_pending")
    assert PendingSearchUpdate.objects.get(page_id=page.pk).attempts == 2


def test_sync_pending_applies_and_drains_the_queue(dead_cluster, make_practice, monkeypatch):
    class RecordingWriter:
        def __init__(self):
            self.indexed, self.deleted = [], []

        def index_page(self, page):
            self.indexed.append(page.pk)

        def delete_page(self, page_id, translation_key=None):
            self.deleted.append((page_id, translation_key))

    engine = RecordingWriter()
    monkeypatch.setattr(es_indexing, "elasticsearch_engine", lambda: "the configured engine")
    monkeypatch.setattr(es_indexing, "IndexWriter", lambda _engine: engine)
    kept = make_practice(language="en")
    gone = make_practice(language="en")
    gone_pk, gone_key = gone.pk, str(gone.translation_key)
    gone.delete()
    es_indexing.queue(kept.pk, kept.translation_key)
    es_indexing.queue(gone_pk, gone_key)
    done, failed = es_indexing.sync_pending()
    assert (done, failed) == (2, 0)
    assert engine.indexed == [kept.pk]
    assert [(pk, str(key)) for pk, key in engine.deleted] == [(gone_pk, gone_key)]
    assert not PendingSearchUpdate.objects.exists()


def test_commands_refuse_without_elasticsearch(settings, db):
    settings.ELASTICSEARCH_URL = ""
    for command in ("es_reindex", "es_sync_pending"):
        with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
            call_command(command)


def test_reindex_with_a_dead_cluster_is_a_clear_error(dead_cluster, db):
    with pytest.raises(CommandError, match="failed"):
        call_command("es_reindex", "--no-progress")


def test_credentials_never_appear_in_messages(settings, closed_port, db):
    settings.ELASTICSEARCH_URL = f"http://elastic:s3cret@127.0.0.1:{closed_port}"
    with pytest.raises(CommandError) as error:
        call_command("es_reindex", "--no-progress")
    assert "s3cret" not in str(error.value)
    assert f"127.0.0.1:{closed_port}" in str(error.value)

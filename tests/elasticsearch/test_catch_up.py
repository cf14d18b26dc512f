"""After a rebuild, what changed while it ran is reindexed (no cluster: calls recorded)."""

from django.utils import timezone

from practices.models import PracticePage
from practices.search.es_indexing import IndexWriter


def test_catch_up_reindexes_what_changed_since_the_rebuild_started(
    make_practice, offline_engine, monkeypatch
):
    before = make_practice(language="en", title="Published before")
    since = timezone.now()
    published = make_practice(language="fr", title="Published during")
    unpublished = make_practice(language="en", title="Unpublished during")
    unpublished.unpublish()
    deleted = make_practice(language="es", title="Deleted during")
    deleted_pk = deleted.pk
    deleted.delete()

    indexed, removed = [], []
    writer = IndexWriter(offline_engine)
    monkeypatch.setattr(writer, "index_page", lambda page: indexed.append(page.pk))
    monkeypatch.setattr(writer, "delete_page", lambda page_id: removed.append(page_id))
    writer.catch_up(since=since)

    assert sorted(indexed) == sorted([published.pk, unpublished.pk])
    assert removed == [deleted_pk]
    assert before.pk not in indexed
    assert not PracticePage.objects.filter(pk=deleted_pk).exists()

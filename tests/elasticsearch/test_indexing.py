"""What indexing sends to the cluster: index definition, bulk documents, alias switch.

Against a recording HTTP stand-in (fake_cluster.py), not a real cluster: it checks the
requests, not how Elasticsearch would analyse or search them.
"""

from django.core.management import call_command

from practices.search import es_indexing
from practices.search.engines.elasticsearch import elasticsearch_engine
from practices.search.models import PendingSearchUpdate

ALIAS = "alianzas-fake-practices"


def test_reindex_fills_a_new_index_then_switches_the_alias_atomically(
    cluster, make_practice, translate
):
    english = make_practice(language="en", title="Regional fund")
    french = translate(english, "fr", title="Fonds régional")
    draft = translate(english, "es", publish=False, title="Fondo regional")
    arabic = make_practice(language="ar", title="صندوق")
    cluster.aliases[ALIAS] = {"alianzas-fake-practices-old"}
    cluster.indices.add("alianzas-fake-practices-old")
    es_indexing.queue(english.pk, english.translation_key, "refused")

    call_command("es_reindex", "--no-progress")

    created = [
        (path, body)
        for method, path, body in cluster.requests
        if method == "PUT" and not path.endswith("/_bulk")
    ]
    ((path, definition),) = created
    new_index = path.strip("/")
    assert new_index.startswith(f"{ALIAS}-") and new_index != "alianzas-fake-practices-old"
    assert "alianzas_arabic" in definition["settings"]["analysis"]["analyzer"]
    assert definition["mappings"]["properties"]["cooperation_model"]["type"] == "keyword"

    actions = cluster.bulk_actions()
    assert {(kind, index) for kind, index, _id, _source in actions} == {("index", new_index)}
    sources = {int(_id): source for _kind, _index, _id, source in actions}
    assert set(sources) == {english.pk, french.pk, arabic.pk}
    assert draft.pk not in sources
    assert sources[french.pk]["lang"] == "fr"
    assert sources[english.pk]["available_languages"] == ["en", "fr"]
    assert definition["mappings"]["properties"]["available_in"]["type"] == "keyword"
    # Both versions: the entry's published languages and its first publication.
    for pk in (english.pk, french.pk):
        assert sources[pk]["available_in"] == ["en", "fr"]
        assert sources[pk]["entry_published_at"] == english.first_published_at.isoformat()

    methods = [(method, path) for method, path, _body in cluster.requests]
    switch = [body for method, path, body in cluster.requests if path == "/_aliases"]
    assert switch == [
        {
            "actions": [
                {"remove": {"index": "alianzas-fake-practices-old", "alias": ALIAS}},
                {"add": {"index": new_index, "alias": ALIAS}},
            ]
        }
    ]
    # Refresh before the switch, old index deleted after it.
    assert methods.index(("POST", f"/{new_index}/_refresh")) < methods.index(("POST", "/_aliases"))
    assert methods.index(("POST", "/_aliases")) < methods.index(
        ("DELETE", "/alianzas-fake-practices-old")
    )
    assert cluster.aliases[ALIAS] == {new_index}
    assert cluster.indices == {new_index}
    assert not PendingSearchUpdate.objects.exists()


def test_first_publish_creates_the_index_and_sends_every_version_of_the_entry(
    cluster, make_practice, translate, django_capture_on_commit_callbacks
):
    english = make_practice(language="en", title="Regional fund")
    draft = translate(english, "fr", publish=False, title="Fonds régional")
    with django_capture_on_commit_callbacks(execute=True):
        spanish = translate(english, "es", title="Fondo regional")

    assert ("PUT", f"/{ALIAS}-initial") in [(m, p) for m, p, _b in cluster.requests]
    assert cluster.aliases[ALIAS] == {f"{ALIAS}-initial"}
    sent = cluster.bulk_actions()
    actions = {int(_id): (kind, index) for kind, index, _id, _s in sent}
    sources = {int(_id): source for kind, _index, _id, source in sent if kind == "index"}
    assert (
        sources[spanish.pk]["available_in"] == sources[english.pk]["available_in"] == ["en", "es"]
    )
    assert actions == {
        english.pk: ("index", ALIAS),
        spanish.pk: ("index", ALIAS),
        draft.pk: ("delete", ALIAS),
    }
    assert not PendingSearchUpdate.objects.exists()


def test_a_document_the_cluster_rejects_queues_the_page(
    cluster, make_practice, django_capture_on_commit_callbacks
):
    page = make_practice(language="en")
    cluster.bulk_failures[str(page.pk)] = 400
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert PendingSearchUpdate.objects.filter(page_id=page.pk).exists()


def test_sync_pending_sends_the_queued_pages(cluster, make_practice):
    page = make_practice(language="fr")
    es_indexing.queue(page.pk, page.translation_key, "refused")
    call_command("es_sync_pending")
    assert [int(_id) for _k, _i, _id, _s in cluster.bulk_actions()] == [page.pk]
    assert not PendingSearchUpdate.objects.exists()
    assert elasticsearch_engine().url == cluster.url

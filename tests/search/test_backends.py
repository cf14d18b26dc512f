"""One document per language version for every backend, and the backends' one interface.

The Elasticsearch backend is driven here against the recording HTTP stand-in
(tests/elasticsearch/fake_cluster.py): these tests check what it is sent, not how a real
cluster would search it (the live tests, tests/elasticsearch/test_live.py, do that).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import PageViewRestriction

from practices.search import backends
from practices.search.documents import documents_of
from practices.search.engines.database import document_row, document_texts
from practices.search.es_documents import PracticeDocument
from practices.search.models import PendingSearchUpdate, SearchDocument
from practices.search.query import SearchQuery

ALIAS = "alianzas-fake-practices"


def test_both_backends_serialise_the_same_document(indexed_entry):
    original, french = indexed_entry
    documents = {document.language: document for document in documents_of()}
    assert set(documents) == {"en", "fr"}
    for language, document in documents.items():
        row, texts = document_row(document), document_texts(document)
        source = PracticeDocument.from_entry(document).to_dict()
        text = source["text"][language]
        assert row["page_id"] == source["page_id"] == document.page_id
        assert row["title"] == source["title"] == text["title"]
        assert row["is_original"] == source["is_original"] == (language == "en")
        assert row["facets"]["region"] == source["region"] == ["africa"]
        assert row["facets"]["available_in"] == source["available_in"] == ["en", "fr"]
        assert row["facets"]["language"] == source["language"] == ["en"]
        assert row["facets"]["year"] == [2019] and source["year"] == ["2019"]
        for key in ("funder", "funding_type", "funding_status", "partner_country"):
            assert row["facets"][key] == source[key] and source[key]
        assert row["funding_total_usd"] == source["funding_total_usd"] == 250000
        # The same searchable text, weighted its own way by each backend.
        for label in (*text["labels"], *text["names"]):
            assert label in texts["labels"]
        assert "Survivors Network" in texts["labels"] and "Survivors Network" in text["names"]
        assert text["answers"] == ["Pooled money."]
        assert "Pooled money." in row["body_text"]
        assert "Four hundred people fitted." in row["body_text"]
        # The partners are names, ranked above the body (ranking.py).
        assert "Ministry of Health" in texts["labels"] and "Ministry of Health" in text["names"]
    assert "Sénégal" in source["text"]["fr"]["labels"]


def test_the_settings_choose_the_backends(settings, db):
    settings.ELASTICSEARCH_URL = ""
    assert [backend.name for backend in backends.configured()] == ["database"]
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    assert [backend.name for backend in backends.configured()] == ["database", "elasticsearch"]


def test_database_backend_interface(make_practice, translate):
    database = backends.DatabaseBackend()
    page = make_practice(language="en", title="Mobile workshop")
    french = translate(page, "fr", title="Atelier mobile")
    SearchDocument.objects.all().delete()

    database.index_entries([page.translation_key])
    assert set(SearchDocument.objects.values_list("page_id", flat=True)) == {page.pk, french.pk}
    found = database.search(SearchQuery(q="workshop", lang="en"))
    assert [result.title for result in found.results] == ["Mobile workshop"]

    french_pk = french.pk
    french.delete()
    database.remove(french_pk, page.translation_key)
    assert set(SearchDocument.objects.values_list("page_id", flat=True)) == {page.pk}

    SearchDocument.objects.all().delete()
    assert database.rebuild() == 1
    assert database.search(SearchQuery(q="workshop", lang="en")).count == 1


def test_elasticsearch_backend_interface(
    cluster, make_practice, translate, django_capture_on_commit_callbacks
):
    page = make_practice(language="en", title="Mobile workshop")
    french = translate(page, "fr", title="Atelier mobile")
    (elasticsearch,) = [b for b in backends.configured() if b.name == "elasticsearch"]
    cluster.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        elasticsearch.index_entries([page.translation_key])
    indexed = {int(_id) for kind, _i, _id, _s in cluster.bulk_actions() if kind == "index"}
    assert indexed == {page.pk, french.pk}

    cluster.requests.clear()
    french_pk = french.pk
    with django_capture_on_commit_callbacks(execute=True):
        french.delete()  # the signal calls remove() on every configured backend
    actions = {(kind, int(_id)) for kind, _i, _id, _s in cluster.bulk_actions()}
    assert actions == {("delete", french_pk), ("index", page.pk)}

    assert elasticsearch.rebuild() == 1
    assert cluster.aliases[ALIAS]
    assert not PendingSearchUpdate.objects.exists()


def test_an_entry_published_in_several_versions_at_once_is_sent_once(
    cluster, make_practice, translate, django_capture_on_commit_callbacks
):
    page = make_practice(language="en", title="Mobile workshop")
    french = translate(page, "fr", publish=False, title="Atelier mobile")
    spanish = translate(page, "es", publish=False, title="Taller móvil")
    cluster.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        french.save_revision().publish()
        spanish.save_revision().publish()
    bulks = [path for method, path, _b in cluster.requests if path.endswith("_bulk")]
    assert len(bulks) == 1
    indexed = {int(_id) for kind, _i, _id, _s in cluster.bulk_actions() if kind == "index"}
    assert indexed == {page.pk, french.pk, spanish.pk}


def test_a_page_restricted_to_logged_in_readers_leaves_search_and_comes_back(client, make_practice):
    """The editor sets the page's privacy in the admin, as a person does; a visitor's search
    no longer shows it, then shows it again once it is public."""
    page = make_practice(language="en", title="Confidential workshop")
    visible = make_practice(language="en", title="Open workshop")
    search_url = "/en/practices/?q=workshop"
    assert "Confidential workshop" in client.get(search_url).content.decode()

    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
        {"restriction_type": PageViewRestriction.LOGIN},
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=page).exists()
    client.logout()
    shown = client.get(search_url).content.decode()
    assert "Confidential workshop" not in shown
    assert visible.title in shown

    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
        {"restriction_type": PageViewRestriction.NONE},
    )
    assert not PageViewRestriction.objects.filter(page=page).exists()
    client.logout()
    assert "Confidential workshop" in client.get(search_url).content.decode()

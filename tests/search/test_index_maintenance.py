"""The index follows the pages without a rebuild: publish, unpublish, translate, delete, move."""

from io import StringIO

from django.core.management import call_command

from practices.models import PracticePage
from practices.search.models import SearchDocument
from tests.conftest import practice_index


def titles(results):
    return sorted(result.title for result in results.results)


def test_publish_and_republish(make_practice, search):
    page = make_practice(title="Mobile workshop", publish=False)
    PracticePage.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    assert titles(search(q="workshop")) == []
    page.save_revision().publish()
    assert titles(search(q="workshop")) == ["Mobile workshop"]
    page.title = "Mobile clinic"
    page.save_revision().publish()
    assert titles(search(q="workshop")) == []
    assert titles(search(q="clinic")) == ["Mobile clinic"]


def test_unpublish(make_practice, search):
    page = make_practice(title="Peer support groups")
    assert search(q="peer").count == 1
    page.unpublish()
    assert search(q="peer").count == 0
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_translation_published_replaces_fallback(make_practice, translate, search):
    page = make_practice(language="es", title="Fondo de becas", region=["americas"])
    shown = search(lang="fr").results
    assert [(r.title, r.lang, r.translated) for r in shown] == [("Fondo de becas", "es", False)]
    translation = translate(page, "fr", title="Fonds de bourses")
    shown = search(lang="fr").results
    assert [(r.title, r.lang, r.translated) for r in shown] == [("Fonds de bourses", "fr", True)]
    assert shown[0].id == str(page.translation_key)
    assert search(lang="fr", region=["americas"]).count == 1
    # Unpublishing the translation brings the original back.
    translation.unpublish()
    assert [r.title for r in search(lang="fr").results] == ["Fondo de becas"]


def test_classification_change_reaches_translations(make_practice, translate, search):
    page = make_practice(language="en", title="Grants", region=["africa"])
    translate(page, "fr", title="Subventions")
    assert search(lang="fr", region=["africa"]).count == 1
    page.regions = []
    page.save_revision().publish()
    assert search(lang="fr", region=["africa"]).count == 0
    assert search(lang="en", region=["africa"]).count == 0


def test_delete(make_practice, translate, search):
    page = make_practice(language="en", title="Deleted entry")
    translation = translate(page, "ar", title="مدخل محذوف")
    translation.delete()
    assert [r.title for r in search(lang="ar").results] == ["Deleted entry"]
    PracticePage.objects.get(pk=page.pk).delete()
    assert search(lang="ar").count == 0
    assert search(lang="en").count == 0
    assert not SearchDocument.objects.exists()


def test_move_updates_the_url(make_practice, search):
    page = make_practice(language="en", title="Moving entry", slug="moving-entry")
    assert search().results[0].url == "/en/practices/moving-entry/"
    page.move(practice_index("fr"), pos="last-child")
    result = search(lang="fr").results[0]
    assert result.url == "/fr/practices/moving-entry/"


def test_rebuild_command(make_practice, translate, search):
    page = make_practice(language="en", title="Rebuilt entry")
    translate(page, "es", title="Entrada reconstruida")
    SearchDocument.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "Indexed 1 entries" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar
    assert [r.title for r in search(lang="es", q="reconstruida").results] == [
        "Entrada reconstruida"
    ]
    assert SearchDocument.objects.count() == 2


def test_vocabulary_label_edit_is_searchable(make_practice, search):
    from practices.models import Region

    make_practice(title="Labelled", region=["africa"])
    region = Region.objects.get(slug="africa")
    region.label_en = "Sub-Saharan Africa"
    region.save()
    assert [r.title for r in search(q="saharan").results] == ["Labelled"]
    labels = {item.value: item.label for item in search().facets["region"]}
    assert labels["africa"] == "Sub-Saharan Africa"

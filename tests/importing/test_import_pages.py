"""What the import writes besides the fields: tree, translations, revisions, logs, indexes."""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex

from practices.importing import import_records
from practices.models import PracticeIndexPage, PracticePage


def versions():
    """The three language versions of the conftest record: (original, French, Arabic)."""
    return tuple(
        PracticePage.objects.get(locale__language_code=code) for code in ("en", "fr", "ar")
    )


def assert_tree_is_sound():
    problems = Page.find_problems()
    assert all(not found for found in problems), problems
    for index in PracticeIndexPage.objects.all():
        assert index.numchild == index.get_children().count()
    for page in PracticePage.objects.all():
        parent = page.get_parent()
        assert page.url_path == f"{parent.url_path}{page.slug}/"
        assert parent.specific.locale_id == page.locale_id


def test_imported_translations_are_translations_for_wagtail(
    admin_client, write_file, run_import, record
):
    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    original, french, arabic = versions()
    assert {page.pk for page in original.get_translations()} == {french.pk, arabic.pk}
    assert french.get_translation(Locale.objects.get(language_code="en")).pk == original.pk
    assert french.get_parent().specific == PracticeIndexPage.objects.get(locale__language_code="fr")
    assert french.url == "/fr/practices/fonds-r%C3%A9gional-pour-la-r%C3%A9adaptation/"
    statuses = {page.pk: page.translation_status for page in (original, french, arabic)}
    assert statuses == {original.pk: "original", french.pk: "reviewed", arabic.pk: "reviewed"}
    for page in (original, french, arabic):
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision_id == page.latest_revision_id
        assert page.draft_title == page.title
        assert page.get_latest_revision_as_object().title == page.title
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == HTTPStatus.OK
    assert_tree_is_sound()


def test_translations_copy_what_is_not_translated(write_file, run_import, record):
    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    original, french, arabic = versions()
    rows = ("source", "recipient", "amount", "currency", "year_start", "year_end", "mechanism")
    for translation in (french, arabic):
        # Names are kept from the original; funding and sources are the translation's own rows.
        assert translation.organisation == original.organisation
        assert list(translation.funding.values_list(*rows)) == list(
            original.funding.values_list(*rows)
        )
        assert not set(translation.funding.values_list("pk", flat=True)) & set(
            original.funding.values_list("pk", flat=True)
        )
        assert list(translation.sources.values_list("title", "url")) == list(
            original.sources.values_list("title", "url")
        )
        assert sorted(translation.tags.names()) == sorted(original.tags.names())
        assert translation.translation_key == original.translation_key
        assert translation.provenance == original.provenance
        assert translation.owner_id == original.owner_id


def test_every_page_is_logged_once_as_created_and_once_as_published(write_file, run_import, record):
    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    for page in versions():
        actions = sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        assert actions == ["wagtail.create", "wagtail.publish"]
        publish = PageLogEntry.objects.get(page=page, action="wagtail.publish")
        assert publish.revision_id == page.live_revision_id
        assert publish.label == page.title


def test_imported_versions_are_indexed(write_file, run_import, record):
    from practices.search.models import SearchDocument

    ok, _out, err = run_import(write_file([record]), "--publish")

    assert ok, err
    for page in versions():
        document = SearchDocument.objects.get(page_id=page.pk)
        assert document.title == page.title
        assert document.language == page.locale.language_code
        # The references are those Wagtail records for the page (it would change nothing).
        references = ReferenceIndex.get_references_for_object(page)
        recorded = set(references.values_list("to_object_id", "model_path", "content_path"))
        assert recorded
        ReferenceIndex.create_or_update_for_object(PracticePage.objects.get(pk=page.pk))
        assert set(references.values_list("to_object_id", "model_path", "content_path")) == (
            recorded
        )


def test_translations_of_drafts_are_drafts(write_file, run_import, record):
    ok, _out, err = run_import(write_file([record]))

    assert ok, err
    for page in versions():
        assert not page.live
        assert page.has_unpublished_changes
        assert page.live_revision_id is None
        assert page.latest_revision.as_object().title == page.title
        actions = sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        assert actions == ["wagtail.create", "wagtail.edit"]


def test_translation_added_to_an_existing_entry(write_file, run_import, record):
    translations = record.pop("translations")
    run_import(write_file([record]), "--publish")
    record["translations"] = translations
    record["cooperation_model"] = ["south-south-cooperation"]

    ok, out, err = run_import(write_file([record], name="again.json"), "--publish")

    assert ok, err
    assert "Updated: 1" in out
    assert "Translations created: 2, updated: 0" in out
    original, french, arabic = versions()
    for translation in (french, arabic):
        assert translation.live
        assert translation.classification() | {"language": None} == original.classification() | {
            "language": None
        }
        assert [term.slug for term in translation.cooperation_models.all()] == [
            "south-south-cooperation"
        ]
        assert translation.funding.count() == original.funding.count() == 1
    assert french.title == "Fonds régional pour la réadaptation"
    assert_tree_is_sound()


def test_many_entries_keep_the_tree_sound(write_file, run_import, record):
    records = []
    for number in range(12):
        item = json.loads(json.dumps(record))
        item.update(title=f"Entry {number}", language=("en", "es")[number % 2])
        item.pop("contact")
        if item["language"] == "es":
            item["translations"]["en"] = item["translations"].pop("ar")
        records.append(item)

    ok, out, err = run_import(write_file(records), "--publish")

    assert ok, err
    assert "Created: 12" in out
    assert "Translations created: 24" in out
    assert PracticePage.objects.count() == 36
    assert_tree_is_sound()
    # A second run adds more children below the same indexes.
    for item in records:
        item["title"] += " (second)"
    ok, out, err = run_import(write_file(records, name="second.json"), "--publish")
    assert ok, err
    assert "Created: 12" in out
    assert PracticePage.objects.count() == 72
    assert_tree_is_sound()


def test_a_failed_record_leaves_nothing_the_next_records_depend_on(
    write_file, run_import, record, contact_fails_late
):
    """A record rolled back after creating a tag and pages: later records still import."""
    failing = json.loads(json.dumps(record))
    failing.update(title="Fails late", tags=["a brand new tag"])
    failing["translations"]["fr"]["title"] = "Échoue tard"
    failing["translations"]["ar"]["title"] = "يفشل متأخرا"
    later = json.loads(json.dumps(failing))
    later.update(title="Comes later")
    later["translations"]["fr"]["title"] = "Vient plus tard"
    later["translations"]["ar"]["title"] = "يأتي لاحقا"

    ok, out, err = run_import(write_file([failing, later]), "--publish")

    assert not ok
    assert "record 1 ('Fails late'): contact could not be stored" in err
    assert "Created: 1" in out
    assert not PracticePage.objects.filter(title__in=["Fails late", "Échoue tard"]).exists()
    page = PracticePage.objects.get(title="Comes later")
    assert list(page.tags.names()) == ["a brand new tag"]
    assert Tag.objects.filter(name="a brand new tag").count() == 1
    assert PracticePage.objects.filter(translation_key=page.translation_key).count() == 3
    assert_tree_is_sound()


@pytest.mark.parametrize("publish", [True, False])
def test_query_count_per_page_stays_small(
    record, django_assert_max_num_queries, site_tree, publish
):
    """Guards the import's speed: a page costs about 25 queries (it was 150)."""
    records = []
    for number in range(10):
        item = json.loads(json.dumps(record))
        item.update(title=f"Entry {number}")
        item.pop("contact")
        records.append((number + 1, item, None))
    import_records([(0, dict(records[0][1], title="Warm-up"), None)])  # tags, paths

    with django_assert_max_num_queries(30 * 30):  # 30 pages (each with 8 kinds of term)
        result = import_records(records, publish=publish)
    assert result.ok, result.invalid


def test_a_record_identifies_an_entry_created_earlier_in_the_same_file(
    write_file, run_import, record
):
    first = json.loads(json.dumps(record))
    second = json.loads(json.dumps(record))
    second["summary"] = "The same entry, corrected further down the file."
    # A third record claims the slug the first record's French translation got.
    third = {
        "title": "Fonds régional pour la réadaptation",
        "summary": "Une autre entrée.",
        "language": "fr",
        "cooperation_model": ["regional-funds"],
        "guiding_question": ["q1"],
    }

    ok, out, err = run_import(write_file([first, second, third]), "--publish")

    assert not ok
    assert "Created: 1" in out
    assert "Updated: 1" in out
    assert "record 3" in err and "belongs to the 'fr' translation of another entry" in err
    original, french, _arabic = versions()
    assert original.summary == "The same entry, corrected further down the file."
    assert PracticePage.objects.count() == 3
    assert original.revisions.count() == 2
    assert_tree_is_sound()

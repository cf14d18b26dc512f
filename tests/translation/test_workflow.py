"""Translating an entry with wagtail-localize, publishing it, keeping it in sync."""

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail_localize.models import StringSegment

from practices.models import PracticePage
from practices.translation.publishing import IncompleteTranslationError
from practices.translation.status import entry_states
from tests.conftest import translated

from .conftest import marked


@pytest.mark.parametrize(
    ("original_language", "language"),
    [("en", "ar"), ("en", "fr"), ("en", "es"), ("es", "en"), ("fr", "ar")],
)
def test_translate_an_entry_into_a_language_and_publish_it(
    make_practice, start_translation, fill_translation, publish_translation, client,
    original_language, language,
):  # fmt: skip
    original = make_practice(language=original_language, title="Regional fund", summary="A fund.")
    translation = start_translation(original, language)

    draft = translation.get_target_instance().specific
    assert draft.locale.language_code == language
    assert not draft.live, "a new translation must start as a draft, not a copy in the original"
    assert translation.get_progress() == (3, 0)  # title, slug, summary

    fill_translation(translation)
    page = publish_translation(translation)

    assert page.live
    assert page.title == marked("Regional fund", language)
    assert page.summary == marked("A fund.", language)
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert original.specific.translation_status == PracticePage.TranslationStatus.ORIGINAL
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert marked("A fund.", language) in html
    assert f'<html lang="{language}"' in html
    notice = translated(language, "Machine translation, not yet reviewed by a translator.")
    assert notice not in html


def test_publishing_from_the_translation_editor(
    make_practice, start_translation, fill_translation, admin_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation)
    page = translation.get_target_instance()
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    # GET renders wagtail-localize's editor, not Wagtail's page form.
    response = admin_client.get(edit_url)
    assert response.status_code == HTTPStatus.OK
    assert "wagtail_localize/admin/edit_translation.html" in [t.name for t in response.templates]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit_url, {"action": "publish"})
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.live
    assert page.specific.summary == marked("A fund.", "fr")


def test_out_of_date_after_the_original_changes_and_the_sync(
    make_practice, start_translation, fill_translation, publish_translation, admin_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation)
    publish_translation(translation)

    [state] = entry_states([original])
    french = next(item for item in state.languages if item.code == "fr")
    assert not state.original_changed
    assert french.exists and french.percent == 100 and not french.out_of_date

    # The original is edited and published again.
    original = PracticePage.objects.get(pk=original.pk)
    original.summary = "A regional fund for rehabilitation."
    original.save_revision().publish()
    original = PracticePage.objects.get(pk=original.pk)

    [state] = entry_states([original])
    french = next(item for item in state.languages if item.code == "fr")
    assert state.original_changed
    assert french.out_of_date
    assert state.sync_url == reverse(
        "wagtail_localize:update_translations", args=[translation.source_id]
    )

    # The overview lists it as out of date with the one sync action.
    response = admin_client.get(reverse("practices_entry_translations"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'data-state="original-changed"' in html
    assert state.sync_url in html

    # Sync: wagtail-localize's update view, asked to publish.
    response = admin_client.get(state.sync_url)
    assert response.status_code == HTTPStatus.OK
    assert 'name="publish_translations"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(state.sync_url, {"publish_translations": "on"})
    assert response.status_code == HTTPStatus.FOUND
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Not published in French" in message for message in warnings), warnings

    translation.refresh_from_db()
    translation.source.refresh_from_db()
    [state] = entry_states([original])
    french = next(item for item in state.languages if item.code == "fr")
    assert not state.original_changed, "the sync took in the original's new text"
    assert french.translated_segments == french.total_segments - 1  # the new summary
    assert french.out_of_date, "the published French text predates the sync"
    live = PracticePage.objects.get(pk=french.page.pk)
    assert live.summary == marked("A fund.", "fr"), "no mixed-language page was published"

    # The translator translates the new passage; the sync publishes it.
    fill_translation(translation)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(state.sync_url, {"publish_translations": "on"})
    assert response.status_code == HTTPStatus.FOUND
    [state] = entry_states([original])
    french = next(item for item in state.languages if item.code == "fr")
    assert french.percent == 100 and not french.out_of_date
    live = PracticePage.objects.get(pk=french.page.pk)
    assert live.summary == marked("A regional fund for rehabilitation.", "fr")


class TestPartialTranslationsAreNotPublished:
    def test_save_target_refuses(
        self, make_practice, start_translation, fill_translation, publish_translation
    ):
        original = make_practice(language="en", summary="A fund.")
        translation = start_translation(original, "ar")
        fill_translation(translation, skip=1)
        assert translation.get_progress() == (3, 2)

        with pytest.raises(IncompleteTranslationError) as raised:
            publish_translation(translation)
        assert "1 of its 3 passages" in raised.value.messages[0]
        assert not translation.get_target_instance().live

    def test_any_revision_publish_refuses(self, make_practice, start_translation):
        original = make_practice(language="en")
        translation = start_translation(original, "es")
        page = translation.get_target_instance().specific
        revision = page.save_revision()
        with pytest.raises(IncompleteTranslationError):
            revision.publish()
        page.refresh_from_db()
        assert not page.live

    def test_translation_editor_publish_shows_the_reason(
        self, make_practice, start_translation, fill_translation, admin_client,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        original = make_practice(language="en", summary="A fund.")
        translation = start_translation(original, "fr")
        fill_translation(translation, skip=1)
        page = translation.get_target_instance()
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(edit_url, {"action": "publish"})
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == edit_url
        errors = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("cannot be published yet" in message for message in errors)
        page.refresh_from_db()
        assert not page.live

    def test_the_message_counts_the_missing_passages(
        self, make_practice, start_translation, fill_translation
    ):
        original = make_practice(language="en", summary="A fund.")
        translation = start_translation(original, "fr")
        page = translation.get_target_instance().specific
        with pytest.raises(IncompleteTranslationError) as raised:
            page.save_revision().publish()
        assert "3 of its 3 passages are not translated" in raised.value.messages[0]
        fill_translation(translation, skip=1)
        with pytest.raises(IncompleteTranslationError) as raised:
            page.save_revision().publish()
        assert "1 of its 3 passages is not translated" in raised.value.messages[0]

    def test_bulk_publish_refuses(self, make_practice, start_translation, admin_client, site_tree):
        original = make_practice(language="en")
        translation = start_translation(original, "fr")
        page = translation.get_target_instance()
        url = (
            reverse(
                "wagtail_bulk_action",
                args=("wagtailcore", "page", "publish"),
            )
            + f"?id={page.pk}"
        )
        response = admin_client.post(url, {"include_descendants": ""})
        assert response.status_code == HTTPStatus.FOUND
        errors = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("cannot be published yet" in message for message in errors)
        page.refresh_from_db()
        assert not page.live

    def test_string_segments_count_what_is_missing(self, make_practice, start_translation):
        original = make_practice(language="en", summary="A fund.")
        translation = start_translation(original, "fr")
        assert StringSegment.objects.filter(source=translation.source).count() == 3


def test_the_translate_action_creates_drafts_in_the_chosen_languages(
    make_practice, admin_client, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    original = make_practice(language="es", summary="Un fondo.")
    url = reverse("wagtail_localize:submit_page_translation", args=[original.pk])
    assert admin_client.get(url).status_code == HTTPStatus.OK
    chosen = Locale.objects.filter(language_code__in=["ar", "fr"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"locales": [locale.pk for locale in chosen]})
    assert response.status_code == HTTPStatus.FOUND
    versions = {
        page.locale.language_code: page
        for page in PracticePage.objects.filter(translation_key=original.translation_key)
    }
    assert set(versions) == {"es", "ar", "fr"}
    assert not versions["ar"].live and not versions["fr"].live, "untranslated copies stay drafts"
    [state] = entry_states([original])
    assert [(item.code, item.exists, item.percent) for item in state.languages] == [
        ("ar", True, 0),
        ("en", False, None),
        ("fr", True, 0),
        ("es", True, None),
    ]

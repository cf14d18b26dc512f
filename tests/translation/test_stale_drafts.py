"""No mixed-language pages: a translation's draft that does not hold its translated text.

wagtail-localize writes the translated passages into the page only when its editor publishes
the translation (``Translation.save_target``). A translation whose every passage is translated
but whose draft is still the copied original must not be published by another path.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation as django_translation
from django.utils.translation import gettext
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from practices.models import PracticePage, PracticeSource
from practices.roles import ensure_group_permissions
from practices.translation.publishing import (
    WITHHELD_ACTION,
    StaleTranslationDraftError,
    stale_message,
)
from tests.conftest import translated

from .conftest import marked
from .test_publication_paths import (
    NOT_APPROVED,
    WITHHELD,
    api_publish_url,
    assert_still_in_review,
    run_publish_scheduled,
    schedule_complete_translation,
    submit_for_review,
    workflow_action_url,
)

STALE = (
    "This translation's draft does not hold the translated text yet. Open it in the "
    "translation editor and publish it from there."
)


@pytest.fixture
def finished_not_written(make_practice, start_translation, fill_translation):
    """A Spanish translation with every passage translated, never published from its editor."""
    original = make_practice(language="en", title="Regional fund", summary="A fund.")
    translation = start_translation(original, "es")
    fill_translation(translation)
    assert translation.get_progress() == (3, 3)
    page = PracticePage.objects.get(pk=translation.get_target_instance().pk)
    assert page.summary == "A fund.", "the draft is still the copied original"
    return translation, page


def test_the_message_is_translated():
    for language in ("ar", "fr", "es"):
        assert translated(language, STALE) != STALE, language
    # An earlier test may leave another language active: the English text, in English.
    with django_translation.override("en"):
        assert stale_message() == STALE


def test_admin_api_refuses_a_draft_without_the_translated_text(
    finished_not_written, admin_client, admin_user
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    _translation, page = finished_not_written

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"__all__": [translated("fr", STALE)]}
    page = PracticePage.objects.get(pk=page.pk)
    assert not page.live and page.first_published_at is None


def test_publishing_the_revision_directly_is_refused(finished_not_written, admin_user):
    _translation, page = finished_not_written
    with pytest.raises(StaleTranslationDraftError):
        page.save_revision(user=admin_user).publish(user=admin_user)
    assert not PracticePage.objects.get(pk=page.pk).live


def test_bulk_publish_refuses_with_the_reason(finished_not_written, admin_client):
    _translation, page = finished_not_written
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = admin_client.post(f"{url}?id={page.pk}", {"include_descendants": ""})
    assert response.status_code == HTTPStatus.FOUND
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert errors == [f"{page.get_admin_display_title()}: {STALE}"]
    assert not PracticePage.objects.get(pk=page.pk).live


def test_approving_a_draft_without_the_translated_text_keeps_the_review_open(
    finished_not_written, django_user_model, client
):
    ensure_group_permissions()
    _translation, page = finished_not_written
    reviewer = submit_for_review(page, django_user_model)
    client.force_login(reviewer)

    response = client.post(workflow_action_url(page), {"comment": ""})

    assert response.status_code == HTTPStatus.FOUND
    with django_translation.override("es"):
        expected = gettext(NOT_APPROVED) % {"reason": gettext(STALE)}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    assert_still_in_review(page)


def test_scheduled_publishing_withholds_a_draft_without_the_current_text(
    make_practice, start_translation, fill_translation
):
    original = make_practice(language="en", summary="A fund.")
    translation, page, revision, tomorrow = schedule_complete_translation(
        original, "fr", start_translation, fill_translation
    )
    # Before the day comes, the translator rewrites every passage, without publishing.
    fill_translation(translation, text=lambda segment: f"{segment.string.data} (révisé)")

    _out, err = run_publish_scheduled(tomorrow + timedelta(minutes=5))

    page = PracticePage.objects.get(pk=page.pk)
    assert not page.live and page.first_published_at is None
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    entry = PageLogEntry.objects.get(page_id=page.pk, action=WITHHELD_ACTION)
    assert entry.revision_id == revision.pk
    assert entry.message == translated("en", WITHHELD, reason=STALE)
    assert STALE in err


def test_republishing_an_older_revision_is_refused(
    make_practice, start_translation, fill_translation, publish_translation, admin_user
):
    """Reverting a translation to an earlier text: the translation says otherwise."""
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation)
    first = publish_translation(translation).live_revision
    fill_translation(translation, text=lambda segment: f"{segment.string.data} (v2)")
    page = publish_translation(translation)
    assert page.summary == "A fund. (v2)"

    with pytest.raises(StaleTranslationDraftError):
        first.publish(user=admin_user)
    assert PracticePage.objects.get(pk=page.pk).summary == "A fund. (v2)"


# -- what stays as it was ----------------------------------------------------------------


def test_the_translation_editor_publishes_a_full_entry(
    make_practice, start_translation, fill_translation, admin_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The normal path: the editor writes the draft from the translation, then publishes it."""
    original = make_practice(
        language="en",
        title="Regional fund",
        summary="A fund.",
        answers=[("answer", {"question": "q1", "answer": "<p>The <b>board</b> decides.</p>"})],
        body=[("heading", "How it works"), ("paragraph", "<p>Three <i>countries</i>.</p>")],
        outcomes="<p>More <a href='https://example.org'>prostheses</a>.</p><p>Fewer waits.</p>",
        organisation="Fund office",
    )
    PracticeSource.objects.create(page=original, title="Report", url="https://example.org/r")
    original = PracticePage.objects.get(pk=original.pk)
    original.save_revision().publish()
    translation = start_translation(original, "es")
    fill_translation(translation)
    page = translation.get_target_instance()
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit_url, {"action": "publish"})

    assert response.status_code == HTTPStatus.FOUND
    assert not [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.title == marked("Regional fund", "es")
    assert page.summary == marked("A fund.", "es")
    assert str(page.body[1].value) == "<p>Three <i>countries</i>. [es]</p>"
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    # Source titles are passages of the entry: translated like its text.
    assert [source.title for source in page.sources.all()] == [marked("Report", "es")]
    assert [source.url for source in page.sources.all()] == ["https://example.org/r"]
    # Published again as it is, through the admin API: still what the translation gives.
    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")
    assert response.status_code == HTTPStatus.OK


def test_an_original_is_published_as_it_is(make_practice, admin_client):
    page = make_practice(language="en", summary="A fund.", publish=False)
    page.summary = "A regional fund."
    page.save_revision()

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == "A regional fund."
    assert page.translation_status == PracticePage.TranslationStatus.ORIGINAL


def test_a_translated_slug_made_unique_by_the_editor_is_accepted(
    make_practice, start_translation, fill_translation, admin_client, site_tree
):
    """save_target adds "-1" to a translated slug that a sibling had at that time."""
    sibling = make_practice(language="es", slug="fondo-regional")
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "es")

    def text(segment):
        if segment.context.path == "slug":
            return "Fondo regional"
        return marked(segment.string.data, "es")

    fill_translation(translation, text=text)
    translation.save_target(publish=False)
    page = PracticePage.objects.get(pk=translation.get_target_instance().pk)
    assert page.slug == "fondo-regional-1"
    sibling.delete()  # the suffix is no longer needed; the draft is still the translation's

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    assert PracticePage.objects.get(pk=page.pk).live

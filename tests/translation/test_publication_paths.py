"""No mixed-language pages, whichever way a revision is published.

Wagtail's admin API and code that runs ``PublishPageRevisionAction`` itself do not go through
``Page.publish`` nor the admin hooks: the guard sits on the action (see
practices.translation.publishing.guard_revision_publishing).
"""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.users.models import UserProfile

from practices.models import PracticePage
from practices.translation.publishing import IncompleteTranslationError, incomplete_message

from .conftest import marked


def api_publish_url(page):
    return reverse("wagtailadmin_api:pages:action", args=[page.pk, "publish"])


def test_admin_api_publish_refuses_an_incomplete_translation(
    make_practice, start_translation, fill_translation, admin_client, admin_user
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "es")
    fill_translation(translation, skip=1)
    page = translation.get_target_instance()

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    with django_translation.override("fr"):
        expected = incomplete_message(1, 3)
    assert response.json() == {"__all__": [expected]}, "the reason, in the admin's language"
    page.refresh_from_db()
    assert not page.live and page.first_published_at is None


def test_admin_api_publishes_a_complete_translation_with_its_status(
    make_practice, start_translation, fill_translation, admin_client
):
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "es")
    fill_translation(translation)
    page = translation.get_target_instance()
    # The translated strings reach the page's draft only when wagtail-localize writes it.
    translation.save_target(publish=False)

    response = admin_client.post(api_publish_url(page), {}, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == marked("A fund.", "es")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert page.live_revision.content["translation_status"] == "reviewed"


def test_the_publish_action_itself_refuses(make_practice, start_translation, admin_user):
    """Any code that runs Wagtail's action directly, as its editor and API do."""
    original = make_practice(language="en")
    translation = start_translation(original, "fr")
    page = translation.get_target_instance().specific
    revision = page.save_revision(user=admin_user)

    with pytest.raises(IncompleteTranslationError):
        PublishPageRevisionAction(revision, user=admin_user).execute(skip_permission_checks=True)
    page.refresh_from_db()
    assert not page.live


def test_the_guard_leaves_originals_alone(make_practice, admin_user):
    page = make_practice(language="en", publish=False)
    PublishPageRevisionAction(page.get_latest_revision(), user=admin_user).execute()
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live
    assert page.translation_status == PracticePage.TranslationStatus.ORIGINAL

"""Who publishes a translation from wagtail-localize's editor (**Publish in …**).

A translator of a language publishes complete translations into that language; editors
publish translations in every language; nobody publishes an original entry this way without
the publish permission (originals go through the editorial review). Machine-translated
passages that no translator saved keep the page marked "Machine translation, not yet
reviewed".
"""

import json
import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from practices.models import PracticePage
from practices.models.workflow import REVIEWERS
from practices.roles import EDITORS, ensure_group_permissions, translator_group_name

from .conftest import marked
from .test_machine_translation import machine_translate


def member(name, *groups):
    user = get_user_model().objects.create_user(name, password="x")
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(site_tree):
    ensure_group_permissions()
    return {
        "translator-fr": member("translator-fr", translator_group_name("fr")),
        "editor": member("editor", EDITORS),
        "reviewer": member("reviewer", REVIEWERS),
    }


@pytest.fixture
def original(make_practice):
    return make_practice(language="en", title="Regional fund", summary="A fund.")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def editor_props(response):
    """The props wagtail-localize's editor (a React component) is rendered with."""
    html = response.content.decode()
    match = re.search(r'data-props="([^"]*)"', html)
    assert match, "not wagtail-localize's translation editor"
    import html as html_module

    return json.loads(html_module.unescape(match.group(1)))


def publish(client, page, capture):
    with capture(execute=True):
        return client.post(edit_url(page), {"action": "publish"})


def errors(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_a_translator_publishes_a_complete_translation_into_their_language(
    client, people, original, start_translation, fill_translation,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    translation = start_translation(original, "fr", user=people["editor"])
    fill_translation(translation)
    page = translation.get_target_instance()
    client.force_login(people["translator-fr"])

    response = client.get(edit_url(page))
    assert response.status_code == HTTPStatus.OK
    perms = editor_props(response)["perms"]
    assert perms["canPublish"] is True

    response = publish(client, page, django_capture_on_commit_callbacks)
    assert response.status_code == HTTPStatus.FOUND
    assert not errors(response)
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.title == marked("Regional fund", "fr")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert page.live_revision.user == people["translator-fr"]


def test_a_translator_does_not_publish_another_language(
    client, people, original, start_translation, fill_translation,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    translation = start_translation(original, "es")
    fill_translation(translation)
    page = translation.get_target_instance()
    client.force_login(people["translator-fr"])

    response = publish(client, page, django_capture_on_commit_callbacks)

    assert response.status_code == HTTPStatus.FOUND  # Wagtail's "permission denied" redirect
    assert response["Location"] != edit_url(page)
    assert not PracticePage.objects.get(pk=page.pk).live


def test_a_translator_does_not_publish_an_original_without_review(people, make_practice):
    """A French original (e.g. a contribution) is published by the editorial review only."""
    french_original = make_practice(language="fr", publish=False)
    tester = french_original.permissions_for_user(people["translator-fr"])
    assert tester.can_edit()
    assert not tester.can_publish()
    assert not french_original.permissions_for_user(people["editor"]).can_publish()


def test_an_incomplete_translation_is_refused_to_the_translator(
    client, people, original, start_translation, fill_translation,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    translation = start_translation(original, "fr")
    fill_translation(translation, skip=1)
    page = translation.get_target_instance()
    client.force_login(people["translator-fr"])

    response = publish(client, page, django_capture_on_commit_callbacks)

    assert response.status_code == HTTPStatus.FOUND
    assert errors(response) == [
        "This translation cannot be published yet: 1 of its 3 passages is not translated. "
        "Translate every passage first, so that the page does not mix languages."
    ]
    assert not PracticePage.objects.get(pk=page.pk).live


def test_an_editor_publishes_a_translation_in_spanish(
    client, people, original, start_translation, fill_translation,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    translation = start_translation(original, "es")
    fill_translation(translation)
    page = translation.get_target_instance()
    client.force_login(people["editor"])

    response = client.get(edit_url(page))
    assert response.status_code == HTTPStatus.OK
    assert editor_props(response)["perms"]["canPublish"] is True

    response = publish(client, page, django_capture_on_commit_callbacks)
    assert response.status_code == HTTPStatus.FOUND
    assert not errors(response)
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == marked("A fund.", "es")
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED


def test_reviewers_are_not_part_of_translation(people, original, start_translation):
    page = start_translation(original, "fr").get_target_instance()
    assert not page.permissions_for_user(people["reviewer"]).can_publish()


def test_editors_start_translations_and_translators_translate(people):
    assert people["editor"].has_perm("wagtail_localize.submit_translation")
    assert not people["translator-fr"].has_perm("wagtail_localize.submit_translation")


def test_machine_translated_passages_stay_marked_when_a_translator_publishes(
    dummy_translator, client, people, original, start_translation,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    translation = start_translation(original, "fr")
    client.force_login(people["translator-fr"])
    assert machine_translate(client, translation).status_code == HTTPStatus.FOUND
    page = translation.get_target_instance()

    response = publish(client, page, django_capture_on_commit_callbacks)

    assert response.status_code == HTTPStatus.FOUND
    assert not errors(response)
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live
    assert page.translation_status == PracticePage.TranslationStatus.MACHINE


def test_the_overview_links_a_translator_only_to_what_they_may_open(
    client, people, original, start_translation
):
    french = start_translation(original, "fr").get_target_instance()
    client.force_login(people["translator-fr"])

    html = client.get(reverse("practices_entry_translations")).content.decode()

    assert f'href="{edit_url(french)}"' in html
    assert f'href="{edit_url(original)}"' not in html, "the English original is not theirs"
    assert "Regional fund" in html

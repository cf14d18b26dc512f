"""Machine translation: configured from the environment, marked to readers until reviewed."""

import json
import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail_localize.models import StringSegment, StringTranslation

from practices.models import PracticePage
from tests.conftest import translated

MACHINE_NOTICE = "Machine translation, not yet reviewed by a translator."
PROJECT_DIR = Path(__file__).resolve().parents[2]


def machine_translate(client, translation, **kwargs):
    url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    return client.post(url + "?" + urlencode({"next": "/admin/"}), **kwargs)


def publish_in_editor(client, page, capture):
    with capture(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"}
        )


def review_segment(client, translation, segment, value):
    """What the translator's "Save" on one segment of wagtail-localize's editor sends."""
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    return client.put(
        url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded"
    )


@pytest.fixture
def machine_translated(
    dummy_translator, make_practice, start_translation, admin_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    original = make_practice(language="en", title="Regional fund", summary="A regional fund.")
    translation = start_translation(original, "fr")
    response = machine_translate(admin_client, translation)
    assert response.status_code == HTTPStatus.FOUND
    page = translation.get_target_instance()
    response = publish_in_editor(admin_client, page, django_capture_on_commit_callbacks)
    assert response.status_code == HTTPStatus.FOUND
    return original, translation, PracticePage.objects.get(pk=page.pk)


def test_machine_translation_is_marked_to_readers(machine_translated, client):
    original, translation, page = machine_translated
    assert translation.get_progress() == (3, 3)
    assert set(
        StringTranslation.objects.filter(locale=translation.target_locale).values_list(
            "translation_type", flat=True
        )
    ) == {"machine"}
    assert page.live
    assert page.summary == "fund. regional A"  # the dummy translator reverses the words
    assert page.translation_status == PracticePage.TranslationStatus.MACHINE

    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert translated("fr", MACHINE_NOTICE) in html
    assert f'href="{original.url}"' in html, "the notice links to the original"
    assert MACHINE_NOTICE not in client.get(original.url).content.decode()  # English page


def test_the_mark_stays_until_every_segment_is_reviewed(
    machine_translated, admin_client, client, django_capture_on_commit_callbacks
):
    _original, translation, page = machine_translated
    segments = list(StringSegment.objects.filter(source=translation.source).order_by("order"))

    # One passage reviewed: the page still contains machine text.
    response = review_segment(admin_client, translation, segments[0], "Fonds régional")
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.CREATED)
    publish_in_editor(admin_client, page, django_capture_on_commit_callbacks)
    page.refresh_from_db()
    assert page.title == "Fonds régional"
    assert page.translation_status == PracticePage.TranslationStatus.MACHINE

    # Every passage reviewed by the translator: the mark goes.
    for segment, value in zip(segments[1:], ["fonds-regional", "Un fonds régional."], strict=True):
        review_segment(admin_client, translation, segment, value)
    publish_in_editor(admin_client, page, django_capture_on_commit_callbacks)
    page.refresh_from_db()
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    html = client.get(page.url).content.decode()
    assert "Un fonds régional." in html
    assert translated("fr", MACHINE_NOTICE) not in html


def test_the_overview_shows_machine_translations(machine_translated, admin_client):
    response = admin_client.get(reverse("practices_entry_translations"))
    assert response.status_code == HTTPStatus.OK
    assert "Machine translation" in response.content.decode()


def stop_syncing(client, translation):
    """wagtail-localize's "Stop synced translation": the page becomes an ordinary page."""
    url = reverse("wagtail_localize:stop_translation", args=[translation.pk])
    response = client.post(url + "?" + urlencode({"next": "/admin/"}))
    assert response.status_code == HTTPStatus.FOUND
    translation.refresh_from_db()
    assert not translation.enabled


def test_stopping_the_sync_keeps_the_machine_mark(machine_translated, admin_client, client):
    _original, translation, page = machine_translated
    stop_syncing(admin_client, translation)

    # An editor changes the page in Wagtail's own editor and publishes it: its passages
    # are still the machine's, nobody reviewed them.
    page.organisation = "Ministry of Health"
    page.save_revision().publish()

    page = PracticePage.objects.get(pk=page.pk)
    assert page.translation_status == PracticePage.TranslationStatus.MACHINE
    assert page.live_revision.content["translation_status"] == "machine"
    assert translated("fr", MACHINE_NOTICE) in client.get(page.url).content.decode()


def test_stopping_the_sync_of_a_reviewed_translation_keeps_it_reviewed(
    make_practice, start_translation, fill_translation, publish_translation, admin_client
):
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation)
    page = publish_translation(translation)
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    stop_syncing(admin_client, translation)

    page.save_revision().publish()

    page = PracticePage.objects.get(pk=page.pk)
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED


def test_a_stopped_translation_is_published_as_an_ordinary_page(
    make_practice, start_translation, fill_translation, admin_client
):
    """Editors take the page over in Wagtail's editor: its old progress no longer applies."""
    original = make_practice(language="en", summary="A fund.")
    translation = start_translation(original, "fr")
    fill_translation(translation, skip=1)
    stop_syncing(admin_client, translation)
    page = translation.get_target_instance().specific
    page.summary = "Un fonds, traduit à la main."

    page.save_revision().publish()

    page = PracticePage.objects.get(pk=page.pk)
    assert page.live and page.summary == "Un fonds, traduit à la main."
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED


def test_machine_translation_is_off_without_a_service(
    settings, make_practice, start_translation, admin_client
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    translation = start_translation(make_practice(language="en"), "ar")
    response = machine_translate(admin_client, translation, follow=True)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not StringTranslation.objects.exists()


def machine_translator_setting(**environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEEPL_API_KEY", "GOOGLE_TRANSLATE_PROJECT_ID")
    }
    env.update(environ)
    code = (
        "import json, kb.settings.base as s;print(json.dumps(s.WAGTAILLOCALIZE_MACHINE_TRANSLATOR))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def test_machine_translator_comes_from_the_environment():
    assert machine_translator_setting() is None
    deepl = machine_translator_setting(DEEPL_API_KEY="secret:fx")
    assert deepl["CLASS"] == "wagtail_localize.machine_translators.deepl.DeepLTranslator"
    assert deepl["OPTIONS"]["AUTH_KEY"] == "secret:fx"
    google = machine_translator_setting(
        GOOGLE_TRANSLATE_PROJECT_ID="alianzas", GOOGLE_TRANSLATE_CREDENTIALS_PATH="/k.json"
    )
    assert google["CLASS"].endswith("google.GoogleCloudTranslator")
    assert google["OPTIONS"]["PROJECT_ID"] == "alianzas"
    assert google["OPTIONS"]["CREDENTIALS_PATH"] == "/k.json"

"""Offline translators: download an entry's PO file, fill it, upload it, publish."""

from http import HTTPStatus
from urllib.parse import urlencode

import polib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practices.models import PracticePage


def test_po_export_import_and_publish(
    make_practice, start_translation, admin_client, client, django_capture_on_commit_callbacks
):
    original = make_practice(
        language="es",
        title="Fondo regional",
        summary="Un fondo regional para la rehabilitación.",
        outcomes="<p>Más de <b>300</b> personas atendidas.</p>",
    )
    translation = start_translation(original, "fr")
    page = translation.get_target_instance()

    response = admin_client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/x-gettext-translation")
    assert response["Content-Disposition"].endswith("-fr.po")
    po = polib.pofile(response.content.decode())
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    entries = {entry.msgctxt: entry for entry in po}
    # One entry per passage, its field path as context, empty msgstr to fill.
    assert entries["title"].msgid == "Fondo regional"
    assert entries["summary"].msgid == "Un fondo regional para la rehabilitación."
    assert entries["outcomes"].msgid == "Más de <b>300</b> personas atendidas."
    assert all(entry.msgstr == "" for entry in po)
    assert not any(
        context.startswith(("cooperation_models", "guiding_questions", "countries", "year"))
        for context in entries
    ), "the classification is not in the file"

    french = {
        "title": "Fonds régional",
        "slug": "fonds-regional",
        "summary": "Un fonds régional pour la réadaptation.",
        "outcomes": "Plus de <b>300</b> personnes prises en charge.",
    }
    for entry in po:
        entry.msgstr = french[entry.msgctxt]
    upload = SimpleUploadedFile("fonds.po", str(po).encode(), "text/x-gettext-translation")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk])
        + "?"
        + urlencode({"next": edit_url}),
        {"file": upload},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == edit_url
    assert translation.get_progress() == (4, 4)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url, {"action": "publish"})
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live
    assert page.translation_status == PracticePage.TranslationStatus.REVIEWED
    assert page.url == "/fr/practices/fonds-regional/"
    html = client.get(page.url).content.decode()
    assert "Un fonds régional pour la réadaptation." in html
    assert "Plus de <b>300</b> personnes prises en charge." in html
    assert "rehabilitación" not in html


def test_a_po_file_of_another_translation_is_refused(
    make_practice, start_translation, admin_client
):
    original = make_practice(language="en", summary="A fund.")
    french = start_translation(original, "fr")
    spanish = start_translation(original, "es")
    po = french.export_po()
    for entry in po:
        entry.msgstr = "x"
    response = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[spanish.pk]),
        {"file": SimpleUploadedFile("f.po", str(po).encode())},
        follow=True,
    )
    assert "created for a different translation" in response.content.decode()
    assert spanish.get_progress() == (3, 0)

"""Translators work in their own language only: an Arabic translator cannot touch French."""

from http import HTTPStatus

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail_localize.models import StringTranslation

from practices.roles import ensure_group_permissions, translator_group_name


@pytest.fixture
def arabic_translator(site_tree):
    ensure_group_permissions()
    user = get_user_model().objects.create_user("translator-ar", password="x")
    user.groups.add(Group.objects.get(name=translator_group_name("ar")))
    return user


@pytest.fixture
def entry_in_translation(make_practice, start_translation):
    original = make_practice(language="en", title="Regional fund", summary="A fund.")
    return start_translation(original, "fr"), start_translation(original, "ar")


def test_arabic_translator_edits_the_arabic_version_only(
    client, arabic_translator, entry_in_translation
):
    french, arabic = entry_in_translation
    client.force_login(arabic_translator)

    arabic_edit = reverse("wagtailadmin_pages:edit", args=[arabic.get_target_instance().pk])
    french_edit = reverse("wagtailadmin_pages:edit", args=[french.get_target_instance().pk])
    assert client.get(arabic_edit).status_code == HTTPStatus.OK
    response = client.get(french_edit)
    assert response.status_code == HTTPStatus.FOUND  # Wagtail's "permission denied" redirect
    assert response["Location"] != french_edit


def test_arabic_translator_cannot_upload_a_french_po_file(
    client, arabic_translator, entry_in_translation, admin_client
):
    french, arabic = entry_in_translation
    po = polib.pofile(
        admin_client.get(
            reverse("wagtail_localize:download_pofile", args=[french.pk])
        ).content.decode()
    )
    for entry in po:
        entry.msgstr = f"{entry.msgid} (fr)"
    client.force_login(arabic_translator)

    upload = SimpleUploadedFile("fr.po", str(po).encode(), "text/x-gettext-translation")
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[french.pk]), {"file": upload}
    )

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not StringTranslation.objects.filter(locale=french.target_locale).exists()
    assert french.get_progress()[1] == 0

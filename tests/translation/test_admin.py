"""Admin: the entry translations overview and the vocabulary labels in four languages."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.html import escape

from practices.models import VOCABULARIES, CooperationModel


def test_overview_shows_each_language_state(
    make_practice, start_translation, fill_translation, publish_translation, admin_client
):
    entry = make_practice(language="es", title="Fondo regional", summary="Un fondo.")
    french = start_translation(entry, "fr")
    fill_translation(french)
    publish_translation(french)
    arabic = start_translation(entry, "ar")
    fill_translation(arabic, skip=2)

    response = admin_client.get(reverse("practices_entry_translations"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    row = re.search(rf'<tr data-entry="{entry.translation_key}">(.*?)</tr>', html, re.S).group(1)
    cells = dict(re.findall(r'<td data-language="(\w+)"([^>]*)>', row))
    assert 'data-exists="yes"' in cells["es"] and "data-progress" not in cells["es"]
    assert 'data-progress="100"' in cells["fr"] and 'data-out-of-date="no"' in cells["fr"]
    assert 'data-progress="33"' in cells["ar"]  # 1 of title, slug, summary
    assert 'data-exists="no"' in cells["en"]
    assert "Fondo regional" in row
    assert reverse("wagtail_localize:submit_page_translation", args=[entry.pk]) in row
    assert reverse("wagtail_localize:update_translations", args=[french.source_id]) in row


def test_overview_is_for_admin_users_only(client, site_tree):
    response = client.get(reverse("practices_entry_translations"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_overview_in_the_reports_menu(admin_client, site_tree):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("practices_entry_translations") in html


@pytest.mark.parametrize("facet_key", list(VOCABULARIES))
def test_vocabulary_labels_listed_in_four_languages(admin_client, vocabularies, facet_key):
    model = VOCABULARIES[facet_key]
    url = reverse(f"wagtailsnippets_practices_{model._meta.model_name}:list")
    response = admin_client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    term = model.objects.order_by("sort_order", "slug").first()
    for value in (term.slug, term.label_en, term.label_fr, term.label_es, term.label_ar):
        assert escape(value) in html


def test_vocabulary_search_and_edit(admin_client, vocabularies):
    url = reverse("wagtailsnippets_practices_cooperationmodel:list")
    term = CooperationModel.objects.get(slug="regional-funds")
    response = admin_client.get(url, {"q": term.label_fr})
    html = response.content.decode()
    assert term.slug in html
    assert "south-south-cooperation" not in html

    edit_url = reverse("wagtailsnippets_practices_cooperationmodel:edit", args=[term.pk])
    response = admin_client.get(edit_url)
    assert response.status_code == HTTPStatus.OK
    for field in ("label_en", "label_fr", "label_es", "label_ar"):
        assert f'name="{field}"' in response.content.decode()

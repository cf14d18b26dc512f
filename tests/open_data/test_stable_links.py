"""Stable links /e/<id>/: followed as a browser or a citation manager follows them."""

import uuid
from http import HTTPStatus

import pytest

from tests.conftest import shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def follow(client, entry_id, accept_language=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get(f"/e/{entry_id}/", **headers)
    assert response.status_code == HTTPStatus.FOUND, response.status_code
    location = response["Location"]
    assert client.get(location, **headers).status_code == HTTPStatus.OK
    return location


@pytest.fixture
def entry(make_practice, translate):
    """An entry written in Spanish, translated into French (English left untranslated)."""
    original = make_practice(language="es", title="Fondo regional", slug="fondo-regional")
    french = translate(original, "fr", title="Fonds régional", slug="fonds-regional")
    return original, french


def test_the_readers_language_first(client, entry):
    original, french = entry
    key = original.translation_key
    assert follow(client, key, "fr-CH, fr;q=0.9, en;q=0.8") == french.url
    assert follow(client, key, "en;q=0.5, es") == original.url
    assert follow(client, key, "de, fr;q=0.3") == french.url


def test_without_the_readers_language_the_original(client, entry):
    original, _french = entry
    key = original.translation_key
    assert follow(client, key) == original.url == "/es/practices/fondo-regional/"
    assert follow(client, key, "de, ja") == original.url


def test_a_site_language_with_no_version_gets_the_original_under_its_own_prefix(client, entry):
    """The fallback route: the original, with the English interface and its notice."""
    original, _french = entry
    location = follow(client, original.translation_key, "en-GB, en;q=0.9")
    assert location == "/en/practices/fondo-regional/"
    html = client.get(location).content.decode()
    assert "Fondo regional" in html
    assert '<meta name="robots" content="noindex">' in html


def test_an_unpublished_translation_is_never_the_target(client, make_practice, translate):
    original = make_practice(title="Mobile clinics", slug="mobile-clinics")
    translate(original, "ar", publish=False, title="عيادات متنقلة")
    location = follow(client, original.translation_key, "ar")
    assert location == "/ar/practices/mobile-clinics/"


def test_unknown_or_unpublished_entries_are_404(client, make_practice):
    draft = make_practice(title="A draft", publish=False)
    withdrawn = make_practice(title="Withdrawn")
    withdrawn.unpublish()
    for entry_id in (draft.translation_key, withdrawn.translation_key, uuid.uuid4(), "nope"):
        response = client.get(f"/e/{entry_id}/")
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_answer_varies_with_the_readers_language(client, entry):
    original, _french = entry
    response = client.get(f"/e/{original.translation_key}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Accept-Language" in response["Vary"]

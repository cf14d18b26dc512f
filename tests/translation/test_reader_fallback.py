"""Readers: the original where no translation exists, with a notice and a request button."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from practices.models import PracticePage, TranslationRequest
from practices.translation.fallback import RATE_LIMIT
from tests.conftest import translated

NOTICE = "This example is available in Spanish; no English translation yet."


@pytest.fixture
def spanish_entry(make_practice):
    return make_practice(
        language="es", title="Fondo regional", slug="fondo-regional", summary="Un fondo."
    )


def test_an_entry_without_translation_is_shown_in_its_original(client, spanish_entry):
    response = client.get("/fr/practices/fondo-regional/")
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr" dir="ltr">' in html, "the interface stays French"
    assert re.search(r'<article [^>]*lang="es"', html), "the text is marked as Spanish"
    assert "Un fondo." in html
    # The sentence is an interface string; the language names are already translated
    # by Django's own catalogue (Spanish -> Espagnol).
    notice = "This example is available in %(available)s; no %(missing)s translation yet."
    names = {"available": translated("fr", "Spanish"), "missing": translated("fr", "French")}
    assert translated("fr", notice, **names) in html
    assert re.search(r'<div class="notice translation-notice" lang="fr"', html)
    assert '<link rel="canonical" href="http://testserver/es/practices/fondo-regional/">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert 'hreflang="es" href="http://testserver/es/practices/fondo-regional/"' in html
    head = html.split("</head>", 1)[0]
    assert 'hreflang="fr"' not in head, "no French version to announce to search engines"
    assert 'name="action" value="request-translation"' in html
    assert "csrfmiddlewaretoken" in html
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/es/practices/fondo-regional/"' in switcher
    # Every interface language is offered (the fallback page is in that interface language).
    assert 'href="/ar/practices/fondo-regional/" hreflang="ar"' in switcher
    assert 'href="/en/practices/fondo-regional/" hreflang="en"' in switcher


def test_english_notice(client, spanish_entry):
    html = client.get("/en/practices/fondo-regional/").content.decode()
    assert NOTICE in html
    assert "Ask for a translation into English" in html


def test_arabic_interface_on_a_spanish_entry(client, spanish_entry):
    html = client.get("/ar/practices/fondo-regional/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<article [^>]*lang="es" dir="ltr"', html)
    assert 'class="notice translation-notice" lang="ar" dir="rtl"' in html


def test_the_original_page_itself_has_no_notice(client, spanish_entry):
    response = client.get("/es/practices/fondo-regional/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "translation-notice" not in html
    assert "noindex" not in html
    assert "X-Robots-Tag" not in response
    assert '<link rel="canonical" href="http://testserver/es/practices/fondo-regional/">' in html


def test_unknown_slugs_are_still_404(client, spanish_entry):
    assert client.get("/fr/practices/no-such-entry/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/fr/practices/fondo-regional/extra/").status_code == HTTPStatus.NOT_FOUND


def test_drafts_are_not_shown(client, make_practice):
    draft = make_practice(language="es", slug="borrador", publish=False)
    PracticePage.objects.filter(pk=draft.pk).update(live=False)
    assert client.get("/es/practices/borrador/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/fr/practices/borrador/").status_code == HTTPStatus.NOT_FOUND


def test_a_translated_entry_redirects_to_the_readers_language(client, spanish_entry, translate):
    french = translate(spanish_entry, "fr", title="Fonds régional", slug="fonds-regional")
    response = client.get("/fr/practices/fondo-regional/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == french.url == "/fr/practices/fonds-regional/"


def test_hreflang_canonical_and_switcher_on_a_translated_entry(client, spanish_entry, translate):
    translate(spanish_entry, "fr", title="Fonds régional", slug="fonds-regional")
    html = client.get("/fr/practices/fonds-regional/").content.decode()
    assert '<link rel="canonical" href="http://testserver/fr/practices/fonds-regional/">' in html
    assert 'hreflang="es" href="http://testserver/es/practices/fondo-regional/"' in html
    assert 'hreflang="fr" href="http://testserver/fr/practices/fonds-regional/"' in html
    head = html.split("</head>", 1)[0]
    assert 'hreflang="ar"' not in head and 'hreflang="en"' not in head, "only real versions"
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/es/practices/fondo-regional/"' in switcher
    assert '<span aria-current="true" lang="fr"' in switcher
    # Languages it does not exist in are offered as the fallback.
    fallback = re.search(r'<a href="(/ar/[^"]+)" hreflang="ar"', switcher)
    assert fallback, switcher
    arabic = client.get(fallback.group(1))
    assert arabic.status_code == HTTPStatus.OK
    assert "translation-notice" in arabic.content.decode()
    assert "translation-notice" not in html


class TestTranslationRequests:
    def test_a_request_is_counted_once_per_session(self, client, spanish_entry):
        url = "/fr/practices/fondo-regional/"
        response = client.post(url, {"action": "request-translation"})
        assert response.status_code == HTTPStatus.SEE_OTHER
        assert response["Location"] == url
        request = TranslationRequest.objects.get()
        assert (request.translation_key, request.language, request.count) == (
            spanish_entry.translation_key,
            "fr",
            1,
        )
        html = client.get(url).content.decode()
        thanks = "Thank you: the editors know that readers want this translation."
        assert translated("fr", thanks) in html
        assert 'value="request-translation"' not in html

        client.post(url, {"action": "request-translation"})
        assert TranslationRequest.objects.get().count == 1, "the same session counts once"

        Client().post(url, {"action": "request-translation"})
        Client().post("/ar/practices/fondo-regional/", {"action": "request-translation"})
        counts = dict(TranslationRequest.objects.values_list("language", "count"))
        assert counts == {"fr": 2, "ar": 1}

    def test_csrf_is_required(self, spanish_entry):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/fr/practices/fondo-regional/", {"action": "request-translation"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not TranslationRequest.objects.exists()

        page = client.get("/fr/practices/fondo-regional/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        response = client.post(
            "/fr/practices/fondo-regional/",
            {"action": "request-translation", "csrfmiddlewaretoken": token.group(1)},
        )
        assert response.status_code == HTTPStatus.SEE_OTHER
        assert TranslationRequest.objects.get().count == 1

    def test_other_posts_are_refused(self, client, spanish_entry):
        response = client.post("/fr/practices/fondo-regional/", {"action": "something"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not TranslationRequest.objects.exists()

    def test_requests_are_rate_limited_per_address(self, client, make_practice):
        entries = [make_practice(language="es") for _ in range(RATE_LIMIT + 1)]
        for entry in entries[:RATE_LIMIT]:
            response = client.post(
                f"/fr/practices/{entry.slug}/", {"action": "request-translation"}
            )
            assert response.status_code == HTTPStatus.SEE_OTHER
        response = client.post(
            f"/fr/practices/{entries[-1].slug}/", {"action": "request-translation"}
        )
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        too_many = "You have asked for many translations in a short time. Please try again later."
        assert translated("fr", too_many) in response.content.decode()
        assert TranslationRequest.objects.count() == RATE_LIMIT
        # A new session from the same address is counted with the first one.
        response = Client().post(
            f"/fr/practices/{entries[-1].slug}/", {"action": "request-translation"}
        )
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        # Another reader is not affected.
        response = Client(REMOTE_ADDR="10.1.2.3").post(
            f"/fr/practices/{entries[-1].slug}/", {"action": "request-translation"}
        )
        assert response.status_code == HTTPStatus.SEE_OTHER

    def test_editors_see_the_requests(self, client, admin_client, spanish_entry):
        client.post("/fr/practices/fondo-regional/", {"action": "request-translation"})
        html = admin_client.get(reverse("practices_entry_translations")).content.decode()
        assert "1 reader request" in html
        cell = re.search(r'<td data-language="fr"[^>]*>(.*?)</td>', html, re.S).group(1)
        assert "1 reader request" in cell

"""The page cache for anonymous readers (kb.pagecache): served from the cache until something
readers see changes, and never for a request or an answer that must not be shared."""

from http import HTTPStatus

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from kb import pagecache
from practices.models import CooperationModel, PracticePage
from tests.conftest import shared_site_tree_fixtures, translated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

USERBAR = "wagtail-userbar"

#: The site skeleton, built once for the tests of this module.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def get(client, url, **extra):
    response = client.get(url, **extra)
    response.text = response.content.decode()
    return response


def test_a_second_anonymous_request_is_answered_from_the_cache(
    client, make_practice, django_assert_num_queries
):
    page = make_practice(title="Rehabilitation fund")
    first = get(client, page.url)
    assert first.status_code == HTTPStatus.OK
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):  # no database at all: the test cache is in memory
        second = get(client, page.url)
    assert second["X-Cache"] == "hit"
    assert second.text == first.text
    assert "Rehabilitation fund" in second.text
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "en"


def test_home_and_search_pages_are_cached_per_address(client, make_practice):
    make_practice(title="Regional fund")
    for url in ("/en/", "/fr/", "/en/practices/", "/en/practices/?q=fund"):
        assert get(client, url)["X-Cache"] == "miss", url
        assert get(client, url)["X-Cache"] == "hit", url
    assert get(client, "/en/practices/?q=nothing-like-this")["X-Cache"] == "miss"
    french = get(client, "/fr/")
    assert '<html lang="fr"' in french.text


def test_cache_off_renders_every_time(client, make_practice, settings):
    settings.PAGE_CACHE = False
    page = make_practice()
    get(client, page.url)
    assert "X-Cache" not in get(client, page.url)


def test_a_published_edit_is_shown_at_once(client, make_practice):
    page = make_practice(title="Old title")
    get(client, page.url)
    get(client, "/en/practices/")
    assert "Old title" in get(client, page.url).text  # from the cache

    page = PracticePage.objects.get(pk=page.pk)
    page.title = "New title after review"
    page.save_revision().publish()

    response = get(client, page.url)
    assert response["X-Cache"] == "miss"
    assert "New title after review" in response.text
    assert "Old title" not in response.text
    assert "New title after review" in get(client, "/en/practices/").text


def test_an_unpublished_entry_is_gone_at_once(client, make_practice):
    page = make_practice(title="Soon withdrawn")
    get(client, page.url)
    assert get(client, page.url)["X-Cache"] == "hit"
    assert "Soon withdrawn" in get(client, "/en/practices/").text

    PracticePage.objects.get(pk=page.pk).unpublish()

    assert client.get(page.url).status_code == HTTPStatus.NOT_FOUND
    assert "Soon withdrawn" not in get(client, "/en/practices/").text


def test_a_deleted_entry_is_gone_at_once(client, make_practice):
    page = make_practice(title="Deleted soon")
    get(client, page.url)
    PracticePage.objects.get(pk=page.pk).delete()
    assert client.get(page.url).status_code == HTTPStatus.NOT_FOUND


def test_a_new_translation_changes_the_language_switcher_at_once(client, make_practice, translate):
    page = make_practice(title="Regional fund", slug="regional-fund")
    before = get(client, page.url)
    # No French version yet: the switcher offers the fallback address under /fr/.
    assert 'href="/fr/practices/regional-fund/" hreflang="fr"' in before.text
    assert get(client, page.url)["X-Cache"] == "hit"

    french = translate(page, "fr", title="Fonds régional", slug="fonds-regional")

    after = get(client, page.url)
    assert after["X-Cache"] == "miss"
    assert f'href="{french.url}" hreflang="fr"' in after.text
    assert 'href="/fr/practices/regional-fund/"' not in after.text
    # The fallback address now sends French readers to their version.
    response = client.get("/fr/practices/regional-fund/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == french.url


def test_a_vocabulary_label_edit_is_visible_at_once(client, make_practice):
    page = make_practice(cooperation_model=["regional-funds"])
    term = CooperationModel.objects.get(slug="regional-funds")
    old_label = term.get_short_label("en")
    assert old_label in get(client, page.url).text
    assert get(client, page.url)["X-Cache"] == "hit"

    term.short_label_en = "Pooled regional money"
    term.save()

    response = get(client, page.url)
    assert "Pooled regional money" in response.text
    assert response["X-Cache"] == "miss"


def test_a_signed_in_editor_is_never_served_nor_stores_cached_pages(
    client, make_practice, django_user_model
):
    page = make_practice(title="Shared page")
    editor = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    anonymous = get(client, page.url)  # cached for anonymous readers
    assert USERBAR not in anonymous.text

    client.force_login(editor)
    as_editor = get(client, page.url)
    assert "X-Cache" not in as_editor  # neither served from nor put into the cache
    assert USERBAR in as_editor.text

    client.logout()
    client.cookies.clear()
    again = get(client, page.url)
    assert again["X-Cache"] == "hit"
    assert USERBAR not in again.text

    # An editor first on a cold cache does not fill it with the userbar either.
    other = make_practice(title="Another page")
    client.force_login(editor)
    assert USERBAR in get(client, other.url).text
    client.logout()
    client.cookies.clear()
    first_anonymous = get(client, other.url)
    assert first_anonymous["X-Cache"] == "miss"
    assert USERBAR not in first_anonymous.text


def test_a_reader_with_a_session_bypasses_the_cache(client, make_practice):
    page = make_practice()
    get(client, page.url)
    session = client.session
    session["translation_requests"] = {"asked": []}
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert "X-Cache" not in get(client, page.url)


def test_the_submission_form_is_never_cached(client, site_tree):
    tokens = []
    for _ in range(2):
        client.cookies.clear()
        response = get(client, "/en/submit/", follow=True)
        assert response.status_code == HTTPStatus.OK
        assert "X-Cache" not in response
        assert "csrfmiddlewaretoken" in response.text
        tokens.append(response.cookies["csrftoken"].value)
    assert tokens[0] != tokens[1]  # each visitor gets a token of their own


def test_a_request_with_a_pending_message_is_not_served_from_the_cache(client, make_practice):
    page = make_practice(title="Page with a message")
    get(client, page.url)
    assert get(client, page.url)["X-Cache"] == "hit"
    # A message waiting in its cookie (as after an action elsewhere on the site).
    storage = CookieStorage(RequestFactory().get("/"))
    encoded = storage._encode([Message(constants.SUCCESS, "Saved.")])
    client.cookies["messages"] = encoded
    response = get(client, page.url)
    assert "X-Cache" not in response


def test_an_answer_that_showed_a_message_is_not_stored(settings):
    def view(request):
        request._messages = CookieStorage(request)
        request._messages.add(constants.INFO, "Thank you.")
        shown = [str(message) for message in get_messages(request)]
        return HttpResponse(f"<p>{shown[0]}</p>")

    middleware = pagecache.PageCacheMiddleware(view)
    assert "X-Cache" not in middleware(RequestFactory().get("/en/practices/"))
    assert "X-Cache" not in middleware(RequestFactory().get("/en/practices/"))


def test_a_page_using_a_csp_nonce_is_not_stored(settings):
    calls = []

    def view(request):
        calls.append(request)
        request._csp_nonce = "per-answer-nonce"  # what reading request.csp_nonce leaves
        return HttpResponse("<script nonce='per-answer-nonce'></script>")

    middleware = pagecache.PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(RequestFactory().get("/en/"))
        assert "X-Cache" not in response
    assert len(calls) == 2


def test_cached_pages_carry_the_same_content_security_policy_without_a_nonce(client, make_practice):
    page = make_practice()
    miss = client.get(page.url)
    hit = client.get(page.url)
    assert hit["X-Cache"] == "hit"
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert "nonce-" not in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == miss["X-Frame-Options"]


def test_the_fallback_notice_of_one_language_is_never_shown_in_another(client, make_practice):
    page = make_practice(language="es", title="Fondo regional", slug="fondo-regional")
    french = get(client, "/fr/practices/fondo-regional/")
    notice_fr = translated(
        "fr",
        "This example is available in %(available)s; no %(missing)s translation yet.",
        available=translated("fr", "Spanish"),
        missing=translated("fr", "French"),
    )
    assert notice_fr in french.text
    assert "X-Cache" not in french  # it holds a form (ask for a translation)

    english = get(client, "/en/practices/fondo-regional/")
    assert english.status_code == HTTPStatus.OK
    assert notice_fr not in english.text
    assert "no English translation yet" in english.text
    assert '<html lang="en"' in english.text
    assert get(client, page.url)["X-Cache"] == "miss"  # the original itself: no notice
    assert "translation yet" not in get(client, page.url).text


def test_not_found_redirects_admin_api_and_posts_are_not_cached(client, make_practice):
    page = make_practice()
    for _ in range(2):
        assert "X-Cache" not in client.get("/en/practices/no-such-entry/")
        assert "X-Cache" not in client.get(page.url.rstrip("/"))  # redirect to the slash
        assert "X-Cache" not in client.get("/api/v1/practices/")
        assert "X-Cache" not in client.get("/admin/login/")
        assert "X-Cache" not in client.head(page.url)


def test_a_page_varying_on_the_browser_language_is_not_stored(settings):
    def view(request):
        response = HttpResponse("<p>depends on the browser</p>")
        response["Vary"] = "Accept-Language, Cookie"
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    middleware(RequestFactory().get("/en/", HTTP_ACCEPT_LANGUAGE="fr"))
    response = middleware(RequestFactory().get("/en/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "X-Cache" not in response


def test_a_lost_content_version_never_revives_old_pages(client, make_practice):
    from django.core.cache import cache

    page = make_practice(title="Kept")
    get(client, page.url)
    cache.delete(pagecache.VERSION_KEY)  # evicted, or the cache flushed
    assert get(client, page.url)["X-Cache"] == "miss"
    assert get(client, page.url)["X-Cache"] == "hit"

"""Following a search: the form, the double opt-in, the page that manages an address's
searches, and RFC 8058 one-click unsubscribe."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from practices.models import Subscription

from .conftest import hidden_query, link, subscribe, unescape

pytestmark = pytest.mark.django_db


def follow_form(client, language, query):
    page = client.get(f"/{language}/alerts/follow/?{query}")
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    return html, hidden_query(html)


def test_the_form_follows_the_search_without_its_order_or_page(site_tree):
    client = Client()
    html, query = follow_form(client, "en", "q=prosthesis&country=sn&sort=title&page=3")
    assert query == "q=prosthesis&country=SN"
    assert "prosthesis" in html and "Senegal" in html
    assert 'autocomplete="email"' in html and "<legend>How often" in html

    response = client.post(
        "/en/alerts/follow/", {"email": " Ana@Example.org ", "frequency": "weekly", "query": query}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/alerts/check-your-mail/"
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.language, subscription.query) == (
        "ana@example.org",
        "en",
        "q=prosthesis&country=SN",
    )
    assert subscription.frequency == "weekly" and not subscription.confirmed
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Confirm that you want to follow this search"
    assert "prosthesis" in message.body and "Senegal" in message.body
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to stop yet
    page = client.get(response["Location"]).content.decode()
    assert "a message is on its way" in page


def test_the_confirmation_mail_is_in_the_language_of_the_page(site_tree):
    client = Client()
    _html, query = follow_form(client, "fr", "country=SN")
    client.post(
        "/fr/alerts/follow/", {"email": "ana@example.org", "frequency": "weekly", "query": query}
    )
    (message,) = mail.outbox
    assert "Sénégal" in message.body and "Senegal" not in message.body
    assert "http://testserver/fr/alerts/confirm/" in message.body
    client.post(link(message, "/alerts/confirm/"))
    subscription = Subscription.objects.get()
    assert subscription.language == "fr" and subscription.confirmed


def test_a_confirmation_link_shows_a_button_and_confirms_only_on_post(site_tree):
    client = Client()
    _html, query = follow_form(client, "en", "q=wheelchairs")
    client.post(
        "/en/alerts/follow/", {"email": "ana@example.org", "frequency": "immediate", "query": query}
    )
    confirm = link(mail.outbox[0], "/alerts/confirm/")

    page = Client().get(confirm)  # a mail scanner opening the link
    assert page.status_code == HTTPStatus.OK
    assert "<button" in page.content.decode()
    assert not Subscription.objects.get().confirmed

    done = client.post(confirm, follow=True)
    assert Subscription.objects.get().confirmed
    assert "you follow this search now" in done.content.decode()
    assert "wheelchairs" in done.content.decode()
    # Opened again later: nothing left to confirm, the searches of the address instead.
    again = Client().get(confirm, follow=True)
    assert "/alerts/manage/" in again.redirect_chain[-1][0]
    assert "<h1>Your followed searches</h1>" in again.content.decode()


def test_a_wrong_token_finds_nothing(site_tree):
    subscription = subscribe("ana@example.org", query="q=wheelchairs")
    for path in ("confirm", "manage", "unsubscribe"):
        for token in (f"{subscription.pk}-0000", "nonsense"):
            response = Client().get(f"/en/alerts/{path}/{token}/")
            assert response.status_code == 404
            assert "This link no longer works" in response.content.decode()


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(site_tree):
    subscribe("known@example.org", query="q=wheelchairs")
    answers = []
    for email in ("known@example.org", "new@example.org"):
        mail.outbox = []
        response = Client().post(
            "/en/alerts/follow/",
            {"email": email, "frequency": "immediate", "query": "q=wheelchairs"},
            follow=True,
        )
        answers.append((response.redirect_chain, response.content.decode()))
        assert len(mail.outbox) == 1
    assert answers[0] == answers[1]
    # The known address is told it follows the search already, with the link to manage it.
    assert Subscription.objects.filter(email="known@example.org").count() == 1


def test_an_invalid_address_is_explained_and_the_search_kept(site_tree):
    response = Client().post(
        "/en/alerts/follow/", {"email": "not an address", "frequency": "", "query": "q=wheelchairs"}
    )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "There is a problem" in html and 'href="#id_email"' in html
    assert "Enter an e-mail address like name@example.org." in html
    assert "Choose how often you want the alerts." in html
    assert 'name="query" value="q=wheelchairs"' in html
    assert not Subscription.objects.exists() and not mail.outbox


def test_following_is_rate_limited_per_address_and_per_client(site_tree, settings):
    settings.ALERTS_RATE_LIMIT_ADDRESS = (2, 3600)
    settings.ALERTS_RATE_LIMIT_CLIENT = (3, 3600)
    data = {"email": "ana@example.org", "frequency": "immediate", "query": ""}
    for _turn in range(2):
        assert Client().post("/en/alerts/follow/", data).status_code == HTTPStatus.FOUND
    mail.outbox = []
    refused = Client().post("/en/alerts/follow/", data)
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Please try again later" in refused.content.decode() and not mail.outbox
    # Another address from the same client: the client's own limit (3) is then reached.
    other = {**data, "email": "ben@example.org"}
    assert Client().post("/en/alerts/follow/", other).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_one_click_unsubscribe_by_post_needs_no_session_or_csrf_token(site_tree):
    subscription = subscribe("ana@example.org", query="q=wheelchairs")
    from practices.alerts.notifications import links

    url = links(subscription)["unsubscribe_url"].removeprefix("http://testserver")
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)  # a person, or a scanner: a button, nothing changes
    assert page.status_code == HTTPStatus.OK and "Stop the alerts" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()

    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == HTTPStatus.OK
    assert "You no longer follow this search" in response.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(url).status_code == HTTPStatus.OK  # a second click: the same answer


def test_the_manage_page_lists_changes_and_deletes_an_address_searches(site_tree):
    first = subscribe("ana@example.org", query="q=wheelchairs")
    second = subscribe("ana@example.org", query="country=SN")
    subscribe("ben@example.org", query="q=wheelchairs")
    from practices.alerts.notifications import links

    manage = links(first)["manage_url"].removeprefix("http://testserver")
    client = Client()
    html = client.get(manage).content.decode()
    assert "ana@example.org" in html and "wheelchairs" in html and "Senegal" in html
    assert "ben@example.org" not in html
    assert "leave the mail queue 30 days after they were sent" in html

    saved = client.post(
        manage,
        {"action": "frequency", "subscription": second.pk, "frequency": "weekly"},
        follow=True,
    )
    assert "Your choice is saved." in saved.content.decode()
    second.refresh_from_db()
    assert second.frequency == "weekly"

    # Stopping a search asks first; only the answer deletes it.
    asked = client.post(manage, {"action": "delete", "subscription": second.pk})
    assert "<h1>Stop following this search?</h1>" in asked.content.decode()
    assert Subscription.objects.filter(pk=second.pk).exists()
    stopped = client.post(
        manage,
        {"action": "delete", "subscription": second.pk, "confirmed": "yes"},
        follow=True,
    )
    assert "You no longer follow that search." in stopped.content.decode()
    assert list(Subscription.objects.filter(email="ana@example.org")) == [first]

    asked = client.post(manage, {"action": "delete-all"})
    assert "<h1>Delete all your data?</h1>" in asked.content.decode()
    assert Subscription.objects.filter(email="ana@example.org").exists()
    gone = client.post(manage, {"action": "delete-all", "confirmed": "yes"}, follow=True)
    assert "Your data is deleted" in gone.content.decode()
    assert not Subscription.objects.filter(email="ana@example.org").exists()
    assert Subscription.objects.filter(email="ben@example.org").exists()
    assert client.get(manage).status_code == HTTPStatus.NOT_FOUND


def test_the_search_page_stays_cached_and_the_form_is_never_cached(site_tree, settings):
    settings.PAGE_CACHE = True
    client = Client()
    search = "/en/practices/?country=SN"
    assert client.get(search)["X-Cache"] == "miss"
    cached = client.get(search)
    assert cached["X-Cache"] == "hit"  # the link to the form needs no CSRF token
    assert "Follow this search by e-mail" in cached.content.decode()

    for _turn in range(2):
        page = client.get("/en/alerts/follow/?country=SN")
        assert page.get("X-Cache") != "hit"
        assert "csrftoken" in page.cookies  # each visitor's own token
    assert '<meta name="robots" content="noindex">' in page.content.decode()


def test_the_search_page_and_the_country_page_link_to_the_form_with_their_search(site_tree):
    client = Client()
    search = client.get("/en/practices/?q=prosthesis&country=SN&sort=title").content.decode()
    href = re.search(r'<a href="(/en/alerts/follow/[^"]*)">Follow this search by e-mail', search)
    assert href, search
    _html, query = follow_form(client, "en", unescape(href.group(1)).split("?", 1)[1])
    assert query == "q=prosthesis&country=SN"

    country = client.get("/fr/countries/SN/").content.decode()
    href = re.search(r'<a href="(/fr/alerts/follow/\?country=SN)">', country)
    assert href, country
    html, query = follow_form(client, "fr", "country=SN")
    assert query == "country=SN" and "Sénégal" in html


def test_a_confirmation_link_expires_with_the_request(site_tree, settings):
    Client().post(
        "/en/alerts/follow/", {"email": "ana@example.org", "frequency": "immediate", "query": ""}
    )
    confirm = link(mail.outbox[0], "/alerts/confirm/")
    old = timezone.now() - timedelta(days=settings.ALERTS_CONFIRM_DAYS, hours=1)
    Subscription.objects.update(created_at=old)

    assert Client().get(confirm).status_code == HTTPStatus.NOT_FOUND
    assert Client().post(confirm).status_code == HTTPStatus.NOT_FOUND
    assert not Subscription.objects.get().confirmed


def test_a_search_with_parameters_not_understood_is_not_followed(site_tree):
    client = Client()
    html, query = follow_form(client, "en", "country=XX1&q=wheelchairs")
    assert "not understood" in html and query == "q=wheelchairs"
    response = client.post(
        "/en/alerts/follow/",
        {"email": "ana@example.org", "frequency": "immediate", "query": "region=nowhere"},
    )
    assert response.status_code == HTTPStatus.OK and "not understood" in response.content.decode()
    assert not Subscription.objects.exists() and not mail.outbox


def test_the_address_field_points_assistive_technologies_to_its_help_and_error(site_tree):
    client = Client()
    html, query = follow_form(client, "en", "q=prosthesis")
    described = re.search(r'<input[^>]*name="email"[^>]*aria-describedby="([^"]+)"', html)
    assert described, "the e-mail field names no description"
    for element_id in described.group(1).split():
        assert f'id="{element_id}"' in html, element_id

    response = client.post("/en/alerts/follow/", {"email": "not-an-address", "query": query})
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'value="not-an-address"' in field
    ids = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert len(ids) == 2 and all(f'id="{element_id}"' in html for element_id in ids)


def test_the_manage_page_describes_the_searches_in_its_own_language(site_tree):
    from practices.alerts.tokens import MANAGE, make_token

    subscription = subscribe("ana@example.org", query="region=africa", language="ar")
    html = Client().get(f"/en/alerts/manage/{make_token(subscription, MANAGE)}/").content.decode()
    assert "Africa" in html and "أفريقيا" not in html
    assert 'href="/en/practices/?region=africa"' in html


def test_a_search_stopped_in_another_tab_is_not_mistaken_for_another(site_tree):
    from practices.alerts.tokens import MANAGE, make_token

    first = subscribe("ana@example.org", query="region=africa")
    second = subscribe("ana@example.org", query="region=americas")
    url = f"/en/alerts/manage/{make_token(first, MANAGE)}/"
    client = Client()
    stop = {"action": "delete", "subscription": second.pk, "confirmed": "yes"}
    client.post(url, stop)
    # The same button pressed again from a page left open: nothing else is stopped.
    response = client.post(url, stop)
    assert response.status_code == HTTPStatus.FOUND
    assert list(Subscription.objects.values_list("pk", flat=True)) == [first.pk]
    response = client.post(
        url, {"action": "frequency", "frequency": "weekly", "subscription": second.pk}
    )
    first.refresh_from_db()
    assert first.frequency == "immediate"
    assert "saved" not in response["Location"]

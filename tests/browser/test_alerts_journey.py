"""Follow a search, in English and in Arabic (on a phone), reading the mails from the test
outbox: the search page's link, the form, the confirmation mail and its button, an alert
in the subscriber's language when a matching entry is published, then the manage page and
the unsubscribe link. axe and the Nu Html Checker check every page of the journey."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from practices.models import Subscription
from tests.browser.checks import check_html, describe_violations, run_axe
from tests.browser.reviewing import Watch
from tests.conftest import build_practice

# Confirming and unsubscribing write from the server's thread: the server must commit.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLES = {
    "en": "Zebrafinch repair workshops in Senegal",
    "ar": "ورش إصلاح الأطراف الاصطناعية في السنغال",
}


class Pages:
    """Each page of the journey: checked by axe now, kept for the Nu checker."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.files = []

    def keep_mail(self, message, name):
        """The mail's HTML part, for the Nu checker."""
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        file = self.tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        self.files.append(file)

    def check(self, page, name):
        violations = run_axe(page)
        assert not violations, f"{name}:\n{describe_violations(violations)}"
        file = self.tmp_path / f"{name}.html"
        file.write_text(page.content(), encoding="utf-8")
        self.files.append(file)


def mail_to(address, subject=""):
    found = [m for m in mail.outbox if address in m.to and subject in m.subject]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def link_in(message, part):
    match = re.search(r"https?://\S+" + re.escape(part) + r"\S*", message.body)
    assert match, message.body
    return match.group(0)


def follow_from_the_search_page(page, site_url, pages, language, address):
    """The search page, its "Follow this search" link, the form filled and sent."""
    page.goto(site_url(f"/{language}/practices/?country=SN&sort=title"))
    page.locator(f'a[href^="/{language}/alerts/follow/"]').click()
    expect(page).to_have_url(re.compile(rf"/{language}/alerts/follow/\?"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    pages.check(page, f"{language}-follow")
    page.locator("#id_email").fill(address)
    page.locator("#id_frequency input[value=immediate]").check()
    mail.outbox = []
    page.locator("form.follow-form button[type=submit]").click()
    expect(page).to_have_url(site_url(f"/{language}/alerts/check-your-mail/"))
    pages.check(page, f"{language}-check-your-mail")


def confirm_from_the_mail(page, pages, language, address):
    message = mail_to(address)
    assert f"/{language}/alerts/confirm/" in message.body
    pages.keep_mail(message, f"{language}-confirmation-mail")
    page.goto(link_in(message, "/alerts/confirm/"))
    pages.check(page, f"{language}-confirm")
    assert not Subscription.objects.get(email=address).confirmed  # opening changes nothing
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/alerts/manage/[^/]+/\?confirmed=1$"))
    pages.check(page, f"{language}-manage")
    subscription = Subscription.objects.get(email=address)
    assert subscription.confirmed and subscription.query == "country=SN"


def alert_arrives(language, address):
    mail.outbox = []
    entry = build_practice(language=language, title=TITLES[language], countries=["SN"])
    build_practice(language=language, title="Elsewhere", countries=["ML"])  # not followed
    (message,) = [m for m in mail.outbox if address in m.to]
    assert TITLES[language] in message.subject
    assert f"{entry.url}" in message.body and entry.url.startswith(f"/{language}/")
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return message


def test_following_a_search_in_english(
    browser, site_url, contribution_site, settings, tmp_path, vnu_command
):
    settings.PAGE_CACHE = True  # the search page is served as in production
    pages = Pages(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch(page, site_url)
    address = "reader@example.org"
    try:
        follow_from_the_search_page(page, site_url, pages, "en", address)
        confirm_from_the_mail(page, pages, "en", address)
        watch.check("confirmed")

        alert = alert_arrives("en", address)
        pages.keep_mail(alert, "en-alert-mail")
        page.goto(link_in(alert, "/alerts/manage/"))
        expect(page.locator("main")).to_contain_text(address)
        expect(page.locator("main")).to_contain_text("Senegal")
        page.get_by_role("button", name="Stop following this search").click()
        expect(page.locator("h1")).to_have_text("Stop following this search?")
        pages.check(page, "en-confirm-stop")
        page.get_by_role("button", name="Stop the alerts").click()
        expect(page).to_have_url(site_url("/en/alerts/deleted/"))
        pages.check(page, "en-deleted")
        watch.check("stopped")
        assert not Subscription.objects.filter(email=address).exists()
    finally:
        context.close()
    errors = check_html(vnu_command, pages.files)
    assert not errors, errors


def test_following_a_search_in_arabic_on_a_phone(
    browser, site_url, contribution_site, tmp_path, vnu_command
):
    pages = Pages(tmp_path)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    watch = Watch(page, site_url)
    address = "qari@example.org"
    try:
        follow_from_the_search_page(page, site_url, pages, "ar", address)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        confirm_from_the_mail(page, pages, "ar", address)
        watch.check("confirmed")

        alert = alert_arrives("ar", address)
        pages.keep_mail(alert, "ar-alert-mail")
        assert "السنغال" in alert.body  # the followed search, described in Arabic
        page.goto(link_in(alert, "/alerts/unsubscribe/"))
        pages.check(page, "ar-unsubscribe")
        assert Subscription.objects.filter(email=address).exists()  # opening changes nothing
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main h1")).to_be_visible()
        pages.check(page, "ar-unsubscribed")
        watch.check("unsubscribed")
        assert not Subscription.objects.filter(email=address).exists()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        # The mail's link, opened again: it says it no longer works.
        response = page.goto(link_in(alert, "/alerts/unsubscribe/"))
        assert response.status == 404
        expect(page.locator("main h1")).to_be_visible()
        pages.check(page, "ar-link-gone")
    finally:
        context.close()
    errors = check_html(vnu_command, pages.files)
    assert not errors, errors

"""Followed searches: the site skeleton shared by the package, mail links on testserver, and
helpers that subscribe and confirm as a reader does."""

import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import shared_site_tree_fixtures

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("package")

_on_commit = {}


@pytest.fixture(autouse=True)
def alert_settings(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    _on_commit["capture"] = django_capture_on_commit_callbacks
    yield
    _on_commit.clear()


def committed():
    """Run what waits for the commit (the alerts of a publication) at the end of the block."""
    return _on_commit["capture"](execute=True)


def link(message, part):
    """The first link of the mail whose path contains `part`."""
    found = re.search(r"http://testserver(\S*" + re.escape(part) + r"\S*)", message.body)
    assert found, message.body
    return found.group(1)


def subscribe(email, language="en", query="", frequency="immediate", client=None):
    """Fill "Follow this search" and confirm from the mail; returns the subscription."""
    from practices.models import Subscription

    client = client or Client()
    page = client.get(f"/{language}/alerts/follow/?{query}")
    assert page.status_code == HTTPStatus.OK
    hidden = hidden_query(page.content.decode())
    mail.outbox = []
    response = client.post(
        f"/{language}/alerts/follow/",
        {"email": email, "frequency": frequency, "query": hidden},
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    (message,) = mail.outbox
    confirm = link(message, "/alerts/confirm/")
    assert client.post(confirm).status_code == HTTPStatus.FOUND
    mail.outbox = []
    return Subscription.objects.filter(email=email, language=language).latest("confirmed_at")


def hidden_query(html):
    """The followed search, as the form's hidden field holds it."""
    field = re.search(r'<input type="hidden" name="query"[^>]*>', html)
    assert field, html
    value = re.search(r'value="([^"]*)"', field.group(0))
    return unescape(value.group(1)) if value else ""


def unescape(value):
    import html

    return html.unescape(value)

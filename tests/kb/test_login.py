"""Sign-in throttling on the Wagtail admin's own login view (django-axes)."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import ngettext

LOGIN = "/admin/login/"
PAUSED_ONE = (
    "Too many failed attempts to sign in with this user name from your connection. For your "
    "security, it cannot sign in for the next minute. Check the user name and password, then "
    "try again."
)
PAUSED = (
    "Too many failed attempts to sign in with this user name from your connection. For your "
    "security, it cannot sign in for the next %(minutes)s minutes. Check the user name and "
    "password, then try again."
)


@pytest.fixture
def editor(django_user_model, db):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "editor@example.org", "right-pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def sign_in(client, password, username="editor"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def behind_proxy(address, **extra):
    return Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=address, **extra)


def test_the_right_password_signs_in(editor):
    client = Client()
    response = sign_in(client, "right-pw")
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_repeated_failures_pause_the_account_for_that_address(editor, settings):
    settings.TRUSTED_PROXIES = ["unix"]
    attacker = behind_proxy("203.0.113.1")
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(attacker, "wrong")
        assert response.status_code == HTTPStatus.OK  # the form again, with its error
    response = sign_in(attacker, "wrong")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Even the right password is refused now, with a clear message.
    response = sign_in(attacker, "right-pw")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert PAUSED % {"minutes": 15} in html
    assert attacker.get("/admin/").status_code == HTTPStatus.FOUND
    # The same person from another address (the proxy tells them apart) still signs in.
    colleague = behind_proxy("203.0.113.2")
    assert sign_in(colleague, "right-pw").status_code == HTTPStatus.FOUND
    assert colleague.get("/admin/").status_code == HTTPStatus.OK


def test_an_untrusted_hop_cannot_escape_the_pause(editor, settings):
    settings.TRUSTED_PROXIES = ["unix"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(behind_proxy(f"198.51.100.{number}, 203.0.113.1"), "wrong")
    response = sign_in(behind_proxy("198.51.100.99, 203.0.113.1"), "right-pw")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_pause_message_is_translated(editor, settings):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(Client(HTTP_ACCEPT_LANGUAGE="fr"), "wrong")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    with translation.override("fr"):
        message = ngettext(PAUSED_ONE, PAUSED, 15) % {"minutes": 15}
    assert message in html and "Too many failed attempts" not in message

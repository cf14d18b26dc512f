"""Behind the documented reverse proxy, every client has its own limits."""

from http import HTTPStatus

from django.test import Client

from practices.models import Submission

from .conftest import STEP_DATA, post_step


def behind_proxy(address, forwarded_by_client=""):
    """A browser at `address` reaching gunicorn through nginx on a unix socket."""
    chain = f"{forwarded_by_client}, {address}" if forwarded_by_client else address
    return Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=chain)


def test_two_clients_behind_a_trusted_proxy_have_separate_limits(submit_tree, settings):
    settings.TRUSTED_PROXIES = ["unix"]
    settings.SUBMISSION_RATE_LIMIT = (2, 3600)
    first = behind_proxy("203.0.113.10")
    for _n in range(2):
        assert post_step(first, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND
    assert post_step(first, "/en/submit/", STEP_DATA[1]).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    second = behind_proxy("203.0.113.20")
    assert post_step(second, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND
    assert Submission.objects.count() == 3
    assert len(set(Submission.objects.values_list("ip_hash", flat=True))) == 2


def test_a_client_cannot_escape_its_limit_by_writing_the_header(submit_tree, settings):
    settings.TRUSTED_PROXIES = ["unix"]
    settings.SUBMISSION_RATE_LIMIT = (2, 3600)
    for forged in ("198.51.100.1", "198.51.100.2"):
        client = behind_proxy("203.0.113.10", forwarded_by_client=forged)
        assert post_step(client, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND
    client = behind_proxy("203.0.113.10", forwarded_by_client="198.51.100.3")
    response = post_step(client, "/en/submit/", STEP_DATA[1])
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Straight to the application (not a trusted hop), the header is ignored as well.
    direct = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.99")
    for _n in range(2):
        assert post_step(direct, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND
    direct = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.98")
    assert post_step(direct, "/en/submit/", STEP_DATA[1]).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )

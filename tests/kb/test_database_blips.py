"""A database connection terminated under the site (pg_terminate_backend), on PostgreSQL."""

import contextlib
import io
from http import HTTPStatus

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from practices.models import Submission

# serialized_rollback: start from what the migrations created (content types, root page,
# groups), not from the empty database an earlier transactional test leaves.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
RETRY = "kb.database.RetryReadsOnDroppedConnectionMiddleware"


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend with pg_terminate_backend")


def terminate(pid):
    """End a server process from another session, as an administrator or a failover would."""
    import psycopg

    config = connection.settings_dict
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=config["NAME"],
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


@contextlib.contextmanager
def terminated_at_query(number):
    """The request's connection is terminated just before its `number`-th query."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if len(seen) == number:
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def test_a_read_is_answered_again_when_its_connection_drops(make_practice):
    entry = make_practice(language="en", title="Pooled fund for prosthetics")
    with terminated_at_query(3) as queries:
        response = Client().get(entry.url)
    assert len(queries) > 3
    assert response.status_code == HTTPStatus.OK
    assert "Pooled fund for prosthetics" in response.content.decode()


def test_without_the_retry_the_reader_got_an_error(make_practice, settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != RETRY]
    entry = make_practice(language="en")
    with terminated_at_query(3):
        response = Client(raise_request_exception=False).get(entry.url)
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    connection.close()  # what Django does at the end of a real request (not the test client's)


def test_a_write_is_not_replayed_and_leaves_nothing_behind(site_tree, settings):
    from tests.submit.conftest import STEP_DATA, form_fields

    settings.SUBMISSION_MIN_FILL_SECONDS = 0

    client = Client(raise_request_exception=False)
    fields = form_fields(client.get("/en/submit/").content.decode())
    with terminated_at_query(2):
        response = client.post("/en/submit/", {**fields, **STEP_DATA[1], "action": "next"})
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    connection.close()  # what Django does at the end of a real request (not the test client's)
    assert not Submission.objects.exists()
    # The next request has a working connection again.
    again = client.post("/en/submit/", {**fields, **STEP_DATA[1], "action": "next"})
    assert again.status_code == HTTPStatus.FOUND and Submission.objects.count() == 1


def wsgi_get(handler, path):
    """A request through the real WSGI handler (the test client skips connection upkeep)."""
    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = io.BytesIO(b"")
    statuses = []
    body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
    return int(statuses[0].split()[0]), body


def test_a_persistent_connection_killed_between_requests_is_replaced(make_practice, settings):
    """CONN_HEALTH_CHECKS alone (the retry is taken out): the dead connection is not used."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != RETRY]
    entry = make_practice(language="en", title="Regional fund")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    previous = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    try:
        handler = WSGIHandler()
        assert wsgi_get(handler, entry.url)[0] == HTTPStatus.OK
        pid = connection.connection.info.backend_pid  # kept open between requests
        terminate(pid)
        status, body = wsgi_get(handler, entry.url)
        assert status == HTTPStatus.OK and b"Regional fund" in body
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = previous
        connection.close()

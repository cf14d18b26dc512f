"""Alerts go through the mail queue as deployed (database rows, `manage.py db_worker`): with
the mail server down and then back, every alert is delivered once, and the record says so."""

import pytest
from django.core import mail
from django.utils import timezone

from practices.models import AlertDelivery
from tests.conftest import build_practice
from tests.submit.test_mail_queue import database_queue, hanging_relay, run_worker, waiting

from .conftest import committed, subscribe

__all__ = ["database_queue", "hanging_relay"]  # fixtures

pytestmark = pytest.mark.django_db


def test_with_the_mail_server_down_then_back_every_alert_is_delivered_once(
    site_tree, settings, request
):
    subscribe("ana@example.org", query="q=zebrafinch")
    subscribe("ben@example.org", query="q=zebrafinch")
    request.getfixturevalue("database_queue")
    relay = request.getfixturevalue("hanging_relay")

    with committed():
        page = build_practice(title="Zebrafinch workshops")

    # The publication queued one task; the worker finds the subscriptions and queues the
    # alerts, which meet the hanging server and wait for their retry.
    run_worker()
    assert mail.outbox == []
    assert len(relay.connections) >= 2
    assert waiting().count() == 2
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"queued"}

    # Published again while the server is down: nothing new is queued.
    with committed():
        page.save_revision().publish()
    run_worker()
    assert waiting().count() == 2

    # The server answers again: each alert goes out once.
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting().update(run_after=timezone.now())
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert all("Zebrafinch workshops" in message.subject for message in mail.outbox)
    assert all(message.extra_headers["List-Unsubscribe"] for message in mail.outbox)
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}
    run_worker()
    assert len(mail.outbox) == 2


def test_alerts_that_fail_part_of_the_way_are_tried_again_and_sent_once(
    site_tree, settings, request, monkeypatch
):
    from django.db import OperationalError

    from practices.alerts import notifications

    subscribe("ana@example.org", query="q=zebrafinch")
    subscribe("ben@example.org", query="q=workshops")
    request.getfixturevalue("database_queue")
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    matching_page = notifications.matching_page
    calls = []

    def database_gone_after_the_first(subscription, entry_key):
        calls.append(subscription.email)
        if len(calls) == 2:
            raise OperationalError("the database went away")
        return matching_page(subscription, entry_key)

    monkeypatch.setattr(notifications, "matching_page", database_gone_after_the_first)
    with committed():
        build_practice(title="Zebrafinch workshops")
    run_worker()
    # The first subscription was served; the task waits for its retry.
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    (retry,) = waiting()
    assert retry.task_path.endswith("alert_published")
    assert retry.args_kwargs["args"][1] == 2  # the second attempt

    retry.run_after = timezone.now()
    retry.save()
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert AlertDelivery.objects.count() == 2

"""Mail goes through the task queue: a relay that hangs neither fails nor holds up a submission,
and once it answers again every mail is delivered, each once."""

import re
import socket
import threading
from http import HTTPStatus
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from practices.models import Submission

from .conftest import fill_form, send


class HangingRelay:
    """A mail relay that accepts connections and never says a word."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self.server.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def close(self):
        self.stopping.set()
        self.thread.join()
        for connection in self.connections:
            connection.close()
        self.server.close()


@pytest.fixture
def hanging_relay(settings):
    relay = HangingRelay()
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = relay.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    yield relay
    relay.close()


@pytest.fixture
def database_queue(settings):
    """The queue as deployed: rows in the database, sent by `manage.py db_worker`."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "mail": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


def run_worker():
    """`manage.py db_worker` until the queue is empty. It runs inside the test's transaction,
    where Django's check of old connections would close the connection (and the test's
    transaction with it): that check alone is left out."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--backend", "mail", batch=True, startup_delay=False, reload=False,
            interval=0, verbosity=0,
        )  # fmt: skip


def waiting():
    return DBTaskResult.objects.filter(status="READY")


def test_a_hanging_relay_does_not_touch_the_submission_and_every_mail_goes_out_once_later(
    client, submit_tree, reviewer, settings, database_queue, hanging_relay
):
    submission = fill_form(client, stop_before="send")
    mail.outbox = []

    response = send(client, submission)

    # The request wrote the mails to the queue and never called the relay.
    assert response.status_code == HTTPStatus.FOUND
    assert hanging_relay.connections == []
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED and submission.page is not None
    queued = waiting().count()
    assert queued >= 2  # the contributor's receipt and the reviewers' notice at least
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK

    # The worker meets the hanging relay: each delivery times out and is put back for later.
    run_worker()
    assert len(hanging_relay.connections) >= queued
    assert mail.outbox == []
    later = waiting()
    assert later.count() == queued
    assert all(row.run_after and row.run_after > timezone.now() for row in later)
    submission.refresh_from_db()
    assert submission.mail_failed and submission.pending_mail == []  # still being retried
    html = client.get(response["Location"]).content.decode()
    assert "We could not send you the e-mail yet" in html and "We are emailing" not in html
    # The contributor takes a private link from the page, and it opens the example.
    shown = client.post(response["Location"], {"action": "private_link"}).content.decode()
    link = re.search(r'id="private-link" type="text" readonly value="([^"]+)"', shown)
    assert link and "/submit/link/" in link.group(1)
    elsewhere = Client().get(link.group(1), follow=True)
    assert elsewhere.status_code == HTTPStatus.OK
    assert submission.reference in elsewhere.content.decode()

    # The relay answers again; when the retries are due, each mail goes out once.
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting().update(run_after=timezone.now())
    run_worker()
    assert not waiting().exists()
    sent = [(message.subject, tuple(message.to)) for message in mail.outbox]
    assert len(sent) == queued and len(set(sent)) == len(sent)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"ana@example.org", "reviewer@example.org"} <= recipients
    submission.refresh_from_db()
    assert not submission.mail_failed

    run_worker()  # nothing left: nobody gets a mail twice
    assert len(mail.outbox) == queued


def test_a_rolled_back_change_sends_nothing(db, database_queue):
    from django.core.mail import send_mail
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Subject", "Body", "site@example.org", ["someone@example.org"])
        assert waiting().count() == 1
        raise RuntimeError("the change failed")
    assert not waiting().exists()


def test_a_mail_given_up_is_kept_for_the_retry_command(
    client, submit_tree, reviewer, settings, database_queue, hanging_relay
):
    settings.MAIL_RETRY_DELAYS = (60,)
    submission = fill_form(client)
    run_worker()  # first attempt fails, put back once
    waiting().update(run_after=timezone.now())
    run_worker()  # second attempt fails: given up
    assert not waiting().exists()
    submission.refresh_from_db()
    assert submission.mail_failed
    assert {item["kind"] for item in submission.pending_mail} == {"received", "reviewers"}


def test_sent_mail_leaves_the_queue_table_after_the_days_the_notice_gives(
    db, settings, database_queue
):
    from datetime import timedelta

    from django.core.mail import send_mail

    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_mail("Old", "Body", "site@example.org", ["someone@example.org"])
    send_mail("Recent", "Body", "site@example.org", ["someone@example.org"])
    run_worker()
    old, recent = DBTaskResult.objects.order_by("enqueued_at")
    assert old.finished_at and recent.finished_at
    DBTaskResult.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - timedelta(days=settings.MAIL_KEEP_DAYS + 1)
    )

    call_command("purge_submission_drafts", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_queued_mail_arrives_whole(db, settings, database_queue):
    from django.core.mail import EmailMultiAlternatives

    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    message = EmailMultiAlternatives(
        "Sujet « test »", "Texte", "site@example.org", ["a@example.org"], cc=["b@example.org"],
        reply_to=["editors@example.org"], headers={"X-Reference": "ALZ-1"},
    )  # fmt: skip
    message.attach_alternative("<p>Texte</p>", "text/html")
    message.attach("report.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")
    message.send()
    assert mail.outbox == []  # queued, not sent
    run_worker()
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to, sent.cc) == (
        "Sujet « test »", "Texte", ["a@example.org"], ["b@example.org"],
    )  # fmt: skip
    assert sent.reply_to == ["editors@example.org"] and sent.extra_headers["X-Reference"] == "ALZ-1"
    assert sent.alternatives[0][:2] == ("<p>Texte</p>", "text/html")
    assert sent.attachments[0][:3] == ("report.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")

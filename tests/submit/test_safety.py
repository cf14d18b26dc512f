"""Abuse limits, private links and mail failures."""

import smtplib
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from practices.models import Submission

from .conftest import STEP_DATA, committed, fill_form, form_fields, post_step, step_url


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def test_honeypot_rejects_without_saving(client, submit_tree):
    response = post_step(client, "/en/submit/", {**STEP_DATA[1], "website": "http://spam"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Submission.objects.exists()


def test_too_fast_is_refused_but_keeps_the_values(client, submit_tree, settings):
    settings.SUBMISSION_MIN_FILL_SECONDS = 120
    response = post_step(client, "/en/submit/", STEP_DATA[1])
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "sent too quickly" in html and 'role="alert"' in html
    assert f'value="{STEP_DATA[1]["title"]}"' in html
    assert not Submission.objects.exists()


def test_forged_or_missing_stamp_is_refused(client, submit_tree):
    page = client.get("/en/submit/")
    payload = {**form_fields(page.content.decode()), **STEP_DATA[1], "form_stamp": "forged"}
    response = client.post("/en/submit/", payload)
    assert response.status_code == HTTPStatus.OK
    assert "open for too long" in response.content.decode()
    assert not Submission.objects.exists()


def test_rate_limit_per_address_with_a_clear_message(client, submit_tree, settings):
    settings.SUBMISSION_RATE_LIMIT = (2, 3600)
    for _n in range(2):
        assert post_step(client, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND
    response = post_step(client, "/fr/submit/", STEP_DATA[1])
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert STEP_DATA[1]["summary"] in response.content.decode()
    assert Submission.objects.count() == 2
    hashes = set(Submission.objects.values_list("ip_hash", flat=True))
    assert len(hashes) == 1 and len(hashes.pop()) == 64  # the address itself is not stored
    # another address is not affected
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert post_step(other, "/en/submit/", STEP_DATA[1]).status_code == HTTPStatus.FOUND


def test_request_size_limit(client, submit_tree, settings):
    settings.SUBMISSION_MAX_REQUEST_SIZE = 1000
    response = post_step(client, "/en/submit/", {**STEP_DATA[1], "summary": "x" * 1200})
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not Submission.objects.exists()


def test_csrf_is_enforced(submit_tree):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/en/submit/", STEP_DATA[1])
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Submission.objects.exists()


def test_save_draft_emails_a_private_link_that_resumes(client, submit_tree, mailoutbox):
    submission = fill_form(client, stop_before=3)
    url = step_url(submission, 3)
    response = post_step(client, url, {"tags": "half done"}, action="save_draft")
    assert response.status_code == HTTPStatus.OK
    assert 'href="#id_draft_email"' in response.content.decode()
    response = post_step(
        client, url, {"tags": "half done", "draft_email": "ana@example.org"}, action="save_draft"
    )
    assert response.status_code == HTTPStatus.FOUND
    (message,) = mailoutbox
    assert message.to == ["ana@example.org"]
    link = message.body.split("http://testserver")[1].split()[0]
    submission.refresh_from_db()
    assert submission.token_hash and link.split("/")[-2] not in submission.token_hash

    stranger = Client()
    assert stranger.get(url).status_code == HTTPStatus.NOT_FOUND
    assert stranger.get(f"/en/submit/{submission.reference}/").status_code == HTTPStatus.NOT_FOUND
    assert stranger.get(link).status_code == HTTPStatus.FOUND
    html = stranger.get(url).content.decode()
    assert 'value="half done"' in html


def test_expired_or_unknown_link_is_refused(client, submit_tree, mailoutbox):
    submission = fill_form(client, stop_before=2)
    post_step(
        client, step_url(submission, 2), {"draft_email": "ana@example.org"}, action="save_draft"
    )
    link = mailoutbox[-1].body.split("http://testserver")[1].split()[0]
    assert Client().get(link.replace(link.split("/")[-2], "not-a-token")).status_code == (
        HTTPStatus.NOT_FOUND
    )
    Submission.objects.filter(pk=submission.pk).update(
        token_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = Client().get(link)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "expired" in response.content.decode()


def test_failing_mail_server_never_loses_a_submission(client, submit_tree, settings, reviewer):
    settings.MAIL_DELIVERY_BACKEND = "tests.submit.test_safety.FailingBackend"
    submission = fill_form(client)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.page is not None
    assert submission.mail_failed
    assert {item["kind"] for item in submission.pending_mail} == {"received", "reviewers"}
    assert client.get(f"/en/submit/{submission.reference}/").status_code == HTTPStatus.OK

    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    with committed():
        call_command("retry_submission_mail")
    submission.refresh_from_db()
    assert not submission.mail_failed and submission.pending_mail == []
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["ana@example.org", "reviewer@example.org"]


def test_retry_command_reports_mail_still_failing(client, submit_tree, settings):
    settings.MAIL_DELIVERY_BACKEND = "tests.submit.test_safety.FailingBackend"
    submission = fill_form(client)
    with pytest.raises(SystemExit):
        call_command("retry_submission_mail")
    submission.refresh_from_db()
    assert submission.mail_failed


def test_draft_links_are_rate_limited_too(client, submit_tree, settings, mailoutbox):
    settings.SUBMISSION_RATE_LIMIT = (2, 3600)
    submission = fill_form(client, stop_before=2)
    url = step_url(submission, 2)
    for _n in range(2):
        response = post_step(client, url, {"draft_email": "x@example.org"}, action="save_draft")
        assert response.status_code == HTTPStatus.FOUND
    response = post_step(client, url, {"draft_email": "x@example.org"}, action="save_draft")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many private links" in response.content.decode()
    assert len(mailoutbox) == 2


def test_abandoned_drafts_are_purged_but_sent_submissions_kept(client, submit_tree):
    from . import files

    draft = fill_form(client, stop_before=5)
    post_step(client, step_url(draft, 4), STEP_DATA[4], files=[files.upload("a.pdf", files.PDF)])
    stored_file = draft.files.get().file.path
    sent = fill_form(Client(), "fr")
    old = timezone.now() - timedelta(days=200)
    Submission.objects.filter(pk__in=[draft.pk, sent.pk]).update(updated_at=old)
    call_command("purge_submission_drafts")
    assert list(Submission.objects.values_list("pk", flat=True)) == [sent.pk]
    import os

    assert not os.path.exists(stored_file)

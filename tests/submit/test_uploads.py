"""Attachments: archive bombs, long names, retries, storage failures, who may download."""

import os
import re
from http import HTTPStatus

from django.test import Client

from practices.models import Submission, SubmissionFile

from . import files
from .conftest import STEP_DATA, fill_form, form_fields, post_step, send, step_url

ARABIC_NAME = "تقرير التمويل الإقليمي لإعادة التأهيل " * 5  # 340 bytes in UTF-8


def at_step_four(client):
    submission = fill_form(client, stop_before=4)
    return submission, step_url(submission, 4)


def test_an_archive_bomb_is_refused_without_being_inflated(client, submit_tree):
    bomb = files.zip_bomb(100 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # small on the wire, 100 MB once inflated
    submission, url = at_step_four(client)
    response = post_step(client, url, STEP_DATA[4], files=[files.upload("notes.odt", bomb)])
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "notes.odt" in html and "checked by its content" in html
    assert not submission.files.exists()


def test_an_archive_over_the_uncompressed_cap_is_refused(client, submit_tree, settings):
    settings.SUBMISSION_MAX_UNCOMPRESSED_SIZE = 64 * 1024
    # Incompressible members (ratio about 1): only the total gives them away.
    big = files._zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document/>",
            "word/media/a.bin": os.urandom(80 * 1024),
        }
    )
    submission, url = at_step_four(client)
    response = post_step(client, url, STEP_DATA[4], files=[files.upload("big.docx", big)])
    assert "checked by its content" in response.content.decode()
    assert not submission.files.exists()
    settings.SUBMISSION_MAX_UNCOMPRESSED_SIZE = 1024 * 1024
    post_step(client, url, STEP_DATA[4], files=[files.upload("big.docx", big)])
    assert submission.files.get().kind == "docx"


def test_a_long_arabic_file_name_is_stored_and_shown(client, submit_tree):
    name = f"{ARABIC_NAME}.pdf"
    assert len(name.encode()) > 300
    submission, url = at_step_four(client)
    response = post_step(client, url, STEP_DATA[4], files=[files.upload(name, files.PDF)])
    assert response.status_code == HTTPStatus.FOUND
    kept = submission.files.get()
    assert kept.name == name  # for display, as the contributor named it
    stored = os.path.basename(kept.file.name)
    assert len(stored.encode()) <= 255 and stored.endswith(".pdf")
    assert "تقرير" in stored  # still readable
    with kept.file.open("rb") as handle:
        assert handle.read() == files.PDF
    html = client.get(url).content.decode()
    assert ARABIC_NAME.strip() in html
    # Sent for review, it becomes a document under a short name too.
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    send(client, submission)
    submission.refresh_from_db()
    document = submission.page.specific.attachments.get().document
    assert document.title == name
    assert len(os.path.basename(document.file.name).encode()) <= 255


def test_the_stored_extension_comes_from_the_content(client, submit_tree):
    submission, url = at_step_four(client)
    post_step(client, url, STEP_DATA[4], files=[files.upload("page.html", files.PDF)])
    kept = submission.files.get()
    assert kept.name == "page.html" and kept.kind == "pdf"
    assert kept.file.name.endswith(".pdf") and ".html" not in kept.file.name


def test_a_retried_request_does_not_duplicate_files(client, submit_tree, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    submission, url = at_step_four(client)
    first = files.upload("first.pdf", files.PDF)
    second = files.upload("second.png", files.PNG)
    save = FileSystemStorage._save
    calls = []

    def fail_second(storage, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", fail_second)
    response = post_step(client, url, STEP_DATA[4], files=[first, second])
    assert "second.png" in response.content.decode()
    assert [f.name for f in submission.files.all()] == ["first.pdf"]
    monkeypatch.setattr(FileSystemStorage, "_save", save)
    for upload in (first, second):
        upload.seek(0)
    response = post_step(client, url, STEP_DATA[4], files=[first, second])
    assert response.status_code == HTTPStatus.FOUND
    assert sorted(f.name for f in submission.files.all()) == ["first.pdf", "second.png"]


def test_an_unwritable_media_folder_gives_a_message_and_keeps_the_text(
    client, submit_tree, settings, tmp_path
):
    submission, url = at_step_four(client)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker / "media")
    typed = {**STEP_DATA[4], "outcomes": "Forty families reached; waiting lists fell."}
    response = post_step(client, url, typed, files=[files.upload("report.pdf", files.PDF)])
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "could not be stored because of a problem on our side" in html
    assert 'role="alert"' in html
    assert "Forty families reached; waiting lists fell." in html
    assert not SubmissionFile.objects.exists()
    stored = Submission.objects.get(pk=submission.pk).form_data["4"]
    assert stored["outcomes"] == ["Forty families reached; waiting lists fell."]


def test_the_storage_message_is_translated(client, submit_tree, settings, tmp_path):
    submission = fill_form(client, "ar", stop_before=4)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = post_step(
        client,
        step_url(submission, 4, "ar"),
        STEP_DATA[4],
        files=[files.upload("r.pdf", files.PDF)],
    )
    from tests.conftest import translated

    message = translated(
        "ar",
        "“%(name)s” could not be stored because of a problem on our side. Everything you "
        "typed is kept: please try again later, or write to the editors.",
        name="r.pdf",
    )
    assert message in response.content.decode()
    assert "could not be stored" not in message


def test_a_storage_failure_when_sending_keeps_the_draft(client, submit_tree, monkeypatch):
    """The files are copied into documents when the example is sent: a full disk then
    gives a page that says so, and the draft stays as it was, ready to be sent again."""
    from django.core.files.storage import FileSystemStorage

    submission, url = at_step_four(client)
    response = post_step(client, url, STEP_DATA[4], files=[files.upload("plan.pdf", files.PDF)])
    assert response.status_code == HTTPStatus.FOUND
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    save = FileSystemStorage._save

    def full_disk(storage, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    response = send(client, submission)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Your example could not be sent yet" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    assert submission.page_id is None
    monkeypatch.setattr(FileSystemStorage, "_save", save)
    response = send(client, submission)
    assert response.status_code == HTTPStatus.FOUND
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.page.attachments.count() == 1


def test_attachments_under_review_are_for_editors_and_reviewers_only(
    client, submit_tree, reviewer, editor, translator_fr
):
    submission, url = at_step_four(client)
    post_step(client, url, STEP_DATA[4], files=[files.upload("r.pdf", files.PDF)])
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    send(client, submission)
    submission.refresh_from_db()
    document = submission.page.specific.attachments.get().document
    for user, status in ((translator_fr, HTTPStatus.FORBIDDEN), (reviewer, HTTPStatus.OK)):
        person = Client()
        person.force_login(user)
        assert person.get(document.url).status_code == status, user.username
    person = Client()
    person.force_login(editor)
    response = person.get(document.url)
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == files.PDF
    anonymous = Client().get(document.url)
    assert anonymous.status_code == HTTPStatus.FOUND and "/login/" in anonymous["Location"]


def test_a_fill_time_stamp_starts_one_draft_only(client, submit_tree):
    page = client.get("/en/submit/").content.decode()
    fields = form_fields(page)
    response = client.post("/en/submit/", {**fields, **STEP_DATA[1], "action": "next"})
    assert response.status_code == HTTPStatus.FOUND
    # The same stamp with another idempotency key: a second draft from one rendered form.
    other = Client()
    again = {**fields, "form_key": "another-key", **STEP_DATA[1], "action": "next"}
    response = other.post("/en/submit/", again)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "already been sent once" in html
    assert f'value="{STEP_DATA[1]["title"]}"' in html  # nothing typed is lost
    assert Submission.objects.count() == 1
    # The page shown again carries a new stamp, which is accepted.
    retry = {**form_fields(html), **STEP_DATA[1], "action": "next"}
    assert re.search(r"[0-9a-f]", retry["form_stamp"])
    assert other.post("/en/submit/", retry).status_code == HTTPStatus.FOUND
    assert Submission.objects.count() == 2

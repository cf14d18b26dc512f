"""The form itself: steps, kept values, files, duplicates."""

from http import HTTPStatus

import pytest

from practices.editor_format import comparable_html
from practices.models import PracticePage, Submission, SubmissionFile
from practices.submit.uploads import detect_kind
from tests.conftest import LANGUAGES

from . import files
from .conftest import (
    STEP_DATA,
    check_url,
    fill_form,
    form_fields,
    post_step,
    send,
    step_url,
    stored,
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_start_page_explains_and_shows_step_one(client, submit_tree, language):
    response = client.get(f"/{language}/submit/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert 'aria-current="step"' in html
    assert "css/forms.css" in html
    assert 'name="website"' in html and 'name="form_stamp"' in html
    assert "csrfmiddlewaretoken" in html
    # Enter in a text field submits the first button: it must continue, not go back or add rows
    assert html.index('name="action"') == html.index('name="action" value="next"')


def test_enter_key_continues_on_every_step(client, submit_tree):
    """Enter never sends: the last step too leads to the check page."""
    submission = fill_form(client, stop_before=2)
    for number in range(2, 6):
        html = client.get(step_url(submission, number)).content.decode()
        first = html[html.index('name="action"') :][:40]
        assert 'value="next"' in first


def test_progress_indicator_on_each_step(client, submit_tree):
    submission = fill_form(client, stop_before=2)
    assert "Step 1 of 5" in client.get("/en/submit/").content.decode()
    for number in range(2, 6):
        html = client.get(step_url(submission, number)).content.decode()
        assert f"Step {number} of 5" in html


def test_invalid_step_keeps_values_and_lists_errors(client, submit_tree):
    response = post_step(
        client, "/en/submit/", {**STEP_DATA[1], "title": "", "year": "2020", "year_end": "2010"}
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "There is a problem" in html
    assert 'href="#id_title"' in html and 'id="id_title"' in html
    assert 'href="#id_year_end"' in html
    assert STEP_DATA[1]["summary"] in html
    assert 'value="Ministry of Health"' in html
    assert not Submission.objects.exists()


def test_questions_need_one_answer_and_each_chosen_one_answered(client, submit_tree):
    submission = fill_form(client, stop_before=2)
    url = step_url(submission, 2)
    response = post_step(client, url, {})
    assert response.status_code == HTTPStatus.OK
    assert "Choose at least one guiding question" in response.content.decode()
    response = post_step(client, url, {"q_q2": "on", "answer_q1": "An answer to one."})
    html = response.content.decode()
    assert 'href="#id_answer_q2"' in html
    assert "An answer to one." in html


def test_classification_requires_a_cooperation_model(client, submit_tree):
    submission = fill_form(client, stop_before=3)
    response = post_step(client, step_url(submission, 3), {"tags": "kept tag"})
    html = response.content.decode()
    assert "Choose at least one cooperation model." in html
    assert 'href="#id_cooperation_models_0"' in html
    assert 'value="kept tag"' in html


def test_add_row_rerenders_with_one_more_row_and_keeps_values(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    url = step_url(submission, 4)
    response = post_step(client, url, {**STEP_DATA[4]}, action="add_funding")
    assert response.status_code == HTTPStatus.FOUND
    html = client.get(url).content.decode()
    assert 'name="funding-3-source"' in html
    assert 'value="Regional fund"' in html
    assert 'name="funding-4-source"' not in html


def test_previous_step_keeps_what_was_typed(client, submit_tree):
    submission = fill_form(client, stop_before=3)
    response = post_step(client, step_url(submission, 3), {"tags": "unfinished"}, action="back")
    assert response["Location"] == step_url(submission, 2)
    assert 'value="unfinished"' in client.get(step_url(submission, 3)).content.decode()


def test_valid_upload_is_kept_when_the_step_is_invalid_and_can_be_removed(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    url = step_url(submission, 4)
    data = {**STEP_DATA[4], "funding-0-currency": "dollars"}
    response = post_step(client, url, data, files=[files.upload("report.pdf", files.PDF)])
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Use a three-letter ISO 4217 code" in html
    assert "report.pdf" in html and 'name="remove_files"' in html
    assert 'value="dollars"' in html
    kept = SubmissionFile.objects.get(submission=submission)
    assert kept.kind == "pdf"

    response = post_step(client, url, {**STEP_DATA[4], "remove_files": [str(kept.pk)]})
    assert response.status_code == HTTPStatus.FOUND
    assert not SubmissionFile.objects.filter(submission=submission).exists()


def test_file_type_is_checked_by_content_not_name(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    url = step_url(submission, 4)
    response = post_step(
        client,
        url,
        STEP_DATA[4],
        files=[
            files.upload("fake.pdf", b"just text pretending"),
            files.upload("archive.docx", files.PLAIN_ZIP),
            files.upload("photo.bin", files.PNG),
        ],
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "fake.pdf" in html and "archive.docx" in html
    assert 'href="#id_attachments"' in html
    assert list(submission.files.values_list("name", "kind")) == [("photo.bin", "png")]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (files.PDF, "pdf"),
        (files.PNG, "png"),
        (files.JPEG, "jpeg"),
        (files.DOCX, "docx"),
        (files.XLSX, "xlsx"),
        (files.ODT, "odt"),
        (files.PLAIN_ZIP, None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"MZ\x90\x00executable", None),
    ],
)
def test_detect_kind(content, kind):
    assert detect_kind(files.upload("any.name", content)) == kind


def test_at_most_five_files_and_size_limit(client, submit_tree, settings):
    settings.SUBMISSION_MAX_FILE_SIZE = 1024
    submission = fill_form(client, stop_before=4)
    url = step_url(submission, 4)
    uploads = [files.upload(f"doc{n}.pdf", files.PDF + b"%%%d\n" % n) for n in range(6)]
    uploads.append(files.upload("big.pdf", files.PDF + b"0" * 2048))
    response = post_step(client, url, STEP_DATA[4], files=uploads)
    html = response.content.decode()
    assert submission.files.count() == 5
    assert "doc5.pdf" in html and "at most 5 files" in html
    assert "big.pdf" in html and "larger than" in html


def test_files_become_attachments_of_the_entry(client, submit_tree):
    submission = fill_form(client, stop_before=4)
    post_step(
        client, step_url(submission, 4), STEP_DATA[4], files=[files.upload("a.odt", files.ODT)]
    )
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    send(client, submission)
    submission.refresh_from_db()
    page = submission.page.specific
    documents = [attachment.document for attachment in page.attachments.all()]
    assert [document.title for document in documents] == ["a.odt"]


def test_double_post_of_first_step_creates_one_draft(client, submit_tree):
    page = client.get("/en/submit/")
    payload = {**form_fields(page.content.decode()), **STEP_DATA[1], "action": "next"}
    first = client.post("/en/submit/", payload)
    second = client.post("/en/submit/", payload)
    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1


def test_double_post_racing_the_session_still_creates_one_draft(client, submit_tree):
    """The second click may arrive before the first response saved the session."""
    from django.test import Client

    page = client.get("/en/submit/")
    payload = {**form_fields(page.content.decode()), **STEP_DATA[1], "action": "next"}
    first = client.post("/en/submit/", payload)
    other_session = Client()
    second = other_session.post("/en/submit/", payload)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert other_session.get(second["Location"]).status_code == HTTPStatus.OK


def test_double_post_of_send_creates_one_entry(client, submit_tree):
    submission = fill_form(client, stop_before="send")
    url = check_url(submission)
    page = client.get(url)
    payload = {**form_fields(page.content.decode()), "action": "submit"}
    first = client.post(url, payload)
    second = client.post(url, payload)
    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert first["Location"] == second["Location"] == f"/en/submit/{submission.reference}/"
    assert PracticePage.objects.filter(title=STEP_DATA[1]["title"]).count() == 1
    submission.refresh_from_db()
    assert [item["to"] for item in submission.status_history] == ["submitted"]


def test_an_incomplete_example_is_not_sent(client, submit_tree):
    submission = fill_form(client, stop_before=2)
    # jump straight to the last step (the progress links allow it): it leads to the check page
    response = post_step(client, step_url(submission, 5), STEP_DATA[5])
    assert response["Location"] == check_url(submission)
    html = client.get(check_url(submission)).content.decode()
    assert html.count("Not filled in yet.") == 3  # steps 2, 3 and 4
    response = send(client, submission)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'role="alert"' in html
    for number, title in ((2, "Guiding questions"), (3, "Classification")):
        assert f'<a href="#part-{number}">Fill in the part “{title}”.</a>' in html
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    assert submission.page is None
    assert stored(submission, 5)["contact_email"] == ["ana@example.org"]


def test_submitted_entry_content(client, submit_tree):
    submission = fill_form(client)
    page = submission.page.specific
    assert page.title == STEP_DATA[1]["title"]
    assert [child.value["question"] for child in page.answers] == ["q1"]
    assert comparable_html(str(page.answers[0].value["answer"])) == (
        "<p>Long-term funding came from a pooled budget line.</p>"
    )
    assert comparable_html(page.outcomes) == "<p>Waiting lists fell.</p><p>More fittings.</p>"
    assert [m.slug for m in page.cooperation_models.all()] == ["regional-cooperation"]
    assert [c.code for c in page.countries] == ["CO", "PE"]
    assert sorted(t.name for t in page.tags.all()) == ["pooled fund", "prosthetics"]
    funding = page.funding.get()
    assert (funding.source, funding.currency, int(funding.amount)) == (
        "Regional fund",
        "USD",
        120000,
    )
    assert page.sources.get().url == "https://example.org/report.pdf"
    assert page.year == 2019 and page.year_end == 2022
    assert submission.contact_email == "ana@example.org"
    assert submission.consent_publication and submission.consent_contact

from http import HTTPStatus

import pytest

from practices.models import PracticePage, Submission
from tests.conftest import LANGUAGES

from .conftest import act, fill_form, post_step, send, step_url, stored

TITLES = {
    "ar": "صندوق إقليمي لإعادة التأهيل",
    "en": "Regional fund for rehabilitation",
    "fr": "Fonds régional pour la réadaptation",
    "es": "Fondo regional para la rehabilitación",
}


def mails_to(mailoutbox, address):
    return [mail for mail in mailoutbox if address in mail.to]


@pytest.mark.parametrize("language", LANGUAGES)
def test_submit_request_changes_resubmit_approve(
    client, submit_tree, reviewer, mailoutbox, language
):
    submission = fill_form(client, language, overrides={1: {"title": TITLES[language]}})
    assert submission.status == Submission.Status.SUBMITTED
    page = submission.page.specific
    assert page.title == TITLES[language]
    assert page.slug.endswith(submission.reference.lower())
    assert page.locale.language_code == language
    assert not page.live
    assert page.get_parent().specific.__class__.__name__ == "PracticeIndexPage"
    assert page.current_workflow_state.workflow.name == "Editorial review"

    # confirmation page and emails
    confirmation = client.get(f"/{language}/submit/{submission.reference}/")
    assert submission.reference in confirmation.content.decode()
    received = mails_to(mailoutbox, "ana@example.org")
    assert len(received) == 1 and submission.reference in received[0].subject
    assert mails_to(mailoutbox, reviewer.email), "reviewers are told of the new submission"

    # not public yet
    assert client.get(page.url).status_code == HTTPStatus.NOT_FOUND

    act(reviewer, page, "reject", "Please add the amounts per year.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED
    change_mail = mails_to(mailoutbox, "ana@example.org")[-1]
    assert "Please add the amounts per year." in change_mail.body

    # the contributor follows the private link from the email, in a new browser
    link = change_mail.body.split("http://testserver")[1].split()[0]
    client.logout()
    client.cookies.clear()
    response = client.get(link)
    assert response.status_code == HTTPStatus.FOUND
    status = client.get(response["Location"])
    assert "Please add the amounts per year." in status.content.decode()

    response = post_step(
        client,
        step_url(submission, 1),
        {**stored(submission, 1), "title": f"Corrected title {language}"},
    )
    assert response.status_code == HTTPStatus.FOUND
    for number in (2, 3, 4, 5):
        response = post_step(client, step_url(submission, number), stored(submission, number))
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert send(client, submission).status_code == HTTPStatus.FOUND
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    page = PracticePage.objects.get(pk=page.pk)
    assert page.get_latest_revision_as_object().title == f"Corrected title {language}"
    assert page.current_workflow_state.status == "in_progress"

    act(reviewer, page, "approve")
    page.refresh_from_db()
    submission.refresh_from_db()
    assert page.live
    assert page.title == f"Corrected title {language}"
    assert submission.status == Submission.Status.APPROVED
    assert [item["to"] for item in submission.status_history] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
    ]
    listing = client.get(f"/{language}/practices/").content.decode()
    assert f"Corrected title {language}" in listing
    own = client.get(page.url)
    assert own.status_code == HTTPStatus.OK
    assert "Long-term funding came from a pooled budget line." in own.content.decode()

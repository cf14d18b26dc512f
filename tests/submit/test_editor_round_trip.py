"""What the public form and the importer store is what the page editor would store.

A round trip through the page editor's own form (its initial data posted back, as the
browser does when nobody types anything) changes nothing, for every kind of field of an
entry. So a reviewer who opens an entry and decides never becomes its author.
"""

import json
from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import Revision

from practices.models import PracticePage, Submission
from practices.models.workflow import APPROVE, DECLINE, REQUEST_CHANGES
from practices.submit.services import editorial_workflow
from tests.editor_form import editor_post_data, round_trip
from tests.importing.conftest import VALID_RECORD

from . import files
from .conftest import (
    STEP_DATA,
    act,
    committed,
    fill_form,
    post_step,
    resend,
    send,
    step_url,
    task_state_of,
)

#: Every kind of field the form fills: several answers, rich text with paragraphs and line
#: breaks, two funding rows with a mechanism and years, two sources, tags, classification.
RICH_STEPS = {
    2: {
        "q_q1": "on",
        "answer_q1": "Long-term funding came from a pooled budget line.\n\nA second paragraph.",
        "q_q3": "on",
        "answer_q3": 'Line one\nline two & <b>bold</b> <a href="https://example.org">a link</a>',
    },
    3: {
        "cooperation_models": ["regional-cooperation"],
        "countries": ["CO", "PE"],
        "tags": "prosthetics, pooled fund, \u00e9quipe",
    },
    4: {
        **STEP_DATA[4],
        "funding-0-recipient": "Rehabilitation centre",
        "funding-0-year_start": "2019",
        "funding-0-year_end": "2021",
        "funding-1-source": "Private foundation",
        "funding-1-amount": "5000.5",
        "funding-1-currency": "eur",
        "sources-1-title": "Evaluation",
        "sources-1-url": "https://example.org/evaluation",
        "survivor_participation": "<ul><li>Survivors on the board</li><li>Peer support</li></ul>",
        "accountability": "",
    },
}


def form_entry(client):
    submission = fill_form(client, overrides={2: RICH_STEPS[2], 3: RICH_STEPS[3]}, stop_before=4)
    post_step(
        client,
        step_url(submission, 4),
        RICH_STEPS[4],
        files=[files.upload("report.pdf", files.PDF)],
    )
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    send(client, submission)
    submission.refresh_from_db()
    return PracticePage.objects.get(pk=submission.page_id)


def imported_entry(run_import, write_file):
    ok, _out, err = run_import(write_file([VALID_RECORD]))
    assert ok, err
    page = PracticePage.objects.get(title=VALID_RECORD["title"], locale__language_code="en")
    editorial_workflow().start(page, user=None)
    return PracticePage.objects.get(pk=page.pk)


@pytest.fixture
def entries(client, run_import, write_file, submit_tree):
    """build(kind) -> an entry under review, written by the public form or the importer."""

    def build(kind):
        if kind == "imported":
            return imported_entry(run_import, write_file)
        page = form_entry(client)
        if kind == "resubmitted":
            # returned with a request for changes, then sent again through the private link
            other = Submission.objects.get(page=page)
            act(other_reviewer(), page, REQUEST_CHANGES, "Add the budget.")
            assert resend(client, other).status_code == HTTPStatus.FOUND
            page = PracticePage.objects.get(pk=page.pk)
        return page

    return build


@pytest.fixture
def run_import(information_pages):
    from tests.importing.conftest import _run_import

    return _run_import


@pytest.fixture
def write_file(tmp_path):
    def write(records):
        path = tmp_path / "records.json"
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def other_reviewer():
    from django.contrib.auth.models import Group, User

    user, _created = User.objects.get_or_create(username="first-reviewer")
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.mark.parametrize("kind", ["form", "resubmitted", "imported"])
def test_the_editor_round_trip_changes_nothing(entries, reviewer, kind):
    page = entries(kind)
    latest = page.get_latest_revision_as_object()
    # the entry has every kind of field, with content
    assert len(latest.answers) >= 2
    assert latest.outcomes and latest.lessons_learned and latest.survivor_participation
    assert latest.funding.count() >= 1 and latest.sources.count() >= 1
    assert latest.tags.count() >= 2
    if kind != "imported":
        assert latest.attachments.count() == 1
        assert latest.funding.count() == 2 and latest.sources.count() == 2
    form, changed = round_trip(page, reviewer)
    assert changed == []
    assert not form.has_changed()
    # the rich text is stored as the editor writes it: one block key per block
    for html in (latest.outcomes, latest.answers[0].value["answer"].source):
        assert html.count("data-block-key") == html.count("<p") + html.count("<li")


@pytest.mark.parametrize("kind", ["form", "resubmitted", "imported"])
@pytest.mark.parametrize("action", [REQUEST_CHANGES, APPROVE, DECLINE])
def test_opening_and_deciding_creates_no_revision_by_the_reviewer(
    client, entries, reviewer, mailoutbox, kind, action
):
    page = entries(kind)
    revisions_before = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    state = task_state_of(page)
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    opened = client.get(edit_url)
    assert opened.status_code == HTTPStatus.OK
    assert "Request changes" in opened.content.decode()  # the footer offers the decision
    # and the editor does not autosave (a revision by the reviewer while they type)
    assert "data-w-autosave-interval-value" not in opened.content.decode()
    data = editor_post_data(page, reviewer)
    extra = {"comment": "Please add the budget."} if action != APPROVE else {}
    data.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": action,
            "workflow-action-extra-data": json.dumps(extra),
        }
    )
    with committed():
        response = client.post(edit_url, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "permission" not in text.lower()
    assert response.redirect_chain == [("/admin/", HTTPStatus.FOUND)]
    assert "has been updated" in text
    assert not Revision.page_revisions.filter(object_id=str(page.pk), user=reviewer).exists()
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions_before
    state.refresh_from_db()
    expected = state.STATUS_APPROVED if action == APPROVE else state.STATUS_REJECTED
    assert state.status == expected
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live == (action == APPROVE)
    if kind != "imported":
        submission = Submission.objects.get(page=page)
        wanted = {
            REQUEST_CHANGES: Submission.Status.CHANGES_REQUESTED,
            APPROVE: Submission.Status.APPROVED,
            DECLINE: Submission.Status.REJECTED,
        }[action]
        assert submission.status == wanted
        assert any(m.to == ["ana@example.org"] for m in mailoutbox[-2:])


def test_a_reviewer_who_edited_is_told_why_they_cannot_decide(client, entries, reviewer):
    page = entries("form")
    state = task_state_of(page)
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = editor_post_data(page, reviewer)
    data.update(
        {
            "summary": "A summary the reviewer rewrote.",
            "action-workflow-action": "true",
            "workflow-action-name": APPROVE,
            "workflow-action-extra-data": "{}",
        }
    )
    with committed():
        response = client.post(edit_url, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "permission" not in text.lower()
    assert "nobody approves or returns an entry they edited themselves" in text
    # the edit is kept as a draft by the reviewer; nothing is decided
    latest = PracticePage.objects.get(pk=page.pk).get_latest_revision()
    assert latest.user == reviewer
    assert latest.as_object().summary == "A summary the reviewer rewrote."
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS
    assert not PracticePage.objects.get(pk=page.pk).live
    # the footer no longer offers them a decision, and the editor says why
    reopened = client.get(edit_url).content.decode()
    assert "Approve and publish" not in reopened
    assert "You edited this entry, so another reviewer decides on it" in reopened

"""Editorial review: approve, request changes, reject; no self-approval; everything recorded."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from practices.editor_format import comparable_html
from practices.models import PracticePage, Submission
from practices.models.workflow import DECLINE

from .conftest import act, committed, fill_form, task_state_of


def test_rejected_entry_is_never_published(client, submit_tree, reviewer, mailoutbox):
    submission = fill_form(client, "fr")
    page = submission.page
    act(reviewer, page, DECLINE, "Outside the scope of the knowledge base.")
    submission.refresh_from_db()
    page = PracticePage.objects.get(pk=page.pk)
    assert submission.status == Submission.Status.REJECTED
    assert not page.live and page.first_published_at is None
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_CANCELLED
    assert TaskState.objects.get(workflow_state=state).status == TaskState.STATUS_REJECTED
    logged = set(PageLogEntry.objects.filter(page_id=page.pk).values_list("action", flat=True))
    assert {"wagtail.workflow.reject", "wagtail.workflow.cancel"} <= logged
    assert [item["to"] for item in submission.status_history] == ["submitted", "rejected"]
    message = [m for m in mailoutbox if m.to == ["ana@example.org"]][-1]
    assert "Outside the scope of the knowledge base." in message.body
    assert message.subject.startswith("Votre exemple") or submission.reference in message.subject
    assert submission.reference not in client.get("/fr/practices/").content.decode()
    assert page.title not in client.get("/fr/practices/").content.decode()
    assert client.get(page.url or f"/fr/practices/{page.slug}/").status_code == HTTPStatus.NOT_FOUND
    # the contributor can no longer edit it
    response = client.get(f"/fr/submit/{submission.reference}/step/1/")
    assert response.status_code == HTTPStatus.FOUND
    assert "Outside the scope" in client.get(response["Location"]).content.decode()


def test_request_changes_and_reject_need_a_comment(submit_tree):
    from practices.models import EditorialReviewTask

    task = EditorialReviewTask.objects.get()
    assert not task.get_form_for_action("reject")({"comment": ""}).is_valid()
    assert not task.get_form_for_action(DECLINE)({"comment": ""}).is_valid()
    assert task.get_form_for_action(DECLINE)({"comment": "Duplicate."}).is_valid()


def test_nobody_approves_their_own_edit(client, submit_tree, reviewer, second_reviewer):
    submission = fill_form(client)
    page = submission.page.specific
    draft = page.get_latest_revision_as_object()
    draft.title = "Edited by the first reviewer"
    draft.save_revision(user=reviewer)
    state = task_state_of(page)
    task = state.task.specific
    assert task.get_actions(page, reviewer) == []
    with pytest.raises(PermissionDenied):
        task.on_action(state, reviewer, "approve")
    assert not PracticePage.objects.get(pk=page.pk).live
    assert [name for name, *_ in task.get_actions(page, second_reviewer)] == [
        "reject",
        "approve",
        "approve",
        DECLINE,
    ]
    act(second_reviewer, page, "approve")
    page.refresh_from_db()
    assert page.live and page.title == "Edited by the first reviewer"


def test_editor_corrects_before_a_reviewer_approves(client, submit_tree, editor, reviewer):
    submission = fill_form(client, "es")
    page = submission.page.specific
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(edit_url)
    assert response.status_code == HTTPStatus.OK
    assert task_state_of(page).task.specific.get_actions(page, editor) == []
    draft = page.get_latest_revision_as_object()
    draft.summary = "Summary corrected by an editor."
    draft.save_revision(user=editor)
    act(reviewer, page, "approve")
    page.refresh_from_db()
    assert page.live and page.summary == "Summary corrected by an editor."


def test_admin_workflow_action_over_http(client, submit_tree, reviewer, mailoutbox):
    submission = fill_form(client, "ar")
    page = submission.page
    state = task_state_of(page)
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    with committed():
        response = client.post(url, {"comment": ""})
    assert response.status_code == HTTPStatus.FOUND
    page = PracticePage.objects.get(pk=page.pk)
    assert page.live
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    approved = [m for m in mailoutbox if m.to == ["ana@example.org"]][-1]
    assert submission.reference in approved.subject


def test_every_transition_is_recorded(client, submit_tree, reviewer):
    submission = fill_form(client)
    page = submission.page
    act(reviewer, page, "reject", "More detail please.")
    client.get(f"/en/submit/{submission.reference}/")
    from .conftest import resend

    resend(client, submission)
    act(reviewer, page, "approve")
    actions = list(
        PageLogEntry.objects.filter(page_id=page.pk).order_by("pk").values_list("action", flat=True)
    )
    for expected in (
        "wagtail.create",
        "wagtail.workflow.start",
        "wagtail.workflow.reject",
        "wagtail.workflow.resume",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ):
        assert expected in actions
    submission.refresh_from_db()
    history = submission.status_history
    assert [item["to"] for item in history] == [
        "submitted",
        "changes_requested",
        "submitted",
        "approved",
    ]
    assert history[1]["comment"] == "More detail please." and history[1]["by"] == reviewer.pk
    assert all(item["at"] for item in history)


def test_reviewers_are_notified_of_new_submissions(
    client, submit_tree, reviewer, second_reviewer, mailoutbox
):
    submission = fill_form(client, "ar")
    notes = [m for m in mailoutbox if submission.reference in m.subject and "reviewer" in m.to[0]]
    ours = [m for m in notes if "New example to review" in m.subject]
    # one mail for each reviewer (each in the language they chose), no other notification
    assert sorted(m.to[0] for m in ours) == ["reviewer2@example.org", "reviewer@example.org"]
    assert all(len(m.to) == 1 for m in ours)
    assert len(notes) == 2
    assert all(f"/admin/pages/{submission.page_id}/edit/" in m.body for m in ours)


def test_editor_corrections_survive_a_request_for_changes(client, submit_tree, editor, reviewer):
    from .conftest import resend, step_url, stored

    submission = fill_form(client, "fr")
    page = submission.page.specific
    draft = page.get_latest_revision_as_object()
    draft.summary = "Résumé corrigé par la rédaction."
    draft.outcomes = "<p>Premier point &amp; suite.</p><p>Second point.</p>"
    draft.save_revision(user=editor)
    act(reviewer, page, "reject", "Ajoutez les montants.")
    html = client.get(step_url(submission, 1)).content.decode()
    assert "Résumé corrigé par la rédaction." in html
    assert stored(submission, 4)["outcomes"] == ["Premier point & suite.\n\nSecond point."]
    assert resend(client, submission).status_code == HTTPStatus.FOUND
    act(reviewer, page, "approve")
    page = PracticePage.objects.get(pk=page.pk)
    assert page.summary == "Résumé corrigé par la rédaction."
    # stored as the page editor stores it (one key per block)
    assert comparable_html(page.outcomes) == "<p>Premier point &amp; suite.</p><p>Second point.</p>"
    assert page.outcomes.count("data-block-key") == 2
    assert page.funding.count() == 1 and page.sources.count() == 1


def test_attachments_stay_private_until_approval(client, submit_tree, reviewer):
    from django.test import Client

    from . import files
    from .conftest import STEP_DATA, post_step, send, step_url

    submission = fill_form(client, stop_before=4)
    post_step(
        client, step_url(submission, 4), STEP_DATA[4], files=[files.upload("r.pdf", files.PDF)]
    )
    post_step(client, step_url(submission, 5), STEP_DATA[5])
    send(client, submission)
    submission.refresh_from_db()
    document = submission.page.specific.attachments.get().document
    assert document.collection.get_view_restrictions().exists()
    response = Client().get(document.url)
    assert response.status_code == HTTPStatus.FOUND  # to the login page
    act(reviewer, submission.page, "approve")
    document.refresh_from_db()
    assert not document.collection.get_view_restrictions().exists()
    assert Client().get(document.url).status_code == HTTPStatus.OK

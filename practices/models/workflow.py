"""The "Editorial review" workflow: reviewers approve, ask for changes or reject.

Wagtail records every transition (workflow and task states, log entries); the handlers in
practices.submit.moderation keep the private Submission record and the contributor informed.
Wagtail has no signal for a final rejection: the task sends `entry_declined`.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Review by the Reviewers group"
REVIEWERS = "Reviewers"

APPROVE = "approve"
REQUEST_CHANGES = "reject"  # Wagtail's name for "request changes"
DECLINE = "decline"  # a final rejection: never published

#: Sent, in the decision's transaction, when a reviewer rejects an entry for good; with
#: `workflow_state` (cancelled), `user` and `comment`.
entry_declined = Signal()


def comment_form(label):
    """A required comment: the contributor is told what to change or why it was rejected."""
    from wagtail.forms import TaskStateCommentForm

    return type(
        "RequiredCommentForm",
        (TaskStateCommentForm,),
        {"comment": forms.CharField(label=label, widget=forms.Textarea, required=True)},
    )


def last_editor_ids(obj, workflow_state=None):
    """Who last edited the content and who submitted it for review (ignoring anonymous)."""
    ids = set()
    # Read from the database: the object passed in may predate the latest edit.
    revisions = getattr(obj, "revisions", None)
    revision = revisions.order_by("-created_at", "-pk").first() if revisions is not None else None
    if revision is not None and revision.user_id:
        ids.add(revision.user_id)
    state = workflow_state or getattr(obj, "current_workflow_state", None)
    if state is not None and state.requested_by_id:
        ids.add(state.requested_by_id)
    return ids


class EditorialReviewTask(GroupApprovalTask):
    """Group approval that nobody may approve for their own edit, with a final rejection."""

    def user_is_author(self, obj, user):
        return user.pk in last_editor_ids(obj)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if not actions:
            return []
        if self.user_is_author(obj, user):
            # The last editor may not decide on their own edit: another reviewer must.
            return []
        return [
            (REQUEST_CHANGES, _("Request changes"), True),
            (APPROVE, _("Approve and publish"), False),
            (APPROVE, _("Approve with comment"), True),
            (DECLINE, _("Reject"), True),
        ]

    def get_form_for_action(self, action):
        if action == DECLINE:
            return comment_form(_("Reason (sent to the contributor)"))
        if action == REQUEST_CHANGES:
            return comment_form(_("Changes needed (sent to the contributor)"))
        return super().get_form_for_action(action)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        allowed = {name for name, _label, _modal in self.get_actions(obj, user)}
        if action_name not in allowed:
            raise PermissionDenied
        if action_name == DECLINE:
            comment = kwargs.get("comment", "")
            task_state.reject(user=user, update=False, comment=comment)
            task_state.workflow_state.cancel(user=user)
            entry_declined.send(
                sender=type(self),
                workflow_state=task_state.workflow_state,
                user=user,
                comment=comment,
            )
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, request changes or reject; "
            "nobody decides on their own edit."
        )

    class Meta:
        verbose_name = _("editorial review task")
        verbose_name_plural = _("editorial review tasks")

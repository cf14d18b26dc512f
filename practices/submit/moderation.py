"""Keep the private Submission record in step with the editorial workflow, and tell people."""

from django.dispatch import receiver
from wagtail.admin import signal_handlers as wagtail_mail
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from ..models import PracticePage, Submission
from ..models.workflow import entry_declined
from .notifications import send_after_commit


def _submission_for_state(workflow_state):
    if workflow_state.base_content_type.model_class() is None:
        return None
    obj = workflow_state.content_object
    if not isinstance(getattr(obj, "specific", obj), PracticePage):
        return None
    return Submission.objects.filter(page_id=obj.pk, channel=Submission.Channel.FORM).first()


def _comment(workflow_state):
    task_state = workflow_state.current_task_state
    return task_state.comment if task_state is not None else ""


@receiver(workflow_approved)
def submission_approved(sender, instance, user=None, **kwargs):
    submission = _submission_for_state(instance)
    if submission is None or submission.status == Submission.Status.APPROVED:
        return
    submission.record_status(Submission.Status.APPROVED, user, _comment(instance))
    submission.save()
    if submission.page_id:
        from .services import release_documents

        release_documents(PracticePage.objects.get(pk=submission.page_id))
    send_after_commit(submission, "approved")


@receiver(workflow_rejected)
def submission_changes_requested(sender, instance, user=None, **kwargs):
    submission = _submission_for_state(instance)
    if submission is None:
        return
    comment = _comment(instance)
    submission.record_status(Submission.Status.CHANGES_REQUESTED, user, comment)
    submission.reviewer_comment = comment
    if submission.page_id:
        # The contributor edits the entry as it now stands, editors' corrections included.
        from .services import form_data_from_page

        page = PracticePage.objects.get(pk=submission.page_id).get_latest_revision_as_object()
        submission.form_data = {**submission.form_data, **form_data_from_page(page)}
    submission.save()
    send_after_commit(submission, "changes_requested")


@receiver(entry_declined)
def submission_declined(sender, workflow_state, user, comment, **kwargs):
    """Final rejection: the entry stays a draft forever and the contributor is told why."""
    submission = _submission_for_state(workflow_state)
    if submission is None:
        return
    submission.record_status(Submission.Status.REJECTED, user, comment)
    submission.reviewer_comment = comment
    submission.save()
    send_after_commit(submission, "rejected")


# -- one notification per event -------------------------------------------------------------
# Wagtail mails the task's groups (and superusers) when content is submitted for review. The
# public form submits without a signed-in user, and services.submit() then mails the Reviewers
# itself (notification "reviewers", with the reference and language): Wagtail's mail would be a
# second one. Submissions by signed-in people (translations, editors' own entries, an editor
# resubmitting) are announced by Wagtail only.


class TaskSubmittedNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    def can_handle(self, instance, **kwargs):
        if kwargs.get("user") is None and instance.workflow_state.requested_by_id is None:
            return False  # the public form: announced by practices.submit.notifications
        return super().can_handle(instance, **kwargs)


class WorkflowSubmittedNotifier(WorkflowStateSubmissionEmailNotifier):
    """Never sends: the task's notification already reaches superusers, this was a second."""

    def can_handle(self, instance, **kwargs):
        return False


def use_project_notifiers():
    """Replace Wagtail's submission notifiers, whether its admin app is ready yet or not."""
    replacements = [
        (
            "task_submission_email_notifier",
            TaskSubmittedNotifier(),
            task_submitted,
            TaskState,
            "group_approval_task_submitted_email_notification",
        ),
        (
            "workflow_submission_email_notifier",
            WorkflowSubmittedNotifier(),
            workflow_submitted,
            WorkflowState,
            "workflow_state_submitted_email_notification",
        ),
    ]
    for name, notifier, signal, sender, uid in replacements:
        setattr(wagtail_mail, name, notifier)  # read by Wagtail's register_signal_handlers()
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(notifier, sender=sender, dispatch_uid=uid)

"""Imported by Wagtail's workflow models at start-up: keep this module free of model imports."""


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the approval is the authority to publish.

    Reviewers approve without holding the publish permission themselves, so that the only way
    they put an entry online is through a review that they did not author.

    A translation that is still incomplete is not published (IncompleteTranslationError, see
    practices.translation.publishing): the error undoes the approval, as Wagtail's task actions
    are atomic, so the review stays open; the admin's workflow action view tells the reviewer
    why (practices.translation.admin.EntryWorkflowActionView).
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)

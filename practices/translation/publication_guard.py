"""Where the publication checks of practices.translation.publishing are enforced: on
Wagtail's publish action, whichever path runs it, and on scheduled revisions now due.

Installed at start-up (``PracticesConfig.ready``); reads the page models, which the checks
themselves do not need (the page model's permission tester uses them).
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import log
from wagtail.models import Revision

from practices.models import PracticePage

from .publishing import (
    WITHHELD_ACTION,
    UnpublishableTranslationError,
    check_publishable,
    prepare_for_publishing,
    withheld_reason_data,
)


def withhold_incomplete_translations(dry_run=False):
    """Scheduled entry revisions now due that would mix languages: unschedule them.

    Run by ``manage.py publish_scheduled`` before Wagtail's own command, which would stop at
    the first IncompleteTranslationError (or StaleTranslationDraftError) and leave every later
    revision unpublished. Each withheld revision loses its go-live date (publishing it later,
    once the translation is complete, would put online the draft of that time, not the
    finished translation) and the page's history records why. Returns (revision, page,
    error) for each.
    """
    due = Revision.objects.filter(
        approved_go_live_at__lt=timezone.now(),
        content_type=ContentType.objects.get_for_model(PracticePage),
    ).order_by("approved_go_live_at")
    withheld = []
    for revision in due:
        page = revision.as_object()
        try:
            check_publishable(page)
        except UnpublishableTranslationError as error:
            withheld.append((revision, page, error))
            if dry_run:
                continue
            with transaction.atomic():
                go_live_at = revision.approved_go_live_at
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                log(
                    instance=page,
                    action=WITHHELD_ACTION,
                    revision=revision,
                    data={
                        **withheld_reason_data(error),
                        "go_live_at": go_live_at.isoformat(),
                    },
                )
    return withheld


def guard_revision_publishing():
    """Make Wagtail's PublishPageRevisionAction call prepare_for_publishing for entries.

    Wagtail's page editor, its admin API (``/admin/api/main/pages/<id>/action/publish/``) and
    ``Page.publish`` (hence ``Revision.publish``: bulk actions, workflows, ``publish_scheduled``,
    wagtail-localize) all import this action class and run it directly; none looks it up in
    Wagtail's action registry, so a subclass registered with the ``register_actions`` hook
    would miss them. The check is therefore added to the class itself, once, at start-up
    (``PracticesConfig.ready``). It runs after Wagtail's permission check and before the
    action changes anything; the IncompleteTranslationError or StaleTranslationDraftError it
    raises is a ValidationError, which the admin API answers with 400 and the admin views in
    ``practices.translation.admin`` turn into a message.
    """
    execute = PublishPageRevisionAction.execute
    if getattr(execute, "guards_translations", False):
        return

    @functools.wraps(execute)
    def guarded_execute(self, skip_permission_checks=False):
        if isinstance(self.object, PracticePage):
            self.check(skip_permission_checks=skip_permission_checks)
            prepare_for_publishing(self.object, self.revision)
        return execute(self, skip_permission_checks=skip_permission_checks)

    guarded_execute.guards_translations = True
    PublishPageRevisionAction.execute = guarded_execute

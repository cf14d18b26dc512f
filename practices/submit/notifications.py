"""Emails about submissions. Queued after the transaction commits (kb.mail); a failure never
loses data.

A failed delivery is logged and flagged on the submission (`mail_failed`, shown in the admin)
while the queue tries it again; a mail the queue gives up on is kept in `pending_mail` so
that `manage.py retry_submission_mail` can send it again.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kb.mail import delivered, delivery_failed, subject_line

from ..models.workflow import REVIEWERS
from .tokens import issue_token

logger = logging.getLogger(__name__)

#: Mail kind -> template name under practices/emails/ ("reviewers" goes to each member of the
#: Reviewers group, one mail each, in their own language; every other kind to the contributor).
KINDS = {
    "draft": "draft_saved",
    "received": "received",
    "changes_requested": "changes_requested",
    "approved": "approved",
    "rejected": "rejected",
    "reviewers": "new_submission",
}
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def absolute(path):
    """`path` on the site as it is served: BASE_URL (see kb.settings.base), never a Site row."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_url(page):
    """The public address of a live entry, in its own language, or None."""
    if page is None or not page.live:
        return None
    parts = page.specific.get_url_parts()
    return absolute(parts[2]) if parts else None


def private_link(submission):
    token = issue_token(submission)
    with translation.override(submission.language):
        return absolute(reverse("submit:resume", kwargs={"token": token}))


def reviewer_languages():
    """{address: language} of the active reviewers.

    The language is the one each reviewer chose for the administration (Wagtail's account
    settings, UserProfile.preferred_language), or the site's default when they chose none.
    """
    from wagtail.users.models import UserProfile

    users = get_user_model().objects.filter(groups__name=REVIEWERS, is_active=True)
    users = users.exclude(email="").order_by("pk")
    chosen = dict(
        UserProfile.objects.filter(user__in=users).values_list("user_id", "preferred_language")
    )
    known = dict(settings.LANGUAGES)
    languages = {}
    for user in users:
        language = chosen.get(user.pk) or ""
        languages.setdefault(user.email, language if language in known else settings.LANGUAGE_CODE)
    return languages


def _message(submission, kind, recipient, language=None):
    context = {"submission": submission, "site_name": settings.WAGTAIL_SITE_NAME}
    title = submission.form_data.get("1", {}).get("title", [""])[0]
    context["entry_title"] = submission.page.title if submission.page else title
    if kind == "reviewers":
        if language is None:  # a retry of one reviewer's mail
            language = reviewer_languages().get(recipient[0], settings.LANGUAGE_CODE)
        if submission.page_id:
            context["admin_url"] = absolute(
                reverse("wagtailadmin_pages:edit", args=[submission.page_id])
            )
    else:
        language = submission.language
        context["link"] = private_link(submission)
        if kind == "approved" and submission.page_id:
            context["public_url"] = public_url(submission.page)
    template = KINDS[kind]
    with translation.override(language):
        subject = render_to_string(f"practices/emails/{template}_subject.txt", context)
        context["subject"] = subject = subject_line(subject)
        text = render_to_string(f"practices/emails/{template}.txt", context)
        html = render_to_string(f"practices/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipient)
    message.attach_alternative(html, "text/html")
    return message


def recipients(submission, kind, email=None):
    address = email or submission.contact_email
    return [address] if address else []


def send_now(submission, kind, email=None, language=None):
    """Queue one mail; if even that fails, flag the submission and keep the mail for a retry.

    The reviewers' notification is one mail per reviewer (in their language, without the
    others' addresses), each kept apart for a retry.
    """
    if kind == "reviewers" and not email:
        languages = reviewer_languages()  # read once for every reviewer's mail
        sent = [  # every one, always
            send_now(submission, kind, address, languages[address]) for address in sorted(languages)
        ]
        return all(sent)
    to = recipients(submission, kind, email)
    if not to:
        return True
    message = _message(submission, kind, to, language)
    # Read back by the receivers below when the queue reports on the delivery.
    message.delivery_meta = {"submission": submission.pk, "kind": kind, "email": email or ""}
    try:
        message.send()
    except MAIL_ERRORS:
        logger.exception("Mail %r for submission %s could not be sent", kind, submission)
        record_failure(submission.pk, kind, email, keep=True)
        return False
    return True


def record_failure(pk, kind, email=None, keep=True):
    from ..models import Submission

    submission = Submission.objects.filter(pk=pk).first()
    if submission is None:
        return
    submission.mail_failed = True
    if keep:
        entry = {"kind": kind, "email": email or ""}
        pending = [item for item in submission.pending_mail if item != entry]
        submission.pending_mail = [*pending, entry]
    submission.save(update_fields=["pending_mail", "mail_failed", "updated_at"])


@receiver(delivery_failed, dispatch_uid="submission_mail_failed")
def _delivery_failed(sender, meta, final, **kwargs):
    if meta.get("submission"):
        record_failure(meta["submission"], meta["kind"], meta.get("email"), keep=final)


@receiver(delivered, dispatch_uid="submission_mail_delivered")
def _delivered(sender, meta, **kwargs):
    from ..models import Submission

    if meta.get("submission"):
        # A mail that went through after failing clears the flag, unless another was given up.
        Submission.objects.filter(pk=meta["submission"], mail_failed=True, pending_mail=[]).update(
            mail_failed=False
        )


def send_after_commit(submission, kind, email=None):
    pk = submission.pk

    def send():
        from ..models import Submission

        fresh = Submission.objects.filter(pk=pk).select_related("page").first()
        if fresh is not None:
            send_now(fresh, kind, email)

    transaction.on_commit(send)


def retry_pending(submission):
    """Try the kept mails again; returns how many are still pending."""
    pending = list(submission.pending_mail)
    submission.pending_mail = []
    submission.mail_failed = False
    submission.save(update_fields=["pending_mail", "mail_failed", "updated_at"])
    for entry in pending:
        send_now(submission, entry["kind"], entry.get("email") or None)
    submission.refresh_from_db()
    return len(submission.pending_mail)

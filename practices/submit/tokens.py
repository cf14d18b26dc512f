"""Private links: a random token sent by email, stored only as a hash, with an expiry."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "alianzas_submissions"


def link_max_age():
    return timedelta(days=getattr(settings, "SUBMISSION_LINK_MAX_AGE_DAYS", 60))


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(submission):
    """A new private link for `submission` (the previous one stops working). Saves."""
    token = secrets.token_urlsafe(32)
    submission.token_hash = hash_token(token)
    submission.token_expires_at = timezone.now() + link_max_age()
    submission.save(update_fields=["token_hash", "token_expires_at", "updated_at"])
    return token


def submission_for_token(token):
    from ..models import Submission

    if not token or len(token) > 100:
        return None
    submission = Submission.objects.filter(token_hash=hash_token(token)).first()
    if submission is None or submission.token_expires_at is None:
        return None
    if submission.token_expires_at < timezone.now():
        return None
    return submission


def grant(request, submission):
    """Let this browser session work on the submission."""
    allowed = [pk for pk in request.session.get(SESSION_KEY, []) if pk != submission.pk]
    request.session[SESSION_KEY] = [*allowed[-19:], submission.pk]


def is_granted(request, submission):
    return submission.pk in request.session.get(SESSION_KEY, [])

"""Abuse checks: honeypot, minimum fill time, per-address rate limit, request size."""

import secrets
import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kb import ratelimit

HONEYPOT = "website"
STAMP = "form_stamp"
STAMP_SALT = "alianzas.submit.stamp"
STAMP_MAX_AGE = 2 * 24 * 3600

TOO_FAST = _(
    "The form was sent too quickly to be checked. Please review your answers and send it again."
)
EXPIRED = _("The form was open for too long. Please check your answers and send it again.")
STAMP_USED = _(
    "This form has already been sent once. Nothing you typed is lost: please check your "
    "answers and send it again."
)
RATE_LIMITED = _(
    "Too many examples have been started from your connection in a short time. Nothing you "
    "typed is lost: please wait an hour and send the form again."
)
MAIL_RATE_LIMITED = _(
    "Too many private links have been requested from your connection in a short time. Your "
    "draft is saved: please wait an hour before asking for another link."
)
HONEYPOT_FILLED = _("The form could not be accepted. Please leave the “Website” field empty.")


def min_fill_seconds():
    return getattr(settings, "SUBMISSION_MIN_FILL_SECONDS", 3)


def rate_limit():
    """(number of new submissions, period in seconds) allowed per address."""
    return getattr(settings, "SUBMISSION_RATE_LIMIT", (10, 3600))


def max_request_size():
    return getattr(settings, "SUBMISSION_MAX_REQUEST_SIZE", 5 * 10 * 1024 * 1024 + 4 * 1024**2)


def new_stamp():
    """The time the form was rendered, and a nonce: one stamp may start one draft only."""
    return signing.dumps([time.time(), secrets.token_hex(16)], salt=STAMP_SALT)


def _read_stamp(value):
    """(time rendered, nonce), or None if the stamp is forged, malformed or too old."""
    try:
        rendered, nonce = signing.loads(value or "", salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
        return float(rendered), str(nonce)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def stamp_error(value):
    """None if the form was rendered long enough ago (and not too long ago)."""
    stamp = _read_stamp(value)
    if stamp is None:
        return EXPIRED
    if time.time() - stamp[0] < min_fill_seconds():
        return TOO_FAST
    return None


def stamp_nonce(value):
    """The nonce of a valid stamp (recorded on the draft it starts), else None."""
    stamp = _read_stamp(value)
    return stamp[1] if stamp else None


def address_hash(request):
    """The client's address behind the trusted proxies, hashed (the address is not stored)."""
    return ratelimit.client_key(request)


def _scope(scope):
    return f"submit-{scope}"


def rate_limited(ip_hash, scope="new"):
    """Scopes: "new" (submissions started) and "mail" (draft links sent)."""
    limit, _period = rate_limit()
    return ratelimit.exceeded(_scope(scope), ip_hash, limit)


def count(ip_hash, scope="new"):
    _limit, period = rate_limit()
    ratelimit.record(_scope(scope), ip_hash, period)


def request_too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_request_size()

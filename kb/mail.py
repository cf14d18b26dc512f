"""Mail leaves through a queue, never from inside a request.

``EMAIL_BACKEND`` is :class:`QueuedEmailBackend`: every message the site sends (the project's
own and Wagtail's workflow notifications alike) becomes a row of the task queue
(django-tasks, database backend), written in the same transaction as the change it reports,
so that a rolled-back change sends nothing and a slow or hanging mail relay can neither slow
nor fail a request. ``manage.py db_worker --backend mail`` delivers the rows through
``MAIL_DELIVERY_BACKEND`` (SMTP in production) with ``EMAIL_TIMEOUT``, and tries a failed
delivery again later (``MAIL_RETRY_DELAYS``); the signals below tell the rest of the site
when a delivery failed or went through.
"""

import base64
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

#: Sent with ``meta`` (what the sender attached as ``message.delivery_meta``) and ``final``
#: (True when no further attempt will be made).
delivery_failed = Signal()
#: Sent with ``meta`` once a message went through.
delivered = Signal()


def subject_line(text):
    """A rendered subject template on one line: runs of spaces, tabs and line breaks become
    one space. No-break spaces stay (French puts one before a colon; `str.split()` would
    take it for a space)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")


def serialise(message):
    """The parts of an e-mail message that survive a trip through the queue (JSON)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(part) for part in message.attachments],
        "meta": getattr(message, "delivery_meta", None) or {},
    }


def _attachment(part):
    """(name, content, mimetype) as JSON: the content base64-encoded."""
    if not isinstance(part, tuple):  # a MIMEBase part, already encoded
        part = (part.get_filename(), part.get_payload(decode=True), part.get_content_type())
    name, content, mimetype = part
    if isinstance(content, str):
        content = content.encode()
    return [name, base64.b64encode(content).decode("ascii"), mimetype]


def rebuild(payload):
    message = EmailMultiAlternatives(
        payload["subject"],
        payload["body"],
        payload["from_email"],
        payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in payload.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Puts each message on the task queue instead of sending it."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                deliver_mail.enqueue(serialise(message))
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("Mail %r could not be queued", message.subject)
                continue
            count += 1
        return count


@task(backend="mail")
def deliver_mail(payload, attempt=1):
    """Send one queued message; on failure, queue it again after a pause."""
    message = rebuild(payload)
    meta = payload.get("meta") or {}
    try:
        with get_connection(settings.MAIL_DELIVERY_BACKEND) as connection:
            connection.send_messages([message])
    except Exception as error:
        delays = settings.MAIL_RETRY_DELAYS
        backend = deliver_mail.get_backend()
        final = attempt > len(delays) or not backend.supports_defer
        logger.warning(
            "Mail %r to %s failed (attempt %d%s): %s",
            message.subject,
            ", ".join(message.to),
            attempt,
            ", giving up" if final else "",
            error,
        )
        delivery_failed.send(sender=deliver_mail, meta=meta, final=final)
        if not final:
            later = timezone.now() + timedelta(seconds=delays[attempt - 1])
            deliver_mail.using(run_after=later).enqueue(payload, attempt + 1)
        return "failed"
    delivered.send(sender=deliver_mail, meta=meta)
    return "sent"

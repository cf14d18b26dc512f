"""The mails of followed searches, and the tasks that find what to send.

Everything runs on the mail queue (kb.mail, backend "mail"): publishing an entry enqueues
`alert_published` once the transaction commits; the worker finds the confirmed
subscriptions whose search the entry now matches and writes one AlertDelivery row per
subscription and entry (a unique constraint: never twice), in the same transaction as the
mail it queues. The weekly digest (`manage.py send_alert_digests`) sends the rows kept for
it. The queue reports back (kb.mail signals) and the row records what was sent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from kb.mail import delivered, delivery_failed, subject_line

from ..facets import LANGUAGE_LABELS
from ..search.service import entry_result
from .matching import describe, matching_page
from .tokens import CONFIRM, MANAGE, make_token

logger = logging.getLogger(__name__)


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def links(subscription):
    """The absolute links every mail of a subscription carries, in its language."""
    token = make_token(subscription, MANAGE)
    with translation.override(subscription.language):
        return {
            "manage_url": absolute(reverse("alerts:manage", kwargs={"token": token})),
            "unsubscribe_url": absolute(reverse("alerts:unsubscribe", kwargs={"token": token})),
            "search_url": absolute(search_path(subscription.query, subscription.language)),
        }


def search_path(query, language):
    """The search page of `language` (else of any language) with the followed `query`."""
    from ..models import PracticeIndexPage

    index = PracticeIndexPage.objects.live().filter(locale__language_code=language)
    index = index.first() or PracticeIndexPage.objects.live().first()
    path = index.url if index is not None else "/"
    return f"{path}?{query}" if query else path


def _message(subscription, template, context, unsubscribe=True):
    context = {
        **context,
        "subscription": subscription,
        "site_name": settings.WAGTAIL_SITE_NAME,
        **links(subscription),
    }
    with translation.override(subscription.language):
        context["search"] = describe(subscription.query, subscription.language)
        subject = render_to_string(f"practices/alerts/emails/{template}_subject.txt", context)
        context["subject"] = subject = subject_line(subject)
        body = render_to_string(f"practices/alerts/emails/{template}.txt", context)
        html = render_to_string(f"practices/alerts/emails/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no automatic replies
    if unsubscribe:
        # RFC 8058: a mail client unsubscribes with one POST to this address.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def send_confirmation(subscription):
    """Confirm a new subscription (double opt-in), or remind of an existing one."""
    context = {}
    if not subscription.confirmed:
        with translation.override(subscription.language):
            context["confirm_url"] = absolute(
                reverse("alerts:confirm", kwargs={"token": make_token(subscription, CONFIRM)})
            )
        context["days"] = settings.ALERTS_CONFIRM_DAYS
    message = _message(subscription, "confirm", context, unsubscribe=subscription.confirmed)
    message.send()


def entry_for(subscription, delivery):
    """What a mail says of one entry: its version in the subscriber's language, else the
    original with a notice; None when search no longer shows it."""
    found = entry_result(delivery.entry_key, subscription.language)
    if found is None:
        return None
    result, _page_id = found
    with translation.override(subscription.language):
        notice = None
        if result.lang != subscription.language:
            notice = {
                "available": LANGUAGE_LABELS.get(result.lang, result.lang),
                "missing": LANGUAGE_LABELS.get(subscription.language, subscription.language),
            }
        return {
            "lang": result.lang,
            "title": result.title,
            "summary": result.summary,
            "url": absolute(result.url) if result.url.startswith("/") else result.url,
            "notice": notice,
        }


def send_alert(subscription, deliveries, digest=False):
    """One mail with the entries of these deliveries; marks them queued."""
    entries = [entry_for(subscription, delivery) for delivery in deliveries]
    kept = [(d, e) for d, e in zip(deliveries, entries, strict=True) if e is not None]
    if not kept:
        return False
    message = _message(
        subscription,
        "digest" if digest else "alert",
        {"entries": [entry for _delivery, entry in kept], "count": len(kept)},
    )
    pks = [delivery.pk for delivery, _entry in kept]
    message.delivery_meta = {"alerts": pks}
    from ..models import AlertDelivery

    AlertDelivery.objects.filter(pk__in=pks).update(status=AlertDelivery.Status.QUEUED)
    message.send()
    return True


@task(backend="mail")
def alert_published(page_id, attempt=1):
    """A language version of an entry was published: alert the subscriptions it now matches.

    Returns how many subscriptions got (or will get in their digest) the entry. When it
    fails part of the way (the database went away), it is queued again after a pause, as a
    mail is (MAIL_RETRY_DELAYS): the subscriptions already served have their delivery row,
    so the next attempt serves only the others.
    """
    try:
        return _alert_published(page_id)
    except Exception as error:
        delays = settings.MAIL_RETRY_DELAYS
        final = attempt > len(delays) or not alert_published.get_backend().supports_defer
        logger.warning(
            "Alerts for page %s failed (attempt %d%s): %s",
            page_id,
            attempt,
            ", giving up" if final else "",
            error,
        )
        if final:
            raise
        later = timezone.now() + timedelta(seconds=delays[attempt - 1])
        alert_published.using(run_after=later).enqueue(page_id, attempt + 1)
        return None


def _alert_published(page_id):
    from ..models import AlertDelivery, PracticePage, Subscription

    page = PracticePage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    entry_key = page.translation_key
    # When each version was first published: an alert is news. A subscriber is sent an
    # entry first published after they confirmed, or the version in their language when
    # that version is new to them (a translation); not an old entry published again, nor
    # another language's new version of an entry they could already read.
    versions = dict(
        PracticePage.objects.live()
        .filter(translation_key=entry_key)
        .values_list("pk", "first_published_at")
    )
    first_published = min((when for when in versions.values() if when), default=None)
    candidates = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .exclude(deliveries__entry_key=entry_key)
        .order_by("pk")
    )
    matches, count = {}, 0
    for subscription in candidates:
        search = (subscription.query, subscription.language)
        if search not in matches:
            matches[search] = matching_page(subscription, entry_key)
        shown = matches[search]
        if shown is None or not _is_news(subscription, shown, page, versions, first_published):
            continue
        weekly = subscription.frequency == subscription.Frequency.WEEKLY
        try:
            with transaction.atomic():
                delivery = AlertDelivery.objects.create(
                    subscription=subscription,
                    entry_key=entry_key,
                    page_id=shown,
                    status=AlertDelivery.Status.PENDING if weekly else AlertDelivery.Status.QUEUED,
                )
                if not weekly:
                    send_alert(subscription, [delivery])
        except IntegrityError:  # another worker recorded it first: it sends it
            continue
        count += 1
    return count


def _is_news(subscription, shown, published, versions, first_published):
    """Whether the version `shown` to the subscriber is news to them at the publication of
    `published`: the entry is newer than their subscription, or the version published now
    is the one they are shown and it is newer than their subscription."""
    since = subscription.confirmed_at
    if first_published is not None and first_published >= since:
        return True
    when = versions.get(shown)
    return shown == published.pk and when is not None and when >= since


def alert_after_commit(page_id):
    transaction.on_commit(lambda: alert_published.enqueue(page_id))


def send_digests(now=None):
    """Each subscription gets the entries kept for it since its last digest, in one mail;
    entries search no longer shows are left out. Returns how many mails were queued."""
    from ..models import AlertDelivery, Subscription

    now = now or timezone.now()
    sent = 0
    pending = AlertDelivery.objects.filter(status=AlertDelivery.Status.PENDING)
    # Every subscription with entries kept: a weekly one, or one changed since to "as soon
    # as published" (what was kept for it still goes out once).
    subscriptions = Subscription.objects.filter(
        confirmed_at__isnull=False, deliveries__status=AlertDelivery.Status.PENDING
    ).distinct()
    for subscription in subscriptions.order_by("pk"):
        with transaction.atomic():
            deliveries = list(
                pending.filter(subscription=subscription).order_by("created_at", "pk")
            )
            still = [d for d in deliveries if matching_page(subscription, d.entry_key)]
            gone = [d.pk for d in deliveries if d not in still]
            AlertDelivery.objects.filter(pk__in=gone).delete()  # may match again later
            if still and send_alert(subscription, still, digest=True):
                sent += 1
            subscription.digest_sent_at = now
            subscription.save(update_fields=["digest_sent_at"])
    return sent


@receiver(delivered, dispatch_uid="alert_mail_delivered")
def _delivered(sender, meta, **kwargs):
    from ..models import AlertDelivery

    if meta.get("alerts"):
        AlertDelivery.objects.filter(pk__in=meta["alerts"]).update(
            status=AlertDelivery.Status.SENT, sent_at=timezone.now()
        )


@receiver(delivery_failed, dispatch_uid="alert_mail_failed")
def _delivery_failed(sender, meta, final, **kwargs):
    from ..models import AlertDelivery

    if meta.get("alerts") and final:
        AlertDelivery.objects.filter(pk__in=meta["alerts"]).update(
            status=AlertDelivery.Status.FAILED
        )

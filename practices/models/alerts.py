"""Followed searches: a reader's e-mail address, the search they follow and how often they
want to hear of new entries. Private: never shown on a public page, feed, export or API; the
admin shows editors counts only (practices.alerts.admin)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_hex(16)


class Subscription(models.Model):
    """One followed search of one address, in the language of the page it was made from."""

    class Frequency(models.TextChoices):
        # Translators: a frequency of the alerts of a followed search.
        IMMEDIATE = "immediate", _("As soon as an example is published")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(_("e-mail address"), db_index=True)
    language = models.CharField(_("language"), max_length=8)
    #: The followed search as a query string, without its order or page (alerts.matching).
    query = models.CharField(_("search"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    #: Mixed into the keyed links of the subscription's mails (alerts.tokens); a new value
    #: would make every link already sent stop working.
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    #: The entries published before this moment went into a digest already (weekly only).
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("followed search")
        verbose_name_plural = _("followed searches")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "language", "query"], name="practices_subscription_unique"
            )
        ]

    def __str__(self):
        return f"subscription {self.pk}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None


class AlertDelivery(models.Model):
    """The record of one entry sent (or to be sent in a digest) to one subscription: at most
    one per entry and subscription, whatever the language versions published."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the weekly digest")
        # Translators: statuses of an alert e-mail (admin report of followed searches).
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    entry_key = models.UUIDField(_("entry"))
    #: The language version sent (the subscriber's language, else the original).
    page_id = models.BigIntegerField(_("page id"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert sent")
        verbose_name_plural = _("alerts sent")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "entry_key"], name="practices_alert_once"
            )
        ]

    def __str__(self):
        return f"alert {self.pk}"

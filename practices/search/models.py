"""Search index bookkeeping."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingSearchUpdate(models.Model):
    """A page whose Elasticsearch documents could not be updated (cluster unreachable).

    `manage.py es_sync_pending` (and a full `es_reindex`) bring the index up to date and
    remove the rows. The page may no longer exist: its documents are then removed.
    """

    page_id = models.PositiveBigIntegerField(_("page id"), unique=True)
    translation_key = models.UUIDField(_("translation key"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending search update")
        verbose_name_plural = _("pending search updates")
        ordering = ["queued_at", "pk"]

    def __str__(self):
        return f"page {self.page_id}"

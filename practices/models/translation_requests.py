"""Readers' requests for a translation of an entry into their language: one counter per pair."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationRequest(models.Model):
    """How many readers asked for an entry (its translation key) in a language.

    A counter rather than one row per request: nothing about the reader is kept.
    """

    translation_key = models.UUIDField(_("entry"), db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    count = models.PositiveIntegerField(_("requests"), default=0)
    first_requested_at = models.DateTimeField(_("first requested"), default=timezone.now)
    last_requested_at = models.DateTimeField(_("last requested"), default=timezone.now)

    class Meta:
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")
        ordering = ["-count", "-last_requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="unique_translation_request"
            )
        ]

    def __str__(self):
        return f"{self.translation_key} → {self.language} ({self.count})"

    @classmethod
    def record(cls, translation_key, language):
        """Count one more request; safe when two readers ask at the same moment."""
        now = timezone.now()
        updated = cls.objects.filter(translation_key=translation_key, language=language).update(
            count=F("count") + 1, last_requested_at=now
        )
        if updated:
            return
        try:
            with transaction.atomic():
                cls.objects.create(
                    translation_key=translation_key,
                    language=language,
                    count=1,
                    first_requested_at=now,
                    last_requested_at=now,
                )
        except IntegrityError:
            cls.objects.filter(translation_key=translation_key, language=language).update(
                count=F("count") + 1, last_requested_at=now
            )

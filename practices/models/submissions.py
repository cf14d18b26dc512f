"""Private data about who contributed an entry. Never exposed on public pages or the API."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_reference():
    return f"ALZ-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


class Submission(models.Model):
    """The private record behind a contributed or imported entry: contact and consents."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (contributor still editing)")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")
        IMPORTED = "imported", _("Imported")

    class Channel(models.TextChoices):
        FORM = "form", _("Public submission form")
        IMPORT = "import", _("Import")

    reference = models.CharField(_("reference"), max_length=32, unique=True, default=new_reference)
    page = models.ForeignKey(
        "practices.PracticePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("entry"),
    )
    language = models.CharField(_("language"), max_length=5)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    contact_name = models.CharField(_("contact name"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_organisation = models.CharField(_("contact organisation"), max_length=255, blank=True)
    consent_publication = models.BooleanField(_("consents to publication"), default=False)
    consent_contact = models.BooleanField(_("consents to use of contact data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return self.reference

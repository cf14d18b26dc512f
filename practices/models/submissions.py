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

    # -- contribution through the public form -------------------------------------------
    token_hash = models.CharField(
        _("private link (hash)"), max_length=64, blank=True, db_index=True
    )
    token_expires_at = models.DateTimeField(_("private link expires"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    ip_hash = models.CharField(_("address (hash)"), max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    status_history = models.JSONField(_("status history"), default=list, blank=True)
    reviewer_comment = models.TextField(_("last message from the reviewers"), blank=True)
    mail_failed = models.BooleanField(_("mail failed"), default=False, db_index=True)
    #: The fill-time stamp that started this draft: a stamp starts one draft only.
    stamp_nonce = models.CharField(max_length=32, unique=True, null=True, blank=True)
    pending_mail = models.JSONField(_("mail to retry"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return self.reference

    def record_status(self, status, user=None, comment=""):
        """Change the status and keep a trace of the transition (saved by the caller)."""
        self.status_history = [
            *self.status_history,
            {
                "from": self.status,
                "to": status,
                "at": timezone.now().isoformat(),
                "by": getattr(user, "pk", None),
                "comment": comment,
            },
        ]
        self.status = status

    @property
    def is_editable_by_contributor(self):
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)


def submission_upload_path(instance, filename):
    """`filename` is made by practices.submit.uploads.stored_name: short, typed by content."""
    return f"submissions/{instance.submission.reference}/{secrets.token_hex(8)}-{filename}"


class SubmissionFile(models.Model):
    """A file a contributor uploaded; kept here until the entry is submitted, then attached."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=submission_upload_path, max_length=500)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=10)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self):
        return self.name

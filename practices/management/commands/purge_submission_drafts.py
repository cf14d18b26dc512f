from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from practices.models import Submission, Subscription


class Command(BaseCommand):
    help = (
        "Delete drafts of the contribution form (with their contact details and files) that "
        "nobody has touched for a while, the copies of e-mails sent more than "
        "MAIL_KEEP_DAYS ago, and the requests to follow a search left unconfirmed for "
        "ALERTS_CONFIRM_DAYS. Sent submissions are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=getattr(settings, "SUBMISSION_DRAFT_RETENTION_DAYS", 180),
            help="Keep drafts changed within this many days (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        drafts = Submission.objects.filter(
            status=Submission.Status.DRAFT,
            channel=Submission.Channel.FORM,
            page__isnull=True,
            updated_at__lt=cutoff,
        )
        count = 0
        for draft in drafts:
            for upload in draft.files.all():
                upload.file.delete(save=False)
            draft.delete()
            count += 1
        self.stdout.write(f"{count} abandoned draft(s) deleted.")
        mail_cutoff = timezone.now() - timedelta(days=settings.MAIL_KEEP_DAYS)
        sent, _kinds = DBTaskResult.objects.filter(
            backend_name="mail", finished_at__lt=mail_cutoff
        ).delete()
        self.stdout.write(f"{sent} sent e-mail(s) deleted from the mail queue.")
        confirm_cutoff = timezone.now() - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
        unconfirmed, _kinds = Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=confirm_cutoff
        ).delete()
        self.stdout.write(f"{unconfirmed} unconfirmed subscription(s) to a search deleted.")

from django.core.management.base import BaseCommand

from practices.models import Submission
from practices.submit.notifications import retry_pending


class Command(BaseCommand):
    help = "Send again the submission emails that failed (flagged 'mail failed' in the admin)."

    def handle(self, *args, **options):
        failed = still = 0
        for submission in Submission.objects.filter(mail_failed=True).select_related("page"):
            failed += 1
            if retry_pending(submission):
                still += 1
        self.stdout.write(f"{failed} submission(s) with failed mail, {still} still failing.")
        if still:
            raise SystemExit(1)

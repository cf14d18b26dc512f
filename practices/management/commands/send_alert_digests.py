from django.core.management.base import BaseCommand

from practices.alerts.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send each weekly follower of a search one mail with the entries published for it "
        "since their last digest. Run it once a week (docs/deployment.md)."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} weekly digest(s) queued.")

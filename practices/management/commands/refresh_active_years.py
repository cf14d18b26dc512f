"""Count the new year for ongoing practices (publish_scheduled does it too)."""

from django.core.management.base import BaseCommand

from practices.search import active_years


class Command(BaseCommand):
    help = (
        "Reindex the ongoing entries whose search documents do not yet count the current "
        "year as active (the `active_year` facet), in every configured search backend. "
        "publish_scheduled does the same on each run."
    )

    def handle(self, *args, **options):
        count = active_years.refresh()
        self.stdout.write(f"{count} ongoing entries reindexed for the current year.")

"""Wagtail's publish_scheduled, withholding entries whose translation is incomplete."""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from practices.search import active_years
from practices.translation.publication_guard import withhold_incomplete_translations


class Command(WagtailCommand):
    help = (
        "Publish scheduled pages and unpublish expired ones (Wagtail). Scheduled versions of "
        "entries whose translation is incomplete are not published: they are unscheduled, "
        "with the reason in the page's history. Then, since it runs from cron, it counts a "
        "new year as active for ongoing entries (see refresh_active_years)."
    )

    def handle(self, *args, **options):
        for revision, page, error in withhold_incomplete_translations(options["dryrun"]):
            self.stderr.write(
                f"#{page.pk} {page.get_admin_display_title()} ({revision.pk}): {error.messages[0]}"
            )
        super().handle(*args, **options)
        if not options["dryrun"]:
            active_years.refresh()

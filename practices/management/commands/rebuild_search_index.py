"""Rebuild the public search documents of every live entry, with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from practices.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search documents of every published entry (all language versions)."

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0

        def progress(total):
            return tqdm(total=total, unit="entries", disable=quiet, file=self.stderr)

        count = rebuild(progress=progress)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} entries."))

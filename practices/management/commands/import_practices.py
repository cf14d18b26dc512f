"""`manage.py import_practices FILE [--publish] [--dry-run]`: load entries in the import format."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from practices.importing import ImportFileError, import_records, read_records


def prepare_site():
    """The site skeleton and vocabularies the import needs (created only if missing)."""
    from home.site_structure import ensure_site_structure
    from practices.vocabularies import load_vocabularies

    load_vocabularies()
    ensure_site_structure()


def run_import(path, *, publish, dry_run, skip_existing=False, stderr=None, quiet=False):
    """Read and import `path` with a progress bar; returns (ImportResult, seconds)."""
    try:
        records = read_records(path)
    except ImportFileError as error:
        raise CommandError(str(error)) from error
    stream = getattr(stderr, "_out", stderr) or sys.stderr  # the raw stream, not OutputWrapper
    started = time.perf_counter()
    with tqdm(
        total=len(records),
        unit="entry",
        file=stream,
        disable=quiet or not stream.isatty(),
        desc="Importing" if not dry_run else "Checking",
    ) as progress:
        result = import_records(
            records,
            publish=publish,
            dry_run=dry_run,
            skip_existing=skip_existing,
            progress=progress,
        )
    return result, time.perf_counter() - started


def summary_lines(result, seconds):
    prefix = "Would be " if result.dry_run else ""
    total = len(result.created) + len(result.updated) + len(result.skipped)
    rate = f" ({total / seconds:.1f} entries/s)" if seconds > 0 and total else ""
    lines = [
        f"{prefix}{'created' if prefix else 'Created'}: {len(result.created)}",
        f"{prefix}{'updated' if prefix else 'Updated'}: {len(result.updated)}",
    ]
    if result.skipped:
        lines.append(f"Skipped (already present, left unchanged): {len(result.skipped)}")
    if result.translations_created or result.translations_updated:
        lines.append(
            f"Translations created: {result.translations_created}, "
            f"updated: {result.translations_updated}"
        )
    if result.organisations_proposed:
        lines.append(
            "Organisations new to the list, to confirm or merge in the admin "
            f"(Organisations): {', '.join(result.organisations_proposed)}"
        )
    lines.append(f"Invalid: {len(result.invalid)}")
    lines.append(f"Time: {seconds:.1f} s{rate}")
    return lines


class Command(BaseCommand):
    help = (
        "Import practice entries from a JSON array or JSON Lines file in the import format. "
        "Invalid records are reported by position and reason and nothing of them is written; "
        "an entry whose slug (given, or derived from its title) already exists in its "
        "language is updated with a new revision rather than duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON array or JSON Lines file")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the entries (otherwise drafts)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would happen; write nothing at all.",
        )

    def handle(self, *args, file, publish, dry_run, **options):
        if not dry_run:
            prepare_site()
        result, seconds = run_import(file, publish=publish, dry_run=dry_run, stderr=self.stderr)
        for invalid in result.invalid:
            self.stderr.write(f"Invalid {invalid}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in summary_lines(result, seconds):
            self.stdout.write(line)
        if result.invalid:
            raise CommandError(f"{len(result.invalid)} invalid record(s); see above.")

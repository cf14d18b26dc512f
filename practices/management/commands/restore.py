"""manage.py restore ARCHIVE: replace the database and the media folder with a backup."""

from django.core.management.base import BaseCommand, CommandError

from practices.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with the contents of a `manage.py backup` "
        "archive. Stop the application first and restart it afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz archive written by `manage.py backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, archive, interactive=True, **options):
        if interactive:
            answer = input(
                "This replaces the whole database and media folder with the backup. "
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {manifest['engine']} database and media of {manifest['created']}. "
            "Restart the application; with Elasticsearch, run es_reindex."
        )

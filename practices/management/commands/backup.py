"""manage.py backup ARCHIVE: the database and the media folder in one .tar.gz archive."""

from django.core.management.base import BaseCommand, CommandError

from practices.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT (uploads, documents, images) to ARCHIVE."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path of the .tar.gz archive to write")

    def handle(self, archive, **options):
        try:
            manifest = backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"{archive}: {manifest['engine']} database and {media} media files")

"""Rebuild the Elasticsearch index without downtime: new index, bulk load, alias switch."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from practices.search.engines.elasticsearch import elasticsearch_engine, engine_errors
from practices.search.es_indexing import IndexWriter
from practices.search.models import PendingSearchUpdate


class Command(BaseCommand):
    help = (
        "Build a new timestamped Elasticsearch index of every published entry, switch the "
        "alias <ELASTICSEARCH_INDEX_PREFIX>-practices to it atomically and delete the old one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        engine = elasticsearch_engine()
        if engine is None:
            raise CommandError("ELASTICSEARCH_URL is not set: the database engine is in use.")
        started = timezone.now()
        bar = None

        def progress(done, total):
            nonlocal bar
            if options["no_progress"]:
                return
            if bar is None:
                bar = tqdm(total=total, unit="doc", file=sys.stderr)
            bar.update(1)

        try:
            result = IndexWriter(engine).rebuild(progress=progress)
        except engine_errors as error:
            raise CommandError(f"Elasticsearch at {engine.display_url} failed: {error}") from error
        finally:
            if bar is not None:
                bar.close()
        # Updates queued before the rebuild started are in the new index.
        drained, _ = PendingSearchUpdate.objects.filter(queued_at__lt=started).delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {result['count']} document(s) into {result['index']}; alias "
                f"{engine.alias} switched"
                + (f", removed {', '.join(result['replaced'])}" if result["replaced"] else "")
                + (f"; {drained} queued update(s) cleared." if drained else ".")
            )
        )

"""Apply the search index updates queued while Elasticsearch was unreachable."""

from django.core.management.base import BaseCommand, CommandError

from practices.search.engines.elasticsearch import elasticsearch_engine
from practices.search.es_indexing import sync_pending


class Command(BaseCommand):
    help = "Update the Elasticsearch documents of the pages queued while the cluster was down."

    def handle(self, *args, **options):
        if elasticsearch_engine() is None:
            raise CommandError("ELASTICSEARCH_URL is not set: nothing to synchronise.")
        done, failed = sync_pending()
        message = f"{done} queued update(s) applied, {failed} still pending."
        if failed:
            raise CommandError(message + " Is the cluster reachable? See the warnings above.")
        self.stdout.write(self.style.SUCCESS(message))

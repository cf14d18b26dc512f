"""The search backends, behind one small interface: index entries, remove, search, rebuild.

Two backends index the same documents (documents.build_document), each serialising them its
own way:

- the database (SQLite FTS5 or PostgreSQL text search): always configured; it holds every
  document and answers when Elasticsearch cannot;
- Elasticsearch, when settings.ELASTICSEARCH_URL is set: its writes run once the database
  transaction commits, and a failure queues the page (es_indexing) instead of failing the
  editor's action.

Every change goes to every configured backend (`configured()`, called by signals.py). A
search goes to one of them: service.search_practices reads the same setting (the service is
on the read side and does not import this module, which reaches the page models).
"""

from typing import Protocol

from . import es_indexing, index, service
from .engines.elasticsearch import elasticsearch_engine


class SearchBackend(Protocol):
    name: str
    #: Whether its writes wait for the transaction to commit (and read the pages then).
    writes_on_commit: bool

    def index_entries(self, translation_keys):
        """Bring the documents of these entries in step with their searchable versions."""

    def remove(self, page_id, translation_key):
        """A deleted language version: its document goes, its entry's others are updated."""

    def search(self, query):
        """SearchResults of a valid SearchQuery."""

    def rebuild(self, progress=None):
        """Every document anew; returns how many entries or documents were written.
        `progress` reports how far it is (each backend says how)."""


class DatabaseBackend:
    name = "database"
    writes_on_commit = False

    def index_entries(self, translation_keys):
        index.update_entries(translation_keys)

    def remove(self, page_id, translation_key):
        index.update_entries([translation_key])

    def search(self, query):
        return service.database_search(query)

    def rebuild(self, progress=None):
        """`progress(total)` returns a tqdm-like bar; the number of entries."""
        return index.rebuild(progress=progress)


class ElasticsearchBackend:
    name = "elasticsearch"
    writes_on_commit = True

    def __init__(self, engine):
        self.engine = engine

    def index_entries(self, translation_keys):
        es_indexing.schedule_entries(translation_keys)

    def remove(self, page_id, translation_key):
        es_indexing.schedule(page_id, translation_key)

    def search(self, query):
        return service.elasticsearch_search(query, engine=self.engine)

    def rebuild(self, progress=None):
        """`progress(done, total)` is called as it goes; the number of documents."""
        return es_indexing.IndexWriter(self.engine).rebuild(progress=progress)["count"]


def configured():
    """The backends the settings ask for: the database's, then Elasticsearch's if set."""
    backends = [DatabaseBackend()]
    engine = elasticsearch_engine()
    if engine is not None:
        backends.append(ElasticsearchBackend(engine))
    return backends

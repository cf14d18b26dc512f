"""Full-text engines behind search_practices(): each indexes documents and matches queries.

An engine answers two questions only: which documents match a parsed query, and how well
a given set of them matches (for relevance order). Filtering, facet counts, language
fallback and sorting are done once, in memory, by the service, whatever the engine.
"""

from django.conf import settings
from django.db import connection


def elasticsearch_configured():
    """Whether the settings ask for Elasticsearch (ELASTICSEARCH_URL): the one place that
    says so, read by the search service, the backends and the index writer."""
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def database_engine():
    """The engine of the database in use (PostgreSQL or SQLite): it holds every document and
    always answers. Elasticsearch, when ELASTICSEARCH_URL is set, is the other backend
    (practices.search.engines.elasticsearch.elasticsearch_engine)."""
    from .database import PostgresEngine, SQLiteEngine

    if connection.vendor == "postgresql":
        return PostgresEngine()
    return SQLiteEngine()

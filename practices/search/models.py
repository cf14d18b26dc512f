"""Search documents: one row per published language version of an entry.

The full-text part lives beside these rows and is engine specific: FTS5 tables
(`practices_search_fts_<lang>`, rowid = document id, migration 0002) on SQLite; on
PostgreSQL the narrow table of `SearchVector` (document id, language, weighted tsvector
kept out of line, GIN index; migration 0004).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    page_id = models.BigIntegerField(unique=True)
    entry_key = models.UUIDField(db_index=True)
    language = models.CharField(max_length=8)
    original_language = models.CharField(max_length=8)
    is_original = models.BooleanField(default=False)
    url = models.CharField(max_length=1000)
    title = models.CharField(max_length=255)
    title_sort = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    #: Plain text of the answers, body and other text fields, for snippets.
    body_text = models.TextField(blank=True)
    organisation = models.CharField(max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    #: The entry's first publication: the earliest of its versions' (`newest`, `oldest`).
    published_at = models.DateTimeField(null=True)
    #: Facet key -> list of values (slugs, country codes, years, languages, tag slugs).
    facets = models.JSONField(default=dict)
    #: Tag slug -> name, to label the tag facet.
    tag_names = models.JSONField(default=dict)
    #: The sum of the USD equivalents of the entry's funding rows that have one.
    funding_total_usd = models.FloatField(null=True)
    #: The stemmed words of the title, names and labels, for the in-memory ranking
    #: (ranking.rank_text).
    rank_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["language"], name="practices_search_lang_idx")]

    def __str__(self):
        return f"{self.title} ({self.language})"


class SearchVector(models.Model):
    """PostgreSQL: the weighted tsvector of a document, in a narrow table of its own.

    Written and read in SQL by `engines/database.py` (the vector kept out of line, a GIN
    index: migration 0004), so that matching a common word reads small rows. A model so that
    its rows go with their document and `flush` empties it; unused on SQLite.
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    search_vector = SearchVectorField()
    #: The body's words and adjacent words as lexemes (ranking.body_terms; GIN index,
    #: migration 0007).
    body_terms = SearchVectorField(null=True)

    def __str__(self):
        return f"vector of document {self.document_id}"


class SearchIndexState(models.Model):
    """A single row whose version changes with every change of the documents.

    Each process keeps its in-memory facet bitmaps until it sees another version.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"search index version {self.version}"


class SearchIndexChange(models.Model):
    """What a new index version changed, so that each process can update its in-memory
    snapshot instead of rebuilding it (`memory.Snapshot.updated`).

    Written after the version row is updated, in the same transaction: writers wait for
    each other on that row, so changes get their ids in the order they are committed.
    `full` marks a change that only a rebuild can follow (a bulk write, an edited term).
    Only the latest rows are kept (`KEEP`); a process further behind rebuilds.
    """

    KEEP = 1000

    version = models.BigIntegerField()
    full = models.BooleanField(default=False)
    #: Ids of the documents removed and added, and the entries (translation keys) they are of.
    removed = models.JSONField(default=list)
    added = models.JSONField(default=list)
    entries = models.JSONField(default=list)

    def __str__(self):
        return f"search index change {self.pk} (version {self.version})"


class PendingSearchUpdate(models.Model):
    """A page whose Elasticsearch documents could not be updated (cluster unreachable).

    `manage.py es_sync_pending` (and a full `es_reindex`) bring the index up to date and
    remove the rows. The page may no longer exist: its documents are then removed.
    """

    page_id = models.PositiveBigIntegerField(_("page id"), unique=True)
    translation_key = models.UUIDField(_("translation key"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending search update")
        verbose_name_plural = _("pending search updates")
        ordering = ["queued_at", "pk"]

    def __str__(self):
        return f"page {self.page_id}"


class SearchWord(models.Model):
    """A word of the search documents of one language, with the number of documents that
    hold it: the vocabulary a misspelled query is corrected from (`suggestions`).

    `word` is folded as `analysis.words` gives it (what queries are compared in); `surface`
    is the form shown to readers (with its accents: "prothèses"). Kept by the index writer
    (`index.py` through `words.py`), whichever engine answers searches.
    """

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=64)
    surface = models.CharField(max_length=64)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="practices_search_word_uniq")
        ]

    def __str__(self):
        return f"{self.word} ({self.language}, {self.documents})"


class SearchDocumentWords(models.Model):
    """The distinct folded words of one document, so that the word counts of `SearchWord`
    can be lowered exactly when the document is removed: a document's labels (terms,
    places, funders in its language) are not kept in its row, and its page may be gone."""

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    words = models.TextField(blank=True)

    def __str__(self):
        return f"words of document {self.document_id}"

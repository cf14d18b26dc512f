"""Database full-text engines: SQLite FTS5 and PostgreSQL text search.

SQLite: one FTS5 table per document language (`unicode61 remove_diacritics 2`), filled
with terms already folded and stemmed in Python by the language's Snowball stemmer; the
query is stemmed the same way. PostgreSQL: a weighted tsvector per document built with the
language's own configuration (`arabic`, `english`, `french`, `spanish`) over `unaccent`,
in a narrow table of its own with a GIN index. Either way the query is analysed once per
document language and each document is matched with the analysis of its own language.

The engines only say which documents match, and which have a word, or two adjacent words,
in their body (`body_has`: an FTS5 phrase query of the body column; on PostgreSQL a GIN
index of the body's stemmed words and pairs): the order is ranking.py's, the same on both.
"""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from pyroaring import BitMap

from ...bulk import PreparedRows, prepare_rows, raw_cursor, write_rows
from ..analysis import LANGUAGES, POSTGRES_CONFIGS, analyse, fold, normalise
from ..models import SearchDocument
from ..ranking import body_terms, field_texts, rank_text

logger = logging.getLogger(__name__)


def document_row(document):
    """The SearchDocument row of a document (an EntryDocument of ..documents)."""
    return {
        "page_id": document.page_id,
        "entry_key": document.entry_key,
        "language": document.language,
        "original_language": document.original_language,
        "is_original": document.is_original,
        "url": document.url,
        "title": document.title,
        "title_sort": fold(document.title)[:255],
        "summary": document.summary,
        "body_text": document.body_text,
        "organisation": document.organisation,
        "year": document.year,
        "published_at": document.published_at,
        "facets": document.facets,
        "tag_names": document.tag_names,
        "funding_total_usd": document.funding_total_usd,
        "rank_text": rank_text(document),
    }


def document_texts(document):
    """The three texts the engines index: the title, the labels (names and classification,
    places and tags: ranked in memory, see ranking.py) and the body, whose adjacent words
    the engines find for the ranking."""
    texts = field_texts(document)
    return {
        "title": document.title,
        "labels": " ".join(filter(None, [*texts["names"], *texts["labels"]])),
        "body": " ".join(filter(None, texts["body"])),
    }


@dataclass
class PreparedDocuments:
    """Documents ready to write: their rows, and their texts as the engine indexes them."""

    rows: PreparedRows
    text_rows: list


class DatabaseEngine:
    """Documents in SearchDocument, their text in the engine's own tables.

    Preparing documents (`prepare_documents`: database values, text analysis) reads nothing
    from the database, so a bulk writer can prepare the next documents while the database
    writes the previous ones.
    """

    def prepare_documents(self, documents, connection=None):
        """Rows and texts of EntryDocuments. `connection`: the one they will be written with
        (see prepare_rows)."""
        return PreparedDocuments(
            prepare_rows(
                SearchDocument, [document_row(doc) for doc in documents], connection=connection
            ),
            [self.text_row(doc.language, document_texts(doc)) for doc in documents],
        )

    def write_documents(self, prepared, page_ids=None):
        """Write prepared documents; their ids. With `page_ids`, the documents' page_id
        values are positions in that list (see PreparedRows.resolve)."""
        rows = prepared.rows
        if page_ids is not None:
            rows = rows.resolve("page_id", page_ids)
        ids = write_rows(rows, returning=True)
        self.write_texts(ids, prepared.text_rows)
        return ids

    def insert_documents(self, documents):
        """Insert EntryDocuments and index their text; their ids."""
        return self.write_documents(self.prepare_documents(documents))


class SQLiteEngine(DatabaseEngine):
    name = "sqlite-fts5"

    @staticmethod
    def table(language):
        return f"practices_search_fts_{language}"

    @staticmethod
    def text_row(language, texts):
        """What the FTS5 table of the document's language holds: its terms, stemmed."""
        return (
            language,
            " ".join(analyse(texts["title"], language)),
            " ".join(analyse(texts["labels"], language)),
            " ".join(analyse(texts["body"], language)),
        )

    def write_texts(self, ids, text_rows):
        """Insert the text of new documents into the FTS5 tables.

        The ids are new (AUTOINCREMENT never reuses one, and `remove` deletes the text of
        every document deleted), so nothing has to be deleted from the FTS5 tables first.
        """
        rows = {language: [] for language in LANGUAGES}
        for doc_id, (language, *texts) in zip(ids, text_rows, strict=True):
            rows[language].append((doc_id, *texts))
        with connection.cursor() as cursor:
            for language, values in rows.items():
                if values:
                    cursor.executemany(
                        f"INSERT INTO {self.table(language)} (rowid, title, labels, body) "
                        "VALUES (%s, %s, %s, %s)",
                        values,
                    )

    def remove(self, doc_ids):
        doc_ids = list(doc_ids)
        if not doc_ids:
            return
        with connection.cursor() as cursor:
            for language in LANGUAGES:
                cursor.executemany(
                    f"DELETE FROM {self.table(language)} WHERE rowid = %s", [(i,) for i in doc_ids]
                )

    def clear(self):
        with connection.cursor() as cursor:
            for language in LANGUAGES:
                cursor.execute(f"DELETE FROM {self.table(language)}")

    @staticmethod
    def quoted(words, prefix=False):
        """An FTS5 string of stemmed words (a phrase when several), its last word a prefix
        with `prefix`: the text is never read as query syntax."""
        return '"' + " ".join(words).replace('"', '""') + '"' + ("*" if prefix else "")

    @staticmethod
    def fts_expression(parsed, language):
        clauses = parsed.stemmed(language)
        parts = []
        for position, (kind, value) in enumerate(clauses):
            prefix = kind == "word" and parsed.prefix_last and position == len(clauses) - 1
            parts.append(SQLiteEngine.quoted([value] if kind == "word" else value, prefix))
        return " AND ".join(parts)

    def match(self, parsed, candidates=None):
        """The ids of the documents matching `parsed`, each with the query analysed for its
        own language. `candidates` is ignored: FTS5 cannot restrict a MATCH to a list of
        rowids cheaply."""
        hits = BitMap()
        with connection.cursor() as cursor:
            for language in LANGUAGES:
                expression = self.fts_expression(parsed, language)
                if not expression:
                    continue
                table = self.table(language)
                cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
                hits.update(row[0] for row in cursor.fetchall())
        return hits

    def body_has(self, requests):
        """For each (language, words, prefix, candidates) request, the documents of
        `language` whose body holds the stemmed `words` (one, or two adjacent), the last one
        as a prefix with `prefix`: a phrase query of the body column (ranking.py).
        `candidates` is ignored, as in `match`."""
        found = []
        with connection.cursor() as cursor:
            for language, words, prefix, candidates in requests:
                if not candidates:
                    found.append(BitMap())
                    continue
                table = self.table(language)
                phrase = self.quoted(words, prefix)
                cursor.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [f"{{body}} : {phrase}"]
                )
                found.append(BitMap(row[0] for row in cursor.fetchall()))
        return found


class PostgresEngine(DatabaseEngine):
    name = "postgresql"

    #: (document id, language, vector, body terms): vectors live in a narrow table of their
    #: own (SearchVector, migration 0004), out of line, so that matching reads little else
    #: than the index. The body's words and adjacent words (ranking.body_terms, migration
    #: 0007) are lexemes of a vector of their own: finding them is an index lookup.
    VECTORS = "practices_search_searchvector"
    INSERT_VECTORS = (
        f"INSERT INTO {VECTORS} (document_id, language, search_vector, body_terms) "
        "SELECT v.id, v.language, "
        "setweight(to_tsvector(v.config::regconfig, unaccent(v.title)), 'A') || "
        "setweight(to_tsvector(v.config::regconfig, unaccent(v.labels)), 'B') || "
        "setweight(to_tsvector(v.config::regconfig, unaccent(v.body)), 'D'), "
        "array_to_tsvector(string_to_array(v.body_terms, ' ')) "
        "FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], "
        "%b::text[]) AS v(id, language, config, title, labels, body, body_terms)"
    )

    @staticmethod
    def text_row(language, texts):
        """The document's texts, folded, for the database to analyse."""
        return (
            language,
            POSTGRES_CONFIGS[language],
            normalise(texts["title"], language),
            normalise(texts["labels"], language),
            normalise(texts["body"], language),
            " ".join(body_terms(texts["body"], language)),
        )

    def write_texts(self, ids, text_rows):
        """Insert the vectors of new documents, computed by the database."""
        if not ids:
            return
        columns = [list(ids), *(list(column) for column in zip(*text_rows, strict=True))]
        with raw_cursor() as cursor:  # arrays in binary, not quoted into the statement
            cursor.execute(self.INSERT_VECTORS, columns, binary=True)

    def remove(self, doc_ids):
        """Vectors go with their documents (SearchVector's cascade)."""

    def clear(self):
        """Vectors go with their documents (SearchVector's cascade)."""

    @staticmethod
    def tsquery(parsed, language):
        """SQL for the tsquery of `parsed` analysed for `language`, and its parameters."""
        config = POSTGRES_CONFIGS[language]
        clauses = parsed.normalised(language)
        parts, params = [], []
        for position, (kind, value) in enumerate(clauses):
            if kind == "phrase":
                parts.append("phraseto_tsquery(%s::regconfig, unaccent(%s))")
                params += [config, " ".join(value)]
            elif parsed.prefix_last and position == len(clauses) - 1:
                parts.append("to_tsquery(%s::regconfig, quote_literal(unaccent(%s)) || ':*')")
                params += [config, value]
            else:
                parts.append("plainto_tsquery(%s::regconfig, unaccent(%s))")
                params += [config, value]
        return " && ".join(parts), params

    def _run(self, sql, params, index_only=False):
        try:
            # Server-side binding: id lists travel as binary arrays, not quoted into the SQL.
            with transaction.atomic(), raw_cursor() as cursor:
                if index_only:
                    # Even for a word in most documents, reading the GIN index and fetching
                    # the rows beats evaluating @@ on every tsvector, which the planner
                    # prefers once a word is common.
                    cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(sql, params, binary=True)
                return cursor.fetchall()
        except DatabaseError:  # a query the text search parser refuses matches nothing
            logger.warning("Full-text query refused", exc_info=True)
            return []

    def tsqueries(self, parsed):
        """language -> the query analysed for it, as tsquery text (languages without terms
        left out). Computed once, so that the matching query compares with constants and
        can use the GIN index (unaccent() is only STABLE: inline, it runs for every row)."""
        selects, params, languages = [], [], []
        for language in LANGUAGES:
            expression, expression_params = self.tsquery(parsed, language)
            if expression:
                selects.append(f"({expression})::text")
                params += expression_params
                languages.append(language)
        if not selects:
            return {}
        rows = self._run(f"SELECT {', '.join(selects)}", params)
        if not rows:
            return {}
        return {lang: text for lang, text in zip(languages, rows[0], strict=True) if text}

    #: Up to this many candidates, the ids go to the query: PostgreSQL filters the index's
    #: matches with them, and only the candidates that match come back.
    MAX_CANDIDATES = 20_000

    def match(self, parsed, candidates=None):
        """Matching document ids (among `candidates`, a BitMap, if given; the result may
        hold others).

        One statement: a GIN lookup per distinct analysed query, each keeping the documents
        of the languages it was analysed for, the ids returned as arrays.
        """
        queries = self.tsqueries(parsed)
        if not queries or (candidates is not None and not candidates):
            return BitMap()
        languages_by_query = {}
        for language, text in queries.items():
            languages_by_query.setdefault(text, []).append(language)
        restrict, ids = self._among(candidates)
        selects, params = [], []
        for text, languages in languages_by_query.items():
            selects.append(
                f"ARRAY(SELECT document_id FROM {self.VECTORS} WHERE search_vector @@ "
                f"%s::tsquery AND language = ANY(%s::text[]){restrict})"
            )
            params += [text, languages, *ids]
        return BitMap.union(BitMap(), *self._arrays(selects, params))

    def body_has(self, requests):
        """For each (language, words, prefix, candidates) request, the documents whose body
        holds the stemmed `words` (one, or two adjacent), the last one as a prefix with
        `prefix`: a lookup in the GIN index of the body's words and pairs
        (ranking.body_terms), among the candidates when they are few; all in one statement.
        Documents of other languages with the same terms may come back: the caller keeps its
        own."""
        selects, params, positions = [], [], []
        for position, (_language, words, prefix, candidates) in enumerate(requests):
            if not candidates:
                continue
            lexeme = "'" + "_".join(words).replace("'", "''") + "'" + (":*" if prefix else "")
            restrict, ids = self._among(candidates)
            selects.append(
                f"ARRAY(SELECT document_id FROM {self.VECTORS} "
                f"WHERE body_terms @@ %s::tsquery{restrict})"
            )
            params += [lexeme, *ids]
            positions.append(position)
        found = [BitMap() for _request in requests]
        for position, bitmap in zip(positions, self._arrays(selects, params), strict=True):
            found[position] = bitmap
        return found

    def _among(self, candidates):
        """The condition keeping `candidates` (a BitMap, or None for all), and its parameters:
        none when they are too many to send."""
        if candidates is None or len(candidates) > self.MAX_CANDIDATES:
            return "", []
        return " AND document_id = ANY(%b::bigint[])", [list(candidates)]

    def _arrays(self, selects, params):
        """The id arrays that `selects` (ARRAY(...) expressions) give, as BitMaps: one
        statement, one row."""
        if not selects:
            return []
        rows = self._run(f"SELECT {', '.join(selects)}", params, index_only=True)
        if not rows:  # the statement was refused (logged): nothing found
            return [BitMap() for _select in selects]
        return [BitMap(values or ()) for values in rows[0]]

"""The word list of each language's search documents (SearchWord), kept by the index writer.

What a misspelled query is corrected from (`suggestions.py`): the folded words of the texts
the engines index (title, labels, organisation, summary, body), each with the number of
documents of its language that hold it and the form readers are shown. Each document's
distinct words are kept beside it (SearchDocumentWords), so removing a document lowers the
counts exactly, even when its page is gone.
"""

from collections import Counter

from django.db import connection

from .analysis import _ARABIC_MARKS_RE, WORD_RE, _remember, words
from .engines.database import document_texts
from .models import SearchDocumentWords, SearchWord

#: Shorter words are never corrected, longer ones are rarely words.
MIN_LENGTH = 3
MAX_LENGTH = 64
_BATCH = 500
_CHUNKS = {}


def _chunk_words(chunk):
    """(folded word, form as written in lower case) of a whitespace-separated chunk."""
    pairs = _CHUNKS.get(chunk)
    if pairs is not None:
        return pairs
    folded = words(chunk)
    written = WORD_RE.findall(_ARABIC_MARKS_RE.sub("", chunk).lower())
    if len(written) != len(folded):  # a mark split a word: show the folded form
        written = folded
    pairs = [
        (word, form)
        for word, form in zip(folded, written, strict=True)
        if MIN_LENGTH <= len(word) <= MAX_LENGTH and not word.isdigit()
    ]
    return _remember(_CHUNKS, chunk, pairs)


def document_words(document):
    """Folded word -> the form it is first written in, for an EntryDocument."""
    found = {}
    for text in document_texts(document).values():
        for chunk in (text or "").split():
            for word, form in _chunk_words(chunk):
                if word not in found:
                    found[word] = form
    return found


class WordCounts:
    """Changes to the word lists, gathered, then written at once (`save`)."""

    def __init__(self):
        #: (language, word) -> change of its document count
        self.delta = Counter()
        #: (language, word) -> the form first seen in the documents added (shown to readers
        #: when the word is new to the list)
        self.forms = {}
        self.rows = []

    def add(self, doc_ids, documents):
        """Count the words of new documents (EntryDocuments, and their ids)."""
        delta, forms = self.delta, self.forms
        for doc_id, document in zip(doc_ids, documents, strict=True):
            found = document_words(document)
            language = document.language
            for word, form in found.items():
                key = (language, word)
                delta[key] += 1
                if key not in forms:
                    forms[key] = form
            self.rows.append(SearchDocumentWords(document_id=doc_id, words=" ".join(sorted(found))))
        if len(self.rows) >= _BATCH:
            self._write_rows()

    def remove(self, doc_ids):
        """Uncount the words of documents about to be deleted."""
        stored = SearchDocumentWords.objects.filter(document_id__in=doc_ids).values_list(
            "document__language", "words"
        )
        for language, text in stored.iterator(chunk_size=_BATCH):
            for word in text.split():
                self.delta[(language, word)] -= 1

    def _write_rows(self):
        SearchDocumentWords.objects.bulk_create(self.rows, batch_size=_BATCH)
        self.rows = []

    def save(self, replace=False):
        """Write the counts; with `replace`, the lists are rebuilt from these counts only.

        One upsert per batch adds to the words' counts (a word new to the list is inserted
        with its form); counts lowered never go below zero, and the words no document holds
        any more go."""
        self._write_rows()
        if replace:
            SearchWord.objects.all().delete()
        added = [(key, change) for key, change in self.delta.items() if change > 0]
        lowered = [(key, change) for key, change in self.delta.items() if change < 0]
        table = SearchWord._meta.db_table
        with connection.cursor() as cursor:
            for start in range(0, len(added), _BATCH):
                batch = added[start : start + _BATCH]
                values = []
                for (language, word), change in batch:
                    values += [language, word, self.forms.get((language, word), word), change]
                cursor.execute(
                    f"INSERT INTO {table} (language, word, surface, documents) VALUES "
                    + ", ".join(["(%s, %s, %s, %s)"] * len(batch))
                    + " ON CONFLICT (language, word) DO UPDATE "
                    f"SET documents = {table}.documents + excluded.documents",
                    values,
                )
            if lowered:
                cursor.executemany(
                    f"UPDATE {table} SET documents = CASE WHEN documents + %s > 0 "
                    "THEN documents + %s ELSE 0 END WHERE language = %s AND word = %s",
                    [(change, change, language, word) for (language, word), change in lowered],
                )
                cursor.execute(f"DELETE FROM {table} WHERE documents = 0")
        self.delta.clear()
        self.forms.clear()


def clear():
    SearchDocumentWords.objects.all().delete()
    SearchWord.objects.all().delete()

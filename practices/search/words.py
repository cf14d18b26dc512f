"""The word list of each language's search documents (SearchWord), kept by the index writer.

What a misspelled query is corrected from (`suggestions.py`): the folded words of the texts
the engines index (title, labels, organisation, summary, body), each with the number of
documents of its language that hold it and the form readers are shown. Each document's
distinct words are kept beside it (SearchDocumentWords), so removing a document lowers the
counts exactly, even when its page is gone.
"""

from collections import Counter, defaultdict

from .analysis import _ARABIC_MARKS_RE, WORD_RE, words
from .engines.database import document_texts
from .models import SearchDocumentWords, SearchWord

#: Shorter words are never corrected, longer ones are rarely words.
MIN_LENGTH = 3
MAX_LENGTH = 64
_BATCH = 500
_CHUNKS = {}
_CACHE_LIMIT = 100_000


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
    if len(_CHUNKS) >= _CACHE_LIMIT:
        _CHUNKS.clear()
    _CHUNKS[chunk] = pairs
    return pairs


def document_words(document):
    """Folded word -> Counter of its written forms, for an EntryDocument."""
    found = defaultdict(Counter)
    for text in document_texts(document).values():
        for chunk in (text or "").split():
            for word, form in _chunk_words(chunk):
                found[word][form] += 1
    return found


class WordCounts:
    """Changes to the word lists, gathered, then written at once (`save`)."""

    def __init__(self):
        #: (language, word) -> change of its document count
        self.delta = Counter()
        #: (language, word) -> Counter of written forms in the documents added
        self.forms = defaultdict(Counter)
        self.rows = []

    def add(self, doc_ids, documents):
        """Count the words of new documents (EntryDocuments, and their ids)."""
        for doc_id, document in zip(doc_ids, documents, strict=True):
            found = document_words(document)
            for word, forms in found.items():
                key = (document.language, word)
                self.delta[key] += 1
                self.forms[key].update(forms)
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
        """Write the counts; with `replace`, the lists are rebuilt from these counts only."""
        self._write_rows()
        if replace:
            SearchWord.objects.all().delete()
        by_language = defaultdict(list)
        for (language, word), change in self.delta.items():
            if change:
                by_language[language].append(word)
        for language, changed in by_language.items():
            for start in range(0, len(changed), _BATCH):
                self._save_words(language, changed[start : start + _BATCH], replace)
        self.delta.clear()
        self.forms.clear()

    def _save_words(self, language, changed, replace):
        existing = (
            {}
            if replace
            else {
                row.word: row
                for row in SearchWord.objects.filter(language=language, word__in=changed)
            }
        )
        created, updated, emptied = [], [], []
        for word in changed:
            change = self.delta[(language, word)]
            row = existing.get(word)
            if row is None:
                if change > 0:
                    forms = self.forms[(language, word)]
                    surface = forms.most_common(1)[0][0] if forms else word
                    created.append(
                        SearchWord(language=language, word=word, surface=surface, documents=change)
                    )
            elif row.documents + change > 0:
                row.documents += change
                updated.append(row)
            else:
                emptied.append(row.pk)
        SearchWord.objects.bulk_create(created, batch_size=_BATCH)
        SearchWord.objects.bulk_update(updated, ["documents"], batch_size=_BATCH)
        if emptied:
            SearchWord.objects.filter(pk__in=emptied).delete()


def clear():
    SearchDocumentWords.objects.all().delete()
    SearchWord.objects.all().delete()

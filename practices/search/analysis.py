"""Text analysis shared by indexing and querying: folding, Arabic normalisation, stemming.

The same functions run on both sides (documents and queries), which is what makes
`cooperacion` find `cooperación` and `صندوق` find `الصندوق`. Accents are removed *before*
stemming because the Snowball stemmers only know the accented suffixes of a correct text
and would otherwise stem `cooperacion` and `cooperación` differently.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field

import Stemmer

from kb.languages import LANGUAGE_CODES as LANGUAGES

STEMMER_ALGORITHMS = {"ar": "arabic", "en": "english", "fr": "french", "es": "spanish"}
#: PostgreSQL text search configuration of each language.
POSTGRES_CONFIGS = {"ar": "arabic", "en": "english", "fr": "french", "es": "spanish"}

WORD_RE = re.compile(r"[^\W_]+")
_ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0622": "\u0627",  # alef with madda
        "\u0671": "\u0627",  # alef wasla
        "\u0624": "\u0648",  # waw with hamza
        "\u0626": "\u064a",  # yeh with hamza
        "\u0629": "\u0647",  # ta marbuta -> heh
        "\u0649": "\u064a",  # alef maqsura -> yeh
    }
)
#: The definite article, alone or after the conjunctions and prepositions that attach to it.
_ARABIC_ARTICLES = ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644",
                    "\u0641\u0627\u0644", "\u0644\u0644", "\u0627\u0644")  # fmt: skip
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

MAX_QUERY_LENGTH = 500
MAX_QUERY_CLAUSES = 24


def _combining_marks_re():
    marks = [chr(code) for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))]
    return re.compile("[" + re.escape("".join(marks)) + "]+")


_COMBINING_RE = _combining_marks_re()


def fold(text):
    """Lower case without accents or Arabic diacritics (letters keep their base form)."""
    if text.isascii():
        return text.lower()
    text = _ARABIC_MARKS_RE.sub("", text.translate(_ARABIC_LETTERS))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _COMBINING_RE.sub("", decomposed)).translate(
        _ARABIC_LETTERS
    )


def _strip_arabic_article(word):
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


#: Whitespace-separated chunk -> its folded words, and (language, chunk) -> its terms.
#: Folding works character by character, so a text's words are its chunks' words in order;
#: real and synthetic texts repeat their words, so most chunks are analysed only once.
_FOLDED = {}
_ANALYSED = {language: {} for language in LANGUAGES}
_CACHE_LIMIT = 100_000


def _remember(cache, key, value):
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def words(text):
    """Folded words of a text, in order."""
    if not text:
        return []
    result = []
    cache = _FOLDED
    for chunk in text.split():
        folded = cache.get(chunk)
        if folded is None:
            folded = _remember(cache, chunk, WORD_RE.findall(fold(chunk)))
        result += folded
    return result


_local = threading.local()


def _stemmer(language):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(language)
    if stemmer is None:
        stemmer = stemmers[language] = Stemmer.Stemmer(STEMMER_ALGORITHMS[language], 50_000)
    return stemmer


def normalise_words(tokens, language):
    """Folded words prepared for the language: the Arabic article is removed."""
    if language == "ar":
        return [_strip_arabic_article(token) for token in tokens]
    return list(tokens)


def stem_words(tokens, language):
    return _stemmer(language).stemWords(normalise_words(tokens, language))


def analyse(text, language):
    """The stemmed terms of a text for the engines that stem in Python (SQLite FTS5)."""
    if not text:
        return []
    result = []
    cache = _ANALYSED[language]
    for chunk in text.split():
        terms = cache.get(chunk)
        if terms is None:
            terms = _remember(cache, chunk, stem_words(words(chunk), language))
        result += terms
    return result


def normalise(text, language):
    """Folded, article-free text for the engines that stem themselves (PostgreSQL)."""
    return " ".join(normalise_words(words(text), language))


@dataclass
class ParsedQuery:
    """A user query: words (AND-ed), quoted phrases, and whether the last word is a prefix.

    `clauses` hold folded words, for the engines that analyse in Python (the database's).
    `typed_words` and `typed_phrases` hold the same words as typed (whitespace-separated
    chunks, each with at least one letter or digit), for an engine that analyses the text
    itself with each language's analyser (Elasticsearch).
    """

    clauses: list = field(default_factory=list)  # [("word", str) | ("phrase", [str, ...])]
    prefix_last: bool = False
    typed_words: list = field(default_factory=list)
    typed_phrases: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses)

    def stemmed(self, language):
        """Clauses with each word stemmed for `language` (words emptied by it are dropped)."""
        result = []
        for kind, value in self.clauses:
            if kind == "word":
                stems = [s for s in stem_words([value], language) if s]
                if stems:
                    result.append(("word", stems[0]))
            else:
                stems = [s for s in stem_words(value, language) if s]
                if len(stems) == 1:
                    result.append(("word", stems[0]))
                elif stems:
                    result.append(("phrase", stems))
        return result

    def normalised(self, language):
        """Clauses with folded, article-free words (for engines that stem themselves)."""
        result = []
        for kind, value in self.clauses:
            tokens = normalise_words([value] if kind == "word" else value, language)
            tokens = [t for t in tokens if t]
            if not tokens:
                continue
            result.append(("word", tokens[0]) if len(tokens) == 1 else ("phrase", tokens))
        return result

    def terms(self):
        """Every folded word of the query (for highlighting)."""
        for kind, value in self.clauses:
            yield from ([value] if kind == "word" else value)


def parse_query(text):
    """Parse free text safely: only words survive, so no engine syntax can leak through.

    Double quotes delimit phrases; an unclosed quote is ignored. The last word is a prefix
    when it is not inside a phrase.
    """
    text = _CONTROL_RE.sub(" ", text or "")[:MAX_QUERY_LENGTH]
    segments = text.split('"')
    if len(segments) % 2 == 0:  # unbalanced: the last quote opens nothing
        segments[-2:] = [segments[-2] + " " + segments[-1]]
    parsed = ParsedQuery()
    last_is_word = False
    for position, segment in enumerate(segments):
        tokens = words(segment)
        if not tokens:
            continue
        typed = [chunk for chunk in segment.split() if words(chunk)]
        if position % 2:  # inside quotes
            parsed.clauses.append(("phrase", tokens) if len(tokens) > 1 else ("word", tokens[0]))
            parsed.typed_phrases.append(" ".join(typed))
            last_is_word = False
        else:
            parsed.clauses.extend(("word", token) for token in tokens)
            parsed.typed_words.extend(typed)
            last_is_word = True
    parsed.clauses = parsed.clauses[:MAX_QUERY_CLAUSES]
    parsed.typed_words = parsed.typed_words[:MAX_QUERY_CLAUSES]
    parsed.typed_phrases = parsed.typed_phrases[:MAX_QUERY_CLAUSES]
    parsed.prefix_last = bool(parsed.clauses) and last_is_word and parsed.clauses[-1][0] == "word"
    return parsed

"""A normalised search request shared by the search engines, and the parsing of `q`."""

import re
import unicodedata
from dataclasses import dataclass, field

SORTS = ("relevance", "newest", "oldest", "title")
#: Longest query text an engine looks at; the rest is ignored.
MAX_QUERY_LENGTH = 500
#: Most words and phrases an engine looks at.
MAX_TERMS = 32


@dataclass(frozen=True)
class SearchRequest:
    """What to search: validated values only (the API and the page validate the query string).

    `filters` maps a facet key to its selected values: OR within a key, AND across keys.
    """

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lang: str = "en"
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    @property
    def effective_sort(self):
        """`relevance` only means something with a text query; otherwise newest first."""
        if self.sort == "relevance" and not parse_query(self.q).has_text:
            return "newest"
        return self.sort if self.sort in SORTS else "relevance"

    @property
    def offset(self):
        return (max(self.page, 1) - 1) * self.page_size


@dataclass(frozen=True)
class ParsedQuery:
    """`q` split into bare words (AND-ed) and quoted phrases; the last bare word may be a prefix."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    last_word_is_prefix: bool = False

    @property
    def has_text(self):
        return bool(self.words or self.phrases)


_PHRASE = re.compile(r'"([^"]*)"')


def _clean(text):
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
    )
    return text[:MAX_QUERY_LENGTH]


def _words(text):
    # Engines analyse the text themselves; here we only split on whitespace and drop the
    # characters that carry no meaning for a word query (operators of other syntaxes).
    return [word for word in re.split(r"[\s\"]+", text) if re.search(r"\w", word)]


def parse_query(q):
    """Split `q` into words and "quoted phrases". An unbalanced quote is treated as a space.

    The last bare word is a prefix when the text ends with it (the user may still be typing).
    """
    text = _clean(q)
    phrases = []
    for match in _PHRASE.finditer(text):
        phrase = " ".join(_words(match.group(1)))
        if phrase:
            phrases.append(phrase)
    rest = _PHRASE.sub(" \x00 ", text).replace('"', " ")
    words = _words(rest.replace("\x00", " "))
    tail = rest.rstrip()
    last_word_is_prefix = bool(words) and not tail.endswith("\x00") and not text.endswith('"')
    return ParsedQuery(
        words=tuple(words[:MAX_TERMS]),
        phrases=tuple(phrases[:MAX_TERMS]),
        last_word_is_prefix=last_word_is_prefix,
    )

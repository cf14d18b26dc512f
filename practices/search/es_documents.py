"""The Elasticsearch document of one language version of an entry, and its mapping.

One document per published language version (its id is the page id). The text is indexed
in the fields of the version's language only (`text.<lang>.*`), analysed by that language's
analyser with ASCII/diacritic folding; a `native` subfield keeps the built-in analyser of
the language. Facet values are keyword fields, and everything a result shows is stored so
that results render without a database query per hit. No contributor contact data.
"""

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Double,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Mapping,
    Object,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from kb.languages import LANGUAGE_CODES as LANGUAGES
from practices.facets import FACET_KEYS

from .ranking import field_texts

#: The built-in analyser of each language (kept as the `native` subfield).
BUILTIN_ANALYZERS = {"ar": "arabic", "en": "english", "fr": "french", "es": "spanish"}
#: Facet keys stored as keyword fields of the same name.
KEYWORD_FACETS = FACET_KEYS

_french_elision = token_filter(
    "alianzas_french_elision",
    type="elision",
    articles_case=True,
    articles=[
        "l",
        "m",
        "t",
        "qu",
        "n",
        "s",
        "j",
        "d",
        "c",
        "jusqu",
        "quoiqu",
        "lorsqu",
        "puisqu",
    ],  # fmt: skip
)

#: The analysers of each language: the built-in one rebuilt with `asciifolding` before the
#: stemmer (so that `developpement` and `développement` stem alike), and for Arabic the
#: normalisation of hamza/alef forms, ta marbuta, alef maqsura, tatweel and tashkeel.
FOLDED_ANALYZERS = {
    "ar": analyzer(
        "alianzas_arabic",
        tokenizer="standard",
        filter=[
            "lowercase",
            "decimal_digit",
            token_filter("alianzas_arabic_stop", type="stop", stopwords="_arabic_"),
            "arabic_normalization",
            "asciifolding",
            token_filter("alianzas_arabic_stemmer", type="stemmer", language="arabic"),
        ],
    ),
    "en": analyzer(
        "alianzas_english",
        tokenizer="standard",
        filter=[
            token_filter(
                "alianzas_english_possessive", type="stemmer", language="possessive_english"
            ),
            "lowercase",
            token_filter("alianzas_english_stop", type="stop", stopwords="_english_"),
            "asciifolding",
            token_filter("alianzas_english_stemmer", type="stemmer", language="english"),
        ],
    ),
    "fr": analyzer(
        "alianzas_french",
        tokenizer="standard",
        filter=[
            _french_elision,
            "lowercase",
            token_filter("alianzas_french_stop", type="stop", stopwords="_french_"),
            "asciifolding",
            token_filter("alianzas_french_stemmer", type="stemmer", language="light_french"),
        ],
    ),
    "es": analyzer(
        "alianzas_spanish",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter("alianzas_spanish_stop", type="stop", stopwords="_spanish_"),
            "asciifolding",
            token_filter("alianzas_spanish_stemmer", type="stemmer", language="light_spanish"),
        ],
    ),
}

#: Title sorting ignores case and accents.
sort_normalizer = normalizer("alianzas_sort", filter=["lowercase", "asciifolding"])

#: The text fields of each language version; all of them are copied into `content`. The
#: ranking (engines/elasticsearch.py, ranking.py) weighs `title`, `names` (organisation,
#: partners, funders and recipients), `labels` (classification, places, tags) and `body`
#: (`summary`, `answers` and `details`, with the sources' titles).
TEXT_FIELDS = ("title", "summary", "answers", "details", "names", "labels")
#: The fields of the ranking's body.
BODY_FIELDS = ("summary", "answers", "details")
#: Fields whose fragments make the highlighted snippet, in order of preference.
SNIPPET_FIELDS = ("summary", "answers")


def language_field(language, name):
    return f"text.{language}.{name}"


def _language_text(language):
    folded = FOLDED_ANALYZERS[language]
    native = {"native": Text(analyzer=BUILTIN_ANALYZERS[language])}
    content_path = language_field(language, "content")
    attrs = {
        name: Text(analyzer=folded, copy_to=content_path, fields=native) for name in TEXT_FIELDS
    }
    attrs["content"] = Text(analyzer=folded, fields=native)
    return type(f"Text_{language}", (InnerDoc,), attrs)


LanguageTexts = type(
    "LanguageTexts",
    (InnerDoc,),
    {language: Object(_language_text(language)) for language in LANGUAGES},
)


def _facet_mapping():
    """Every facet of the registry (practices.facets), a keyword field of the same name."""
    mapping = Mapping()
    for key in KEYWORD_FACETS:
        mapping.field(key, Keyword())
    return mapping


class PracticeDocument(Document):
    """A published language version of an entry (its `meta.id` is the page id)."""

    page_id = Integer()
    translation_key = Keyword()
    lang = Keyword()  # the language of this version
    is_original = Boolean()
    live = Boolean()
    #: Languages in which the entry has a published version (for the language fallback).
    available_languages = Keyword()
    #: The version shown in a language the entry has no published version in: the original,
    #: or the oldest published version while the original is not published.
    is_fallback = Boolean()
    url = Keyword(index=False, doc_values=False)
    title = Text(analyzer="standard", fields={"sort": Keyword(normalizer=sort_normalizer)})
    summary = Text(index=False)
    organisation = Keyword(index=False, doc_values=False)
    first_published_at = Date()  # this version's
    last_published_at = Date()
    #: The entry's first publication: the earliest of its versions' (`newest`, `oldest`).
    entry_published_at = Date()
    start_year = Integer()  # sorting; the `year` facet is a keyword like every facet
    #: The sum of the USD equivalents of the entry's funding rows that have one.
    funding_total_usd = Double(index=False)
    text = Object(LanguageTexts)

    class Meta:
        mapping = _facet_mapping()

    @classmethod
    def from_entry(cls, document):
        """The Elasticsearch form of an EntryDocument (practices.search.documents)."""
        language = document.language
        fields = field_texts(document)
        texts = {
            "title": document.title,
            "summary": document.summary,
            "answers": list(document.answers),
            "details": [text for text in (*document.details, *document.sources) if text],
            "names": [text for text in fields["names"] if text],
            "labels": [text for text in fields["labels"] if text],
        }
        result = cls(
            meta={"id": document.page_id},
            page_id=document.page_id,
            translation_key=str(document.entry_key),
            lang=language,
            is_original=document.is_original,
            live=True,
            available_languages=sorted(document.available_in),
            is_fallback=document.is_fallback,
            url=document.url or "",
            title=document.title,
            summary=document.summary,
            organisation=document.organisation,
            first_published_at=document.first_published_at,
            last_published_at=document.last_published_at,
            entry_published_at=document.published_at,
            start_year=document.year,
            funding_total_usd=document.funding_total_usd,
            text={language: texts},
        )
        for key in KEYWORD_FACETS:
            setattr(result, key, [str(value) for value in document.facets.get(key, [])])
        return result


def build_index(name, shards=1, replicas=None):
    """The index definition (settings, analysis, mapping) under a concrete name."""
    index = Index(name)
    settings = {"number_of_shards": shards}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    index.settings(**settings)
    index.document(PracticeDocument)
    return index

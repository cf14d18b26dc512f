"""The Elasticsearch document of one language version of an entry, and its mapping.

One document per published language version (its id is the page id). The text is indexed
in the fields of the version's language only (`text.<lang>.*`), analysed by that language's
analyser with ASCII/diacritic folding; a `native` subfield keeps the built-in analyser of
the language. Facet values are keyword fields, and everything a result shows is stored so
that results render without a database query per hit. No contributor contact data.
"""

from django.utils import translation
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Object,
    Text,
    analyzer,
    normalizer,
    token_filter,
)
from wagtail.rich_text import get_text_for_indexing

from practices.facets import FACET_KEYS, country_name

LANGUAGES = ("ar", "en", "fr", "es")
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

#: The text fields of each language version; all of them are copied into `content`.
TEXT_FIELDS = ("title", "summary", "answers", "details", "organisation", "labels")
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
    text = Object(LanguageTexts)

    # Facet keys of CONTRACT.md, each a keyword field of the same name.
    cooperation_model = Keyword()
    guiding_question = Keyword()
    va_component = Keyword()
    region = Keyword()
    country = Keyword()
    actor_type = Keyword()
    funding_mechanism = Keyword()
    sdg = Keyword()
    crpd_article = Keyword()
    year = Keyword()
    language = Keyword()  # the original language of the entry
    available_in = Keyword()  # the languages of the entry's published versions
    tag = Keyword()


def build_index(name, shards=1, replicas=None):
    """The index definition (settings, analysis, mapping) under a concrete name."""
    index = Index(name)
    settings = {"number_of_shards": shards}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    index.settings(**settings)
    index.document(PracticeDocument)
    return index


# -- building a document from a page --------------------------------------------------------


def _stream_text(stream):
    """Plain text of a StreamField value (rich text stripped of its markup)."""
    if not stream:
        return []
    texts = []
    for child in stream:
        value = child.value
        if hasattr(value, "get") and "answer" in value:
            value = value["answer"]
        source = getattr(value, "source", value)
        if isinstance(source, str):
            text = get_text_for_indexing(source)
            if text:
                texts.append(text)
    return texts


def _rich_text(html):
    return get_text_for_indexing(html) if html else ""


def classification_labels(page, language):
    """The labels of the entry's classification in `language` (searchable text)."""
    from practices.models import VOCABULARY_FIELDS

    labels = []
    for field in VOCABULARY_FIELDS.values():
        for term in getattr(page, field).all():
            for name in (f"label_{language}", f"short_label_{language}"):
                label = getattr(term, name, "")
                if label and label not in labels:
                    labels.append(label)
    with translation.override(language):
        labels.extend(country_name(country.code) for country in page.countries)
    labels.extend(tag.name for tag in page.tags.all())
    return labels


class EntryVersions:
    """What every document of an entry needs to know about the entry's other versions."""

    def __init__(self, public_versions, first_published_at=None):
        """`public_versions`: (page id, language code) of every public version;
        `first_published_at`: the entry's first publication, the earliest of all its
        versions' (published now or not: Wagtail keeps the date of an unpublished page)."""
        versions = sorted(public_versions)
        self.languages = sorted({code for _pk, code in versions})
        self.fallback_id = versions[0][0] if versions else None
        self.first_published_at = first_published_at

    @property
    def available_in(self):
        """The `available_in` facet: the languages of the public versions, in facet order."""
        return [code for code in LANGUAGES if code in self.languages]

    @staticmethod
    def first_publications(translation_keys=None):
        """translation_key -> the entry's first publication (every entry, or these)."""
        from django.db.models import Min

        from practices.models import PracticePage

        pages = PracticePage.objects.order_by()
        if translation_keys is not None:
            pages = pages.filter(translation_key__in=translation_keys)
        return dict(
            pages.values("translation_key")
            .annotate(first=Min("first_published_at"))
            .values_list("translation_key", "first")
        )

    @classmethod
    def of(cls, translation_key):
        from practices.models import PracticePage

        return cls(
            PracticePage.objects.live()
            .public()
            .filter(translation_key=translation_key)
            .values_list("pk", "locale__language_code"),
            cls.first_publications([translation_key]).get(translation_key),
        )


def is_public(page):
    """Only live pages without view restrictions are searchable."""
    from practices.models import PracticePage

    return PracticePage.objects.live().public().filter(pk=page.pk).exists()


def prepare(page, versions=None):
    """The document of one language version of an entry (a PracticePage).

    `versions` (EntryVersions) describes the entry's public versions; read when omitted.
    """
    language = page.locale.language_code
    classification = page.classification()
    if versions is None:
        versions = EntryVersions.of(page.translation_key)
    text_fields = {
        "title": page.title,
        "summary": page.summary,
        "answers": _stream_text(page.answers),
        "details": [
            *_stream_text(page.body),
            *(
                _rich_text(getattr(page, name))
                for name in ("outcomes", "lessons_learned", "survivor_participation")
            ),
            _rich_text(page.accountability),
            page.partners,
        ],
        "organisation": page.organisation,
        "labels": classification_labels(page, language),
    }
    text_fields["details"] = [text for text in text_fields["details"] if text]
    document = PracticeDocument(
        meta={"id": page.pk},
        page_id=page.pk,
        translation_key=str(page.translation_key),
        lang=language,
        is_original=page.is_original,
        live=page.live,
        available_languages=list(versions.languages),
        is_fallback=versions.fallback_id == page.pk,
        url=page.url or "",
        title=page.title,
        summary=page.summary,
        organisation=page.organisation,
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
        entry_published_at=versions.first_published_at or page.first_published_at,
        start_year=page.year,
        text={language: text_fields},
    )
    classification["available_in"] = versions.available_in
    for key in KEYWORD_FACETS:
        setattr(document, key, [str(value) for value in classification.get(key, [])])
    return document

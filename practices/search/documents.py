"""From an entry's language version to its search document: the one document builder.

Every backend indexes the same EntryDocument, each serialising it its own way (the database
engines' rows and texts, Elasticsearch's PracticeDocument). A document holds what the
results show (title, summary, URL), the text to search, by field (title; names: the
organisation, partners, funders and recipients; labels: classification, countries and
tags in the version's language; body: summary, answers, body, the other text fields and
the sources' titles; see ranking.py) and the entry's facet values. Nothing from
contributors' private data is read here.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min
from django.utils import translation
from wagtail.rich_text import RichText

from ..facets import SEARCHED_VOCABULARIES, country_name
from ..models import VOCABULARY_FIELDS, PracticePage, tag_label
from ..models.pages import funding_facets, funding_total_usd, results_facets
from .analysis import LANGUAGES

#: Inline elements join the text around them ("<b>money</b>." is "money."); any other tag
#: separates words.
_INLINE_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|code|em|i|mark|s|small|span|strong|sub|sup|u)(?:\s[^>]*)?>", re.IGNORECASE
)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
TEXT_FIELDS = PracticePage.TEXT_SECTIONS
#: What build_document reads from related tables, to prefetch.
PREFETCHED = (
    *VOCABULARY_FIELDS.values(),
    "tags__labels",
    "funding__funder",
    "funding__recipient_organisation",
    "sources",
)


#: Keys of StreamField raw data that hold identifiers rather than text.
_RAW_SKIP_KEYS = {"type", "id", "question"}


def plain_text(value):
    """Plain text of a field value: rich text, or a StreamField read from its raw JSON.

    Reading the raw data avoids turning every block into Python values (which, for
    choice blocks, queries the database once per block).
    """
    if value is None:
        return ""
    if isinstance(value, RichText):
        value = value.source
    if isinstance(value, str):
        text = _TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", value))
        return _SPACE_RE.sub(" ", html.unescape(text)).strip()
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        value = list(raw)
    if isinstance(value, dict):
        return " ".join(
            plain_text(item) for key, item in value.items() if key not in _RAW_SKIP_KEYS
        ).strip()
    if isinstance(value, (list, tuple)):
        return " ".join(plain_text(item) for item in value).strip()
    return ""


@dataclass
class EntryFacts:
    """What every document of an entry knows about the entry's other versions."""

    #: The original: the first version ever created (it owns the classification).
    original_pk: int
    original_language: str
    #: The languages of the searchable versions, in the order of settings.LANGUAGES.
    available_in: list
    #: The entry's first publication: the earliest `first_published_at` of any of its
    #: versions, published now or not (Wagtail keeps the date when a page is unpublished):
    #: the entry is as new as its first version, and publishing a translation does not
    #: renew it.
    first_published_at: object = None
    #: The version shown in a language the entry has no version in: the original, or the
    #: oldest searchable version while the original is not searchable.
    fallback_pk: int | None = None


@dataclass
class EntryDocument:
    """The search document of one searchable language version of an entry.

    Built once, here, for every backend: the database engines (engines/database.py) and
    Elasticsearch (es_documents.PracticeDocument.from_entry) each serialise it their way.
    """

    page_id: int
    entry_key: object
    language: str
    original_language: str
    is_original: bool
    is_fallback: bool
    url: str
    title: str
    summary: str
    organisation: str
    partners: str
    year: int | None
    #: The entry's first publication (`newest`, `oldest`), and this version's dates.
    published_at: object
    first_published_at: object
    last_published_at: object
    #: Facet key -> list of values (slugs, country codes, years, languages, tag slugs).
    facets: dict
    #: Tag slug -> name, to label the tag facet.
    tag_names: dict
    #: Plain text of each answer, and of each body block and other text section.
    answers: list = field(default_factory=list)
    details: list = field(default_factory=list)
    #: Classification, country and tag labels in the version's language (searchable).
    labels: list = field(default_factory=list)
    #: The names and acronyms of the funders and recipients (searchable).
    names: list = field(default_factory=list)
    #: The titles of the sources (searchable, as body text).
    sources: list = field(default_factory=list)
    #: CONTRACT.md's `funding_total_usd`: the sum of the rows' USD equivalents, or None.
    funding_total_usd: float | None = None

    @property
    def available_in(self):
        return self.facets["available_in"]

    @property
    def body_text(self):
        """The answers, body and other text sections: what snippets are cut from."""
        return " ".join(part for part in (*self.answers, *self.details) if part)


def searchable_versions(translation_keys=None):
    """The versions search shows: live and without view restrictions (a page restricted to
    a password, to logged-in users or to groups is not public, so not searchable), and not
    the illustrative samples unless settings.SHOW_ILLUSTRATIVE (the production default is
    off; rebuild the index after changing it)."""
    pages = PracticePage.objects.live().public()
    if not settings.SHOW_ILLUSTRATIVE:
        pages = pages.exclude(provenance=PracticePage.Provenance.ILLUSTRATIVE)
    if translation_keys is not None:
        pages = pages.filter(translation_key__in=translation_keys)
    return pages


def entry_facts(translation_keys):
    """translation_key -> EntryFacts, for the entries among these with a version."""
    keys = list(translation_keys)
    # order_by(): pages are ordered by path, which would split the groups.
    groups = (
        PracticePage.objects.filter(translation_key__in=keys)
        .order_by()
        .values("translation_key")
        .annotate(first=Min("pk"), published=Min("first_published_at"))
    )
    firsts, published = {}, {}
    for row in groups:
        firsts[row["translation_key"]] = row["first"]
        published[row["translation_key"]] = row["published"]
    original_languages = dict(
        PracticePage.objects.filter(pk__in=firsts.values()).values_list(
            "pk", "locale__language_code"
        )
    )
    searchable = {}
    for pk, key, code in (
        searchable_versions(keys)
        .order_by("pk")
        .values_list("pk", "translation_key", "locale__language_code")
    ):
        searchable.setdefault(key, []).append((pk, code))
    facts = {}
    for key, original_pk in firsts.items():
        versions = searchable.get(key, [])
        codes = {code for _pk, code in versions}
        facts[key] = EntryFacts(
            original_pk=original_pk,
            original_language=original_languages[original_pk],
            available_in=[code for code in LANGUAGES if code in codes],
            first_published_at=published.get(key),
            fallback_pk=versions[0][0] if versions else None,
        )
    return facts


def _block_texts(value):
    """Plain text of each block of a StreamField value, read from its raw data."""
    if not value:
        return []
    raw = getattr(value, "raw_data", value)
    return [text for text in (plain_text(block) for block in raw) if text]


def funding_labels(rows):
    """What finds an entry by its funders and recipients: the names the rows give, and the
    organisations' names in every language and their acronyms, so that `q=Leahy` or
    `q=USAID` finds it whatever the reader's language."""
    labels = []
    for row in rows:
        labels += [row.source, row.recipient]
        for organisation in (row.funder, row.recipient_organisation):
            if organisation is not None:
                labels += organisation.names()
    return [label for label in dict.fromkeys(labels) if label]


def build_document(page, facts, url=None):
    """The EntryDocument of one searchable language version (`page` with its terms and tags
    prefetched: see `documents_of`). `facts`: its entry's EntryFacts."""
    language = page.locale.language_code
    facets = {}
    labels = []
    with translation.override(language):
        for key, field_name in VOCABULARY_FIELDS.items():
            terms = list(getattr(page, field_name).all())
            facets[key] = [term.slug for term in terms]
            if key not in SEARCHED_VOCABULARIES:
                continue
            for term in terms:
                labels.append(term.get_label(language))
                short = term.get_short_label(language)
                if short != labels[-1]:
                    labels.append(short)
        codes = [country.code for country in page.countries]
        partners = [country.code for country in page.partner_countries]
        labels += [country_name(code) for code in (*codes, *partners)]
    tags = list(page.tags.all())
    labels += [tag.name for tag in tags]
    labels += [
        label for tag in tags if (label := tag_label(tag, language, query=False)) != tag.name
    ]
    facets["country"] = codes
    facets["year"] = [page.year] if page.year else []
    facets["language"] = [facts.original_language]
    facets["available_in"] = list(facts.available_in)
    facets["tag"] = [tag.slug for tag in tags]
    rows = list(page.funding.all())
    facets.update(funding_facets(rows, codes, partners))
    facets.update(results_facets(page))
    total = funding_total_usd(rows)
    details = [
        *_block_texts(page.body),
        *(plain_text(getattr(page, name)) for name in TEXT_FIELDS),
    ]
    return EntryDocument(
        page_id=page.pk,
        entry_key=page.translation_key,
        language=language,
        original_language=facts.original_language,
        is_original=page.pk == facts.original_pk,
        is_fallback=page.pk == facts.fallback_pk,
        url=url if url is not None else (page.get_url() or page.url_path),
        title=page.title,
        summary=page.summary,
        organisation=page.organisation,
        partners=page.partners,
        year=page.year,
        published_at=facts.first_published_at or page.first_published_at,
        first_published_at=page.first_published_at,
        last_published_at=getattr(page, "last_published_at", None),
        facets=facets,
        tag_names={tag.slug: tag.name for tag in tags},
        answers=_block_texts(page.answers),
        details=[text for text in details if text],
        labels=list(dict.fromkeys(labels)),
        names=funding_labels(rows),
        sources=[source.title for source in page.sources.all() if source.title],
        funding_total_usd=float(total) if total is not None else None,
    )


def documents_of(translation_keys=None):
    """The documents of every searchable version of these entries (all entries: None)."""
    pages = (
        searchable_versions(translation_keys).select_related("locale").prefetch_related(*PREFETCHED)
    )
    if translation_keys is None:
        translation_keys = set(pages.values_list("translation_key", flat=True))
    facts = entry_facts(translation_keys)
    return [build_document(page, facts[page.translation_key]) for page in pages]

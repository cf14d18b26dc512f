"""From an entry's language version to its search document.

A document holds what the results show (title, summary, URL), the text to search (title;
classification labels, organisation, countries and tags in the version's language; summary,
answers, body and the other text fields) and the entry's facet values. Nothing from
contributors' private data is read here.
"""

import html
import re
from dataclasses import dataclass

from django.db.models import Min
from django.utils import translation
from wagtail.rich_text import RichText

from ..facets import country_name
from ..models import VOCABULARY_FIELDS, PracticePage, tag_label
from .analysis import LANGUAGES, fold

_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
TEXT_FIELDS = PracticePage.TEXT_SECTIONS


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
        return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", value))).strip()
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
class BuiltDocument:
    """A document ready to store, and the three texts the engine indexes."""

    fields: dict
    texts: dict


def original_versions(translation_keys):
    """translation_key -> (pk, language) of its original: the first version ever created."""
    firsts = dict(
        PracticePage.objects.filter(translation_key__in=translation_keys)
        .order_by()  # pages are ordered by path, which would split the groups
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values_list("translation_key", "first")
    )
    languages = dict(
        PracticePage.objects.filter(pk__in=firsts.values()).values_list(
            "pk", "locale__language_code"
        )
    )
    return {key: (pk, languages[pk]) for key, pk in firsts.items()}


def entry_facts(translation_keys):
    """translation_key -> (languages of its live versions, its first publication).

    An entry's first publication is the earliest `first_published_at` of any of its language
    versions, published now or not (Wagtail keeps the date when a page is unpublished): the
    entry is as new as its first version, and publishing a translation does not renew it.
    """
    languages = {}
    for key, code in (
        PracticePage.objects.live()
        .filter(translation_key__in=translation_keys)
        .order_by()
        .values_list("translation_key", "locale__language_code")
    ):
        languages.setdefault(key, set()).add(code)
    published = dict(
        PracticePage.objects.filter(translation_key__in=translation_keys)
        .order_by()
        .values("translation_key")
        .annotate(first=Min("first_published_at"))
        .values_list("translation_key", "first")
    )
    return {
        key: ([code for code in LANGUAGES if code in languages.get(key, ())], first)
        for key, first in published.items()
    }


def build_document(page, original_pk, original_language, url=None, entry=None):
    """The document of one live language version (`page` with its terms prefetched).

    `entry`: (available_in, first publication) of the page's entry, as `entry_facts` gives
    them; read when omitted.
    """
    language = page.locale.language_code
    if entry is None:
        entry = entry_facts([page.translation_key])[page.translation_key]
    available_in, entry_published_at = entry
    facets = {}
    labels = []
    with translation.override(language):
        for key, field in VOCABULARY_FIELDS.items():
            terms = list(getattr(page, field).all())
            facets[key] = [term.slug for term in terms]
            for term in terms:
                labels.append(term.get_label(language))
                short = term.get_short_label(language)
                if short != labels[-1]:
                    labels.append(short)
        codes = [country.code for country in page.countries]
        labels += [country_name(code) for code in codes]
    tags = list(page.tags.all())
    labels += [tag.name for tag in tags]
    labels += [
        label for tag in tags if (label := tag_label(tag, language, query=False)) != tag.name
    ]
    facets["country"] = codes
    facets["year"] = [page.year] if page.year else []
    facets["language"] = [original_language]
    facets["available_in"] = list(available_in)
    facets["tag"] = [tag.slug for tag in tags]
    if page.organisation:
        labels.append(page.organisation)

    body_parts = [
        plain_text(page.answers),
        plain_text(page.body),
        *(plain_text(getattr(page, name)) for name in TEXT_FIELDS),
    ]
    body_text = " ".join(part for part in body_parts if part)
    fields = {
        "page_id": page.pk,
        "entry_key": page.translation_key,
        "language": language,
        "original_language": original_language,
        "is_original": page.pk == original_pk,
        "url": url if url is not None else (page.get_url() or page.url_path),
        "title": page.title,
        "title_sort": fold(page.title)[:255],
        "summary": page.summary,
        "body_text": body_text,
        "organisation": page.organisation,
        "year": page.year,
        "published_at": entry_published_at,
        "facets": facets,
        "tag_names": {tag.slug: tag.name for tag in tags},
    }
    texts = {
        "title": page.title,
        "labels": " ".join(labels),
        "body": " ".join(filter(None, [page.summary, page.partners, body_text])),
    }
    return BuiltDocument(fields, texts)


def live_versions(translation_keys=None):
    """Live language versions with everything a document needs, prefetched."""
    pages = PracticePage.objects.live().select_related("locale")
    if translation_keys is not None:
        pages = pages.filter(translation_key__in=translation_keys)
    return pages.prefetch_related(*VOCABULARY_FIELDS.values(), "tags__labels")

"""What an entry page tells search engines and link previews about itself: the schema.org
description embedded as JSON-LD, and the OpenGraph and Twitter card tags
(docs/open-data.md, "Structured data and link previews").

The JSON-LD context is inline, `{"@vocab": "https://schema.org/"}`: valid JSON-LD that
search engines read as schema.org, and that a JSON-LD processor expands without fetching
any remote context document.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from ..licences import licence_info
from .citation import site_name, stable_url

SCHEMA_CONTEXT = {"@vocab": "https://schema.org/"}

# og:locale takes language_TERRITORY; the territory is the one a language's readers are
# most often taken to mean when none is given.
OG_LOCALES = {"ar": "ar_AR", "en": "en_GB", "es": "es_ES", "fr": "fr_FR"}


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _absolute(request, page):
    return request.build_absolute_uri(page.get_url(request))


def entry_json_ld(page, request, context):
    """The schema.org Article describing this version of the entry, from what the page's
    `context` already holds (PracticePage.get_context): its live versions, cooperation
    models, funding rows and sources."""
    from ..facets import FACET_LABELS, country_name

    language = page.locale.language_code
    versions, funding = context["live_versions"], context["funding"]
    # The practices index of the page's language (CONTRACT.md), without reading it.
    index_url = request.build_absolute_uri(f"/{language}/practices/")
    licence = licence_info(page.licence)
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Article",
        "name": page.title,
        "headline": page.title[:110],
        "description": page.summary,
        "inLanguage": language,
        "url": _absolute(request, page),
        "identifier": stable_url(page, request),
        "license": licence.deed,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": settings.PUBLISHER_NAME},
        "author": {"@type": "Organization", "name": page.organisation or site_name()},
    }
    first, last = _iso(page.first_published_at), _iso(page.last_published_at)
    if first:
        data["dateCreated"] = data["datePublished"] = first
    if last:
        data["dateModified"] = last
    models = context["cooperation_models"]
    if models:
        term_set = {
            "@type": "DefinedTermSet",
            "name": FACET_LABELS["cooperation_model"],
            "url": index_url,
        }
        data["about"] = [
            {
                "@type": "DefinedTerm",
                "name": model.get_label(language),
                "termCode": model.slug,
                "url": f"{index_url}?cooperation_model={model.slug}",
                "inDefinedTermSet": term_set,
            }
            for model in models
        ]
    # An illustrative sample describes no real place.
    if page.provenance != page.Provenance.ILLUSTRATIVE and page.countries:
        data["spatialCoverage"] = [
            {"@type": "Country", "name": country_name(country.code), "identifier": country.code}
            for country in page.countries
        ]
    funders = []
    for row in funding:
        name = row.funder_name_in(language)
        if name and name not in funders:
            funders.append(name)
    if funders:
        data["funder"] = [{"@type": "Organization", "name": name} for name in funders]
    sources = [
        {"@type": "CreativeWork", "name": source.title, "url": source.url}
        for source in context["sources"]
    ]
    if sources:
        data["isBasedOn"] = sources
    others = [version for version in versions if version.pk != page.pk]
    # The original's id is read once, on this page (PracticePage.original is cached).
    original_pk = page.original.pk
    original = next((version for version in versions if version.pk == original_pk), None)
    if page.is_original:
        if others:
            data["workTranslation"] = [
                {
                    "@type": "Article",
                    "url": _absolute(request, version),
                    "inLanguage": version.locale.language_code,
                }
                for version in others
            ]
    elif original is not None:
        data["translationOfWork"] = {
            "@type": "Article",
            "url": _absolute(request, original),
            "inLanguage": original.locale.language_code,
        }
    return data


def json_ld_script(data):
    """`<script type="application/ld+json">` with `data`, escaped as Django's json_script
    escapes (`<`, `>` and `&` as \\u escapes): no text in it can close the element."""
    script = json_script(data).replace(
        '<script type="application/json">', '<script type="application/ld+json">', 1
    )
    return mark_safe(script)  # noqa: S308 (json_script escaped the content)


def entry_link_preview(page, request, versions):
    """OpenGraph and Twitter card properties, as (attribute, name, content) triples in the
    order the page's head carries them."""
    language = page.locale.language_code
    url = _absolute(request, page)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", page.title),
        ("property", "og:description", page.summary),
        ("property", "og:url", url),
        ("property", "og:site_name", site_name()),
        ("property", "og:locale", OG_LOCALES.get(language, language)),
    ]
    for version in versions:
        code = version.locale.language_code
        if code != language:
            tags.append(("property", "og:locale:alternate", OG_LOCALES.get(code, code)))
    if page.first_published_at:
        tags.append(("property", "article:published_time", _iso(page.first_published_at)))
    if page.last_published_at:
        tags.append(("property", "article:modified_time", _iso(page.last_published_at)))
    tags += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", page.title),
        ("name", "twitter:description", page.summary),
    ]
    return tags

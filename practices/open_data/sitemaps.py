"""`/sitemap.xml`: every live, public version of every page, with its hreflang alternates.

Built on Wagtail's sitemap (wagtail.contrib.sitemaps), which Django's sitemap view and
template write out (the template writes each URL's `alternates` as xhtml:link elements).
Wagtail's own sitemap lists the pages under the site's root page, that is one language;
this one lists the pages under every translation of it, and gives each version its
translations as alternates, plus `x-default`: an entry's original, or the version in the
site's default language for the other pages. Illustrative samples are left out unless
settings.SHOW_ILLUSTRATIVE, as search leaves them out.

Addresses are on the host the sitemap was asked from, as the pages' own canonical and
hreflang links are (templates/base.html).
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from kb.languages import LANGUAGE_CODES

from ..models import PracticePage


def public_pages(site):
    """The live, public pages of `site` in every language, translations of its root included."""
    roots = site.root_page.get_translations(inclusive=True)
    pages = (
        Page.objects.live()
        .public()
        .filter(reduce(or_, (Page.objects.descendant_of_q(root, inclusive=True) for root in roots)))
    )
    if not settings.SHOW_ILLUSTRATIVE:
        illustrative = PracticePage.objects.filter(provenance=PracticePage.Provenance.ILLUSTRATIVE)
        pages = pages.exclude(pk__in=illustrative.values("pk"))
    return pages


class PublicPagesSitemap(Sitemap):
    def items(self):
        return (
            public_pages(self.get_wagtail_site())
            .select_related("locale", "content_type")
            .order_by("path")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        """The sitemap's URLs, each with its alternates (Django's sitemap view reads these
        dicts and `latest_lastmod`)."""
        pages = list(self.paginator.page(page).object_list)
        versions = self._versions({page.translation_key for page in pages})
        urls = []
        for item in pages:
            group = versions.get(item.translation_key, [])
            alternates = [
                {"lang_code": version.locale.language_code, "location": location}
                for version, location in group
            ]
            default = self._default_location(group)
            if default:
                alternates.append({"lang_code": "x-default", "location": default})
            urls.append(
                {
                    "item": item,
                    "location": self._full_url(item),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates,
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _versions(self, keys):
        """Translation key -> [(version, full URL)] of the public versions, by pk."""
        site = self.get_wagtail_site()
        found = {}
        versions = (
            public_pages(site)
            .filter(translation_key__in=keys)
            .select_related("locale", "content_type")
            .order_by("pk")
        )
        for version in versions:
            found.setdefault(version.translation_key, []).append((version, self._full_url(version)))
        return found

    def _full_url(self, page):
        return self.request.build_absolute_uri(page.get_url(self.request))

    @staticmethod
    def _default_location(group):
        """An entry's original (its first version), else the default language's version."""
        if not group:
            return None
        first, first_location = group[0]
        if first.content_type.model_class() is PracticePage:
            return first_location
        for version, location in group:
            if version.locale.language_code == settings.LANGUAGE_CODE:
                return location
        return first_location


class CountryPagesSitemap(Sitemap):
    """`/<lang>/countries/` and the page of every country that has entries (those the
    country index lists), in each language, each with the four as alternates and the
    default language's as `x-default`. Last modified: the last publication of the entries
    they list."""

    def items(self):
        from ..country_pages import countries_with_entries

        codes = sorted(countries_with_entries(settings.LANGUAGE_CODE))
        return [None, *codes] if codes else []

    def get_urls(self, page=1, site=None, protocol=None):
        from ..country_pages import country_entry_ids

        urls = []
        lastmods = []
        codes = self.paginator.page(page).object_list
        listed = {
            code: [pk for ids in country_entry_ids(code, settings.LANGUAGE_CODE) for pk in ids]
            for code in codes
            if code is not None
        }
        for code in codes:
            if code is None:  # the index: every entry a country page lists
                ids = [pk for ids in listed.values() for pk in ids]
            else:
                ids = listed[code]
            lastmod = self._lastmod(PracticePage.objects.filter(pk__in=ids))
            if code is None:
                view, kwargs = "country_index", {}
            else:
                view, kwargs = "country_page", {"code": code}
            urls += language_versions(self.request, code, view, kwargs, lastmod)
            lastmods.append(lastmod)
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    @staticmethod
    def _lastmod(pages):
        """The last publication of the live versions of these entries (any language)."""
        keys = pages.values("translation_key")
        versions = PracticePage.objects.live().filter(translation_key__in=keys)
        return versions.aggregate(last=Max("last_published_at"))["last"]


class InsightsSitemap(Sitemap):
    """`/<lang>/insights/`, the charts of the whole collection, in each language, each with the
    four as alternates. Last modified: the last publication of an entry it counts."""

    def items(self):
        return ["insights"]

    def get_urls(self, page=1, site=None, protocol=None):
        entries = public_pages(self.get_wagtail_site()).type(PracticePage)
        lastmod = entries.aggregate(last=Max("last_published_at"))["last"]
        if lastmod:
            self.latest_lastmod = lastmod
        return language_versions(self.request, "insights", "insights", {}, lastmod)


def language_versions(request, item, view, kwargs, lastmod):
    """The sitemap URLs of a view served in every language: one per language, each with the
    four versions as alternates and the default language's as `x-default`."""
    locations = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            locations[language] = request.build_absolute_uri(reverse(view, kwargs=kwargs))
    alternates = [
        {"lang_code": language, "location": location} for language, location in locations.items()
    ]
    alternates.append({"lang_code": "x-default", "location": locations[settings.LANGUAGE_CODE]})
    return [
        {"item": item, "location": location, "lastmod": lastmod, "alternates": alternates}
        for location in locations.values()
    ]

"""Stable links: `/e/<id>/`, where <id> is the entry's translation key (the API's `id`).

The address to cite or store, whatever becomes of slugs and translations: it redirects
(302, since where it leads changes as translations are published) to the live version in
a language the reader accepts (Accept-Language, in their order of preference); else, when
the reader's first language is one of the site's, to the entry under that language's
practices index (the original, with the interface in their language and a way to ask for a
translation: practices.translation.fallback); else to the original.
"""

import re
import uuid

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from ..models import PracticePage

_LANGUAGE_RANGE_RE = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


def stable_link(entry_id):
    return reverse("stable_link", kwargs={"entry_id": entry_id})


def accepted_languages(header):
    """The site's language codes in the Accept-Language header, most preferred first."""
    site_languages = [code for code, _name in settings.LANGUAGES]
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        match = _LANGUAGE_RANGE_RE.match(part)
        if not match:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        code = match.group(1).split("-")[0].lower()
        if weight > 0 and code in site_languages:
            ranked.append((-weight, position, code))
    ordered = []
    for _weight, _position, code in sorted(ranked):
        if code not in ordered:
            ordered.append(code)
    return ordered


def live_versions(entry_id):
    """Language code -> the live, public version of the entry, or {} for no such entry."""
    try:
        key = uuid.UUID(str(entry_id))
    except ValueError:
        return {}
    pages = PracticePage.objects.live().public().filter(translation_key=key)
    return {page.locale.language_code: page for page in pages.select_related("locale")}


def redirect_to_entry(request, entry_id):
    response = HttpResponseRedirect(_target(request, entry_id))
    patch_vary_headers(response, ["Accept-Language"])
    return response


#: The routes of this module's view: none under a language prefix (see not_found).
URLCONF = "practices.open_data.urls"


def not_found(request):
    """A 404 that stays a 404. Django's LocaleMiddleware answers a 404 outside the language
    prefixes with a redirect to the prefixed path whenever that path resolves, and Wagtail's
    catch-all route resolves every path: /e/<unknown>/ would redirect to /en/e/<unknown>/.
    The middleware asks the request's own urlconf whether language prefixes are used; this
    one has none. (URLs in the error page are still reversed with the site's urlconf, set
    for the thread when the request began.)"""
    request.urlconf = URLCONF
    return Http404()


def _target(request, entry_id):
    versions = live_versions(entry_id)
    if not versions:
        raise not_found(request)
    languages = accepted_languages(request.headers.get("Accept-Language"))
    for language in languages:
        if language in versions:
            return versions[language].get_url(request)
    # The original, or (while it is unpublished) the oldest live version.
    oldest = min(versions.values(), key=lambda page: page.pk)
    original = versions.get(oldest.original_language, oldest)
    if languages:
        fallback = original.fallback_urls(request).get(languages[0])
        if fallback:
            return fallback
    return original.get_url(request)

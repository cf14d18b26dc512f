"""A page cache for anonymous readers of the public site, emptied by every publication.

Most readers are anonymous and most pages change only when something is published, so a
page is rendered once and then answered from the shared cache (CACHES["default"]: the
database, or Redis with REDIS_URL) until the content changes.

How it stays true:

- One *content version* (a random value) lives in the cache. Every cached page is stored
  with the version current when its rendering started, and is only served while that is
  still the current version. Publishing, unpublishing, moving or deleting a page (any
  language version: a translation is a page), saving or deleting a vocabulary term, a tag's
  labels, an image, a document, a site or a locale, any change of the search index
  (imports, `generate_practices`, `rebuild_search_index`) and `migrate` (every release)
  give it a new value: every page is rendered afresh. The version changes at once and again
  when the transaction commits, so a page read before the commit is never kept under the
  new version. A lost version (cache evicted or flushed) is replaced by a new random one,
  which matches no stored page.
- Only GET requests for the language-prefixed public pages are cached, and only when the
  request carries no session cookie, no messages cookie and no Authorization header (signed-in
  editors, readers with a session, pending messages all bypass the cache entirely). The
  contribution pages (`/<lang>/submit/...`), the admin, documents and the API are never
  cached.
- A response is kept only if it is a complete 200 answer that sets no cookie, used no CSRF
  token (forms: the submission form, the translation request on a fallback page), no
  Content-Security-Policy nonce, showed no message, was not a preview, is not marked
  private/no-store, and varies on nothing but the cookie (the page's language comes from
  its address, which is part of the key). Anything else is answered as before, uncached.

The middleware sits inside the CSP, security and gzip middleware (they add their headers to
every answer, cached or not) and before the session middleware, so that a cached answer
costs one cache read. `X-Cache: hit` or `miss` says which it was.
"""

import hashlib
import logging
import uuid
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

VERSION_KEY = "alz:pagecache:version"
KEY_PREFIX = "alz:pagecache:page:"
#: Response headers that may be stored with a page (others are added per answer by the
#: middleware around this one, or must not be replayed).
_SKIPPED_HEADERS = {"set-cookie", "x-cache", "content-security-policy", "date"}


def enabled():
    return getattr(settings, "PAGE_CACHE", False)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


@lru_cache(maxsize=1)
def _deployment_fingerprint(*values):
    """Settings shown on every page (footer, contact pages) are part of the key: a worker
    restarted with another publisher does not read pages rendered with the old one."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:12]


def _fingerprint():
    return _deployment_fingerprint(
        getattr(settings, "PUBLISHER_NAME", ""),
        getattr(settings, "PUBLISHER_ADDRESS", ""),
        getattr(settings, "EDITORS_EMAIL", ""),
        tuple(settings.LANGUAGES),
    )


def bump_version(**kwargs):
    """Forget every cached page: now, and again when the current transaction commits."""
    if not enabled():
        return
    _set_new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_set_new_version)


def _set_new_version():
    try:
        _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must not fail a publication
        logger.warning("Page cache: could not change the content version", exc_info=True)


def _page_key(request):
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + _fingerprint() + ":" + hashlib.sha256(raw.encode()).hexdigest()


def _language_prefixes():
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def request_is_cacheable(request):
    if request.method != "GET":
        return False
    path = request.path_info
    prefixes = _language_prefixes()
    if not path.startswith(prefixes):
        return False
    rest = path.split("/", 2)[2]
    if rest.startswith(tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PATHS", ("submit/",)))):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or _messages_cookie_name() in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return True


def _messages_cookie_name():
    return getattr(settings, "MESSAGE_COOKIE_NAME", "messages")


def response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False  # a nonce is per answer; a cached page would replay it
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or len(storage)):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if varies - {"cookie"}:
        return False
    return True


def _freeze(response, version):
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS
    ]
    return (version, response.status_code, headers, response.content)


def _thaw(entry):
    _version, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not request_is_cacheable(request):
            return self.get_response(request)
        try:
            key = _page_key(request)
            cache = _cache()
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = uuid.uuid4().hex
                if not cache.add(VERSION_KEY, version, timeout=None):
                    version = cache.get(VERSION_KEY) or version
        except Exception:
            # A bad Host header (answered below as Django does) or a cache outage.
            logger.debug("Page cache unavailable for this request", exc_info=True)
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            response = _thaw(entry)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            try:
                cache.set(key, _freeze(response, version), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache: could not store a page", exc_info=True)
            response["X-Cache"] = "miss"
        return response

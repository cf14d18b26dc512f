"""Readers: an entry not yet translated into their language is shown in the original.

``/fr/practices/<es-slug>/`` serves the Spanish version with the French interface, a notice,
a canonical link to the Spanish URL, ``noindex``, and a button to ask for a translation.
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import get_language_info
from wagtail.url_routing import RouteResult

from kb import ratelimit

FALLBACK_KWARG = "translation_fallback_from"
REDIRECT_KWARG = "translation_redirect_to"
REQUEST_ACTION = "request-translation"
SESSION_KEY = "translation_requests"
#: A client address may ask for this many translations per RATE_WINDOW seconds.
RATE_SCOPE = "translation-request"
RATE_LIMIT = 10
RATE_WINDOW = 3600


def route_to_other_language(index, request, path_components, live_entries):
    """The route for a slug that only exists under another language's practices index.

    `live_entries`: the published entries (a PracticePage queryset), from the index page.
    """
    if len(path_components) != 1:
        return None
    # Several entries may share a slug across languages: the oldest wins, predictably.
    candidate = (
        live_entries.filter(slug=path_components[0])
        .exclude(locale_id=index.locale_id)
        .select_related("locale")
        .order_by("pk")
        .first()
    )
    if candidate is None:
        return None
    local = candidate.get_translation_or_none(index.locale)
    if local is not None and local.live:
        # The entry is translated: send the reader to their language's own address.
        return RouteResult(candidate, kwargs={REDIRECT_KWARG: local.get_url(request)})
    return RouteResult(candidate, kwargs={FALLBACK_KWARG: index.locale.language_code})


def language_label(code):
    from practices.facets import LANGUAGE_LABELS

    return LANGUAGE_LABELS.get(code, code)


def _requests_in_session(request):
    data = request.session.get(SESSION_KEY) or {}
    return {"asked": list(data.get("asked", []))}


def _request_id(page, language):
    return f"{page.translation_key}:{language}"


def record_request(request, page, language):
    """Count a reader's request once per session; False when the address asked too often."""
    from practices.models.translation_requests import TranslationRequest

    data = _requests_in_session(request)
    request_id = _request_id(page, language)
    if request_id in data["asked"]:
        return True
    if not ratelimit.hit(RATE_SCOPE, ratelimit.client_key(request), RATE_LIMIT, RATE_WINDOW):
        return False
    TranslationRequest.record(page.translation_key, language)
    data["asked"].append(request_id)
    request.session[SESSION_KEY] = data
    return True


def fallback_context(request, page, language, rate_limited=False):
    content_language = page.locale.language_code
    return {
        "language": language,
        "language_bidi": get_language_info(language)["bidi"],
        "content_language": content_language,
        "available_name": language_label(content_language),
        "missing_name": language_label(language),
        "requested": _request_id(page, language) in _requests_in_session(request)["asked"],
        "rate_limited": rate_limited,
    }


def serve_with_fallback(callback):
    """on_serve_page hook: redirects, the translation request (POST) and the notice."""

    def inner(page, request, serve_args, serve_kwargs):
        if REDIRECT_KWARG in serve_kwargs:
            return redirect(serve_kwargs[REDIRECT_KWARG])
        language = serve_kwargs.pop(FALLBACK_KWARG, None)
        if language is None:
            return callback(page, request, serve_args, serve_kwargs)
        rate_limited = False
        if request.method == "POST":
            if request.POST.get("action") != REQUEST_ACTION:
                raise PermissionDenied
            if record_request(request, page, language):
                response = HttpResponseRedirect(request.path)
                response.status_code = HTTPStatus.SEE_OTHER
                return response
            rate_limited = True
        response = callback(page, request, serve_args, serve_kwargs)
        if hasattr(response, "context_data") and not response.is_rendered:
            response.context_data["translation_fallback"] = fallback_context(
                request, page, language, rate_limited
            )
        if rate_limited:
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        response["X-Robots-Tag"] = "noindex"
        return response

    return inner

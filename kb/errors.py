"""Error pages in the language of the address, with the site's header, search box and footer.

The 500 page must render when the database is down: it reads nothing from it (no user, no
session, no page, no Wagtail user bar), and if rendering fails anyway a plain page answers.
"""

import logging
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_from_path

logger = logging.getLogger(__name__)


def address_language(request):
    """The language of the URL (/ar/...), else the language already active, else English."""
    code = get_language_from_path(request.path_info)
    if code:
        return code
    active = (translation.get_language() or "").split("-")[0]
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _render(request, template, status, **context):
    with translation.override(address_language(request)):
        return render(request, template, {"error_status": status, **context}, status=status)


def page_not_found(request, exception=None):
    return _render(request, "errors/404.html", HTTPStatus.NOT_FOUND)


def permission_denied(request, exception=None):
    return _render(request, "errors/403.html", HTTPStatus.FORBIDDEN)


def csrf_failure(request, reason=""):
    return _render(request, "errors/csrf.html", HTTPStatus.FORBIDDEN)


def bad_request(request, exception=None):
    return _render(request, "errors/400.html", HTTPStatus.BAD_REQUEST)


def server_error(request):
    language = address_language(request)
    try:
        with translation.override(language):
            # No RequestContext: its processors would read the user and the session.
            html = render_to_string(
                "errors/500.html",
                {
                    "request": request,
                    "LANGUAGE_CODE": language,
                    "error_status": HTTPStatus.INTERNAL_SERVER_ERROR,
                },
            )
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("The 500 page could not be rendered")
        html = "<!DOCTYPE html><title>Server error</title><h1>Server error</h1>"
    return HttpResponse(html, status=HTTPStatus.INTERNAL_SERVER_ERROR)

"""GET /api/v1/practices/, /api/v1/practices/<id>/, /api/v1/funding/, /api/v1/insights/ and
their OpenAPI description."""

import uuid
from http import HTTPStatus

from django.http import JsonResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from ..insights import insights as insights_response
from ..open_data.exports import export_response
from ..open_data.stable_links import URLCONF as UNPREFIXED_URLCONF
from ..search.documents import searchable_versions
from ..search.service import entry_result, parse_search_params, search_practices
from .funding import funding_response
from .openapi import openapi_document
from .serialisers import serialise_entry, serialise_results

JSON_OPTIONS = {"ensure_ascii": False}


def _bad_request(errors):
    return JsonResponse(
        {"errors": errors}, status=HTTPStatus.BAD_REQUEST, json_dumps_params=JSON_OPTIONS
    )


def _search_answer(request, answer):
    """The JSON of `answer(query)` for the search parameters of the request, in `lang`; a
    400 with the errors of invalid parameters. Unknown parameter names are ignored."""
    query, errors = parse_search_params(request.GET, strict=True)
    if errors:
        return _bad_request(errors)
    with translation.override(query.lang):
        data = answer(query)
    response = JsonResponse(data, json_dumps_params=JSON_OPTIONS)
    response["Content-Language"] = query.lang
    return response


# Read-only views: other methods get 405 from require_safe rather than a CSRF 403.
@csrf_exempt
@require_safe
def practices(request):
    """Search the published entries."""
    return _search_answer(request, lambda query: serialise_results(search_practices(query)))


@csrf_exempt
@require_safe
def export(request, fmt):
    """Every entry a search matches, as CSV, XLSX or JSON Lines (practices.open_data.exports);
    the same 400 as the search for invalid parameters. Paging parameters are checked, then
    ignored: an export holds every matching entry."""
    query, errors = parse_search_params(request.GET, strict=True)
    if errors:
        return _bad_request(errors)
    return export_response(request, query, fmt)


@csrf_exempt
@require_safe
def practice(request, entry_id):
    """One entry, whole, in `lang` (its translation if published, else its original), as
    search shows it: not found when search does not show it (unpublished, private, or an
    illustrative sample while settings.SHOW_ILLUSTRATIVE is off)."""
    params = QueryDict(mutable=True)
    if "lang" in request.GET:
        params["lang"] = request.GET["lang"]
    query, errors = parse_search_params(params, strict=True)
    if errors:
        return JsonResponse(
            {"errors": errors}, status=HTTPStatus.BAD_REQUEST, json_dumps_params=JSON_OPTIONS
        )
    with translation.override(query.lang):
        try:
            key = uuid.UUID(entry_id)
        except ValueError:
            found, versions = None, []
        else:
            found = entry_result(key, query.lang)
            versions = list(searchable_versions([key]).select_related("locale").order_by("pk"))
        page = next((v for v in versions if found and v.pk == found[1]), None)
        if page is None:
            # A 404 outside the language prefixes stays a 404 (see stable_links.not_found).
            request.urlconf = UNPREFIXED_URLCONF
            return JsonResponse(
                {"errors": {"id": _("No published entry has this id.")}},
                status=HTTPStatus.NOT_FOUND,
                json_dumps_params=JSON_OPTIONS,
            )
        data = serialise_entry(found[0], page, versions, request)
    response = JsonResponse(data, json_dumps_params=JSON_OPTIONS)
    response["Content-Language"] = query.lang
    return response


@csrf_exempt
@require_safe
def funding(request):
    """The funding rows of the entries a search matches, with totals (practices.api.funding)."""
    return _search_answer(request, funding_response)


@csrf_exempt
@require_safe
def insights(request):
    """What the insights page draws for a search, as data (practices.insights)."""
    return _search_answer(request, insights_response)


@csrf_exempt
@require_safe
def openapi(request):
    return JsonResponse(openapi_document(), json_dumps_params=JSON_OPTIONS)

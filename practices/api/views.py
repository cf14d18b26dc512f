"""GET /api/v1/practices/, /api/v1/funding/ and their OpenAPI description."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from ..open_data.exports import export_response
from ..search.service import parse_search_params, search_practices
from .funding import funding_response
from .openapi import openapi_document
from .serialisers import serialise_results

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
def funding(request):
    """The funding rows of the entries a search matches, with totals (practices.api.funding)."""
    return _search_answer(request, funding_response)


@csrf_exempt
@require_safe
def openapi(request):
    return JsonResponse(openapi_document(), json_dumps_params=JSON_OPTIONS)

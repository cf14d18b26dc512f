"""The downloads of an entry's reference: `/e/<id>/cite.bib`, `cite.ris` and `cite.json`.

`?lang=` chooses the version cited as the API does: the translation in that language where
one is published, else the original. Only what search shows: live, public versions, and
not the illustrative samples unless settings.SHOW_ILLUSTRATIVE.
"""

import uuid
from http import HTTPStatus

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from ..search.analysis import LANGUAGES
from ..search.documents import searchable_versions
from .citation import FORMATS, bibtex, csl_item, csl_json, file_name, ris
from .stable_links import not_found

WRITERS = {"bib": bibtex, "ris": ris, "json": csl_json}


def cited_version(entry_id, lang):
    """The version of the entry a reader of `lang` is given: its translation in `lang` if
    published, else the original (else, while the original is not shown, its oldest
    version shown); None for no such entry."""
    try:
        key = uuid.UUID(str(entry_id))
    except ValueError:
        return None
    versions = list(searchable_versions([key]).select_related("locale").order_by("pk"))
    for version in versions:
        if version.locale.language_code == lang:
            return version
    for version in versions:
        if version.is_original:
            return version
    return versions[0] if versions else None


@require_safe
def download(request, entry_id, extension):
    lang = request.GET.get("lang", "en")
    if lang not in LANGUAGES:
        return HttpResponse(
            "lang: use one of ar, en, fr, es.\n",
            status=HTTPStatus.BAD_REQUEST,
            content_type="text/plain; charset=utf-8",
        )
    page = cited_version(entry_id, lang)
    if page is None:
        raise not_found(request)
    item = csl_item(page, request)
    extension_, content_type = FORMATS[extension]
    response = HttpResponse(WRITERS[extension](item), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name(item, extension_))
    response["Content-Language"] = page.locale.language_code
    return response

"""Template helpers shared by every public page: languages, alternates, labels."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """One item per interface language: its URL for this page and whether content exists.

    For a Wagtail page, a language the page exists in links to that version (hreflang);
    other languages link to the same address with another prefix (the interface language).
    """
    request = context.get("request")
    page = context.get("page")
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        for version in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[version.locale.language_code] = version
    current_path = request.get_full_path() if request else "/"
    items = []
    for code, name in settings.LANGUAGES:
        info = get_language_info(code)
        version = translations.get(code)
        if version is not None:
            url = version.get_url(request)
        elif page is not None and translations:
            url = None
        else:
            url = translate_url(current_path, code)
        items.append(
            {
                "code": code,
                "name": name,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "has_content": version is not None,
            }
        )
    return items


@register.filter
def localized_label(term, kind="label"):
    getter = getattr(term, f"get_{kind}", None)
    return getter() if getter else str(term)

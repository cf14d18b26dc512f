"""Template helpers shared by every public page: languages, alternates, labels."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from practices.information import publisher as site_publisher

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
        # A practice page's context has them already (PracticePage.public_context).
        versions = context.get("live_versions")
        if versions is None:
            versions = page.get_translations(inclusive=True).live().select_related("locale")
        for version in versions:
            translations[version.locale.language_code] = version
    current_path = request.get_full_path() if request else "/"
    fallback_urls = {}
    if page is not None and translations and hasattr(page, "fallback_urls"):
        fallback_urls = page.fallback_urls(request)
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
                # The switcher offers every language: where the page has no version, the
                # reader gets the fallback (the page with a "not translated yet" notice).
                "switch_url": url or fallback_urls.get(code) or translate_url(current_path, code),
                "has_content": version is not None,
            }
        )
    return items


@register.simple_tag
def publisher():
    return site_publisher()


@register.filter
def localized_label(term, kind="label"):
    getter = getattr(term, f"get_{kind}", None)
    return getter() if getter else str(term)

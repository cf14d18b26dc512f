"""The fixed skeleton of the site: in every language, a home page, a practices index and the
information pages (About, Contact, Privacy notice, Licence) with their first text."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage, InformationPage

INFORMATION_TEXT = Path(__file__).resolve().parent / "data" / "information_pages.json"


def _translated(page, locale, title):
    """The page's version in `locale`, created and published if missing, titled `title`."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale)
    copy.title = title
    copy.save_revision().publish()
    return copy.specific


def _add_tree_root(locale):
    """The tree's root, with the id Wagtail's migration gives it: 1.

    Wagtail's admin takes the root to be page 1: the sidebar's page explorer asks the admin
    API for any other start page, and the API never serves the root, so a reviewer or a
    translator whose explorer starts at a root with another id sees an empty explorer. The
    page id sequence is set past 1 afterwards (a flush may have reset it to start at 1).
    """
    root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if root.pk != 1:  # nothing refers to the new root yet
        Page.objects.filter(pk=root.pk).update(id=1)
        root = Page.objects.get(pk=1)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Page]):
            cursor.execute(statement)
    return root


@transaction.atomic
def ensure_site_structure(information_pages=True):
    """Create what is missing; leave what exists alone. Safe to call at every start.

    `information_pages=False` leaves out About, Contact, Privacy and Licence (sixteen pages to
    publish), for tests that do not read them.
    """
    from practices.models import PracticeIndexPage

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (Wagtail's migration created the root once)
        root = _add_tree_root(default_locale)
    if Collection.get_first_root_node() is None:  # the same, for documents and images
        Collection.add_root(name="Root")

    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        # Wagtail's placeholder page would clash with the home page's slug.
        Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()
        root.refresh_from_db()
        with translation.override(settings.LANGUAGE_CODE):
            home = root.add_child(
                instance=HomePage(title="Alianzas", slug="home", locale=default_locale)
            )
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Alianzas",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    index = PracticeIndexPage.objects.child_of(home).first()
    if index is None:
        with translation.override(settings.LANGUAGE_CODE):
            index = home.add_child(
                instance=PracticeIndexPage(
                    title=_("Practices"), slug="practices", locale=default_locale
                )
            )
        index.save_revision().publish()

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        locale = Locale.objects.get(language_code=code)
        _translated(home, locale, "Alianzas")
        with translation.override(code):
            _translated(index, locale, _("Practices"))
    if information_pages:
        ensure_information_pages(home)
    return home


def ensure_information_pages(home):
    """About, Contact, Privacy notice and Licence in every language, at /<lang>/<kind>/.

    A page that exists is left as the editors made it; a missing one is created with the
    text of data/information_pages.json and published.
    """
    texts = json.loads(INFORMATION_TEXT.read_text(encoding="utf-8"))["pages"]
    for kind in InformationPage.Kind.values:
        original = InformationPage.objects.filter(kind=kind, locale=home.locale).first()
        if original is None:
            original = home.add_child(
                instance=InformationPage(
                    kind=kind,
                    slug=kind,
                    locale=home.locale,
                    **texts[kind][home.locale.language_code],
                )
            )
            original.save_revision().publish()
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            locale = Locale.objects.get(language_code=code)
            if locale.pk == original.locale_id or original.get_translation_or_none(locale):
                continue
            copy = original.copy_for_translation(locale)
            for name, value in texts[kind][code].items():
                setattr(copy, name, value)
            copy.slug = kind
            copy.save_revision().publish()

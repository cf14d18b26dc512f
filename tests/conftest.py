"""Shared fixtures: vocabularies, the site skeleton in four languages, and entry builders."""

import itertools

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import translation
from wagtail.models import Locale

from home.site_structure import ensure_information_pages, ensure_site_structure
from practices.models import PracticeIndexPage, PracticePage
from practices.vocabularies import load_vocabularies

#: Fixtures of the search and engine tests, usable from every test module.
pytest_plugins = ["tests.search.fixtures", "tests.elasticsearch.fixtures"]

LANGUAGES = ("ar", "en", "fr", "es")
_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached values never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, with their serialised first contents on the class.

    Django keeps what the migrations created (root page, locales, groups, workflow) on the
    connection object, for the tests marked `serialized_rollback` to start from. Django's
    connections live in context variables, and Playwright's sync API runs the browser tests'
    fixtures in a context of its own, with connection objects of their own: without this, a
    browser test after the first test of the session would start from an empty database.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    yield


@pytest.fixture(autouse=True, scope="session")
def mail_through_the_queue(django_test_environment):
    """Django's test set-up sends mail straight to the outbox (locmem); the site queues every
    mail first (kb.mail), and so do the tests. Delivery, immediate here, is still locmem."""
    settings.EMAIL_BACKEND = "kb.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def default_language():
    """The active language never leaks from one test into the next (the admin activates the
    user's preferred language and leaves it active in the thread)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def vocabularies(db):
    load_vocabularies()


@pytest.fixture
def site_tree(db, vocabularies):
    """Home and practices index in four languages (without the information pages)."""
    return ensure_site_structure(information_pages=False)


def shared_site_tree_fixtures(scope):
    """Fixtures that build the site skeleton once for the tests of a module or package.

    Vocabularies, home pages and practice indexes take seconds to build (every page and term
    is published and indexed). Built once, in a transaction left open around the tests of
    the scope and rolled back after them, they are what every test of the scope starts
    from; each test still runs in its own transaction (a savepoint inside that one), rolled
    back at its end, as with Django's TestCase.setUpTestData. In the scope's conftest or
    test module:

        shared_tree, vocabularies, site_tree, _no_transactional_test = (
            shared_site_tree_fixtures("package")
        )

    `vocabularies` and `site_tree` then take the shared skeleton (`site_tree` reads the home
    page afresh for each test). A transactional test (transaction=True, live_server,
    browser) cannot run inside the open transaction: in the scope, it fails at once.
    """

    @pytest.fixture(scope=scope, name="shared_tree")
    def shared_tree(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = [transaction.atomic(using=alias) for alias in connections]
            for atomic in outer:
                atomic.__enter__()
            try:
                load_vocabularies()
                home = ensure_site_structure(information_pages=False)
            except BaseException:
                _roll_back(outer)
                raise
        yield home.pk
        with django_db_blocker.unblock():
            _roll_back(outer)

    @pytest.fixture(name="vocabularies")
    def vocabularies(db, shared_tree):
        """Loaded with the shared skeleton."""

    @pytest.fixture(name="site_tree")
    def site_tree(db, shared_tree):
        from home.models import HomePage

        return HomePage.objects.get(pk=shared_tree)

    @pytest.fixture(autouse=True, name="_no_transactional_test")
    def no_transactional_test(request):
        message = f"a transactional test cannot share the {scope}'s site skeleton transaction"
        if {"transactional_db", "live_server"} & set(request.fixturenames):
            pytest.fail(message)
        marker = request.node.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
            pytest.fail(message)

    return shared_tree, vocabularies, site_tree, no_transactional_test


def _roll_back(atomics):
    for alias, atomic in reversed(list(zip(connections, atomics, strict=True))):
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)


@pytest.fixture
def information_pages(site_tree):
    """The site with About, Contact, Privacy notice and Licence in four languages."""
    ensure_information_pages(site_tree)
    return site_tree


def practice_index(language):
    return PracticeIndexPage.objects.get(locale__language_code=language)


#: The contact details a contributor gives: never in any public output.
PRIVATE_CONTACT = {
    "contact_name": "Private Contact Person",
    "contact_email": "private.contact@example.org",
    "contact_organisation": "Private Contact Organisation",
}


def submitted_with_contact(page):
    """The submission of `page` through the public form, with PRIVATE_CONTACT."""
    from practices.models import Submission

    return Submission.objects.create(
        page=page,
        language="en",
        channel=Submission.Channel.FORM,
        status=Submission.Status.SUBMITTED,
        **PRIVATE_CONTACT,
    )


def create_usaid():
    """The funder of the tests' funding rows, as the authority list knows it: its names in
    three languages, its acronym and its country."""
    from practices.models import Organisation

    return Organisation.objects.create(
        slug="usaid",
        name_en="United States Agency for International Development",
        name_fr="Agence des États-Unis pour le développement international",
        name_es="Agencia de los Estados Unidos para el Desarrollo Internacional",
        acronym="USAID",
        country="US",
    )


@pytest.fixture
def usaid(db):
    return create_usaid()


def build_practice(language="en", publish=True, **fields):
    """Build and publish an entry: build_practice(language="fr", cooperation_model=[...]).
    The site skeleton must exist (the `make_practice` fixture, or a shared scope's)."""
    from practices.models import VOCABULARIES, VOCABULARY_FIELDS

    classification = {
        "cooperation_model": ["regional-funds"],
        "guiding_question": ["q1"],
    }
    for key in VOCABULARY_FIELDS:
        if key in fields:
            classification[key] = fields.pop(key)
    number = next(_slugs)
    page = PracticePage(
        title=fields.pop("title", f"Practice {number}"),
        slug=fields.pop("slug", f"practice-{number}"),
        summary=fields.pop("summary", "A summary of the practice."),
        live=publish,
        **fields,
    )
    for key, slugs in classification.items():
        model = VOCABULARIES[key]
        setattr(page, VOCABULARY_FIELDS[key], list(model.objects.filter(slug__in=slugs)))
    practice_index(language).add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def translate_practice(page, language, publish=True, **fields):
    """Create and publish the translation of an entry: translate_practice(page, "fr", ...)."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    copy.live = False
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return PracticePage.objects.get(pk=copy.pk)


@pytest.fixture
def make_practice(site_tree):
    """Build and publish an entry: make_practice(language="fr", cooperation_model=[...], ...)."""
    return build_practice


@pytest.fixture
def translate(site_tree):
    """Create and publish the translation of an entry: translate(page, "fr", title=...)."""
    return translate_practice


def translated(language, message, **params):
    """`message` as the interface shows it in `language` (with %-style parameters)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(language):
        text = gettext(message)
        return text % params if params else text

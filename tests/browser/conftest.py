"""A live server serving the site as production does, and one headless Chromium per session.

The server is pytest-django's ``live_server`` with one change: static files are collected
and compressed by WhiteNoise (as ``collectstatic`` does in production) and served by
WhiteNoise's middleware, not by Django's development static handler, so that the weights
measured by the browser are the ones users download. Pages are gzipped by GZipMiddleware.

When Chromium, Playwright or the npm packages are missing the tests are skipped with the
reason; with REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from tests.browser import sample_content
from tests.browser.reviewing import EDITOR_PASSWORD, PASSWORD, TRANSLATOR_PASSWORD

REPO = Path(__file__).resolve().parents[2]
# Debian's Chromium; CHROMIUM_PATH points elsewhere (another system, or to check the skip).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
NODE_MODULES = REPO / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = sample_content.LANGUAGES
INSTALL_HINT = "run bin/install-browser-deps"


def missing_or_skip(reason):
    """Fail when the browser tests are required (CI), skip visibly otherwise."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason} ({INSTALL_HINT})", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} ({INSTALL_HINT})")


@pytest.fixture(scope="session")
def browser_requirements():
    if not CHROMIUM.exists():
        missing_or_skip(f"{CHROMIUM} is missing")
    if not AXE_SCRIPT.exists():
        missing_or_skip(f"{AXE_SCRIPT.relative_to(REPO)} is missing")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing_or_skip("Playwright for Python is not installed")


@pytest.fixture(scope="session")
def vnu_command():
    if not VNU_JAR.exists():
        missing_or_skip(f"{VNU_JAR.relative_to(REPO)} is missing")
    java = shutil.which("java")
    if java is None:
        missing_or_skip("java is not installed (the Nu Html Checker needs it)")
    return [java, "-jar", str(VNU_JAR)]


class _NoStaticHandler:
    """Leaves /static/ to WhiteNoise's middleware, as in production."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def compressed_static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="session")
def site_server(browser_requirements, django_db_setup, compressed_static_root):
    """pytest-django's live server, with static files served compressed by WhiteNoise.

    Named apart from ``live_server`` so that pytest-django does not flush the database
    after each test: read-only tests share one sample site per module (``sample_site``).
    """
    from pytest_django.live_server_helper import LiveServer

    static = override_settings(STATIC_ROOT=compressed_static_root)
    static.enable()
    server = LiveServer("127.0.0.1:0", start=False)
    server.thread.static_handler = _NoStaticHandler
    server.start()
    yield server
    server.stop()
    static.disable()


@pytest.fixture(scope="module")
def sample_site(request, site_server, django_db_blocker):
    """The skeleton, one complete entry in ar/en/fr/es and a few more entries, for a module.

    A module sets SAMPLE_EXTRA_ENTRIES to get more entries (e.g. a full listing page).
    Built once per test module and committed, so that the server thread sees it; the
    database is put back as it was afterwards. Tests using it must not write: a journey that
    writes uses ``transactional_db`` and builds its own content with sample_content.build().
    """
    from django.db import connection

    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
        try:
            extra = getattr(request.module, "SAMPLE_EXTRA_ENTRIES", 6)
            yield sample_content.build(extra_entries=extra)
        finally:
            restore_database(snapshot)


def restore_database(snapshot):
    """Empty the database and load `snapshot` (from serialize_db_to_string) back."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    # Wagtail's Task.__init__ looks up its content type when a row is deserialised; the
    # practices app is restored before the contenttypes app, so an empty cache would make it
    # create the row that the snapshot then inserts again. A warm cache holds the same ids.
    ContentType.objects.get_for_models(*apps.get_models())
    # As TransactionTestCase does: sequences keep counting, so that the restored rows do not
    # collide with the ids that later inserts receive (PostgreSQL).
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    connection.creation.deserialize_db_from_string(snapshot)


@pytest.fixture(scope="session")
def browser(browser_requirements):
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in the main thread; the database
    # calls of the tests and fixtures are still synchronous, so Django may allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


def watch_csp(context):
    """The Content-Security-Policy violations Chromium reports in the console, as they come."""
    violations = []

    def on_console(message):
        if any(marker in message.text for marker in CSP_MARKERS):
            where = message.page.url if message.page else "?"
            violations.append(f"{where}: {message.text}")

    context.on("console", on_console)
    return violations


def assert_no_csp_violations(violations):
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def context(browser):
    """A fresh profile (empty cache) per test, at a desktop size; fails on CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    violations = watch_csp(context)
    yield context
    context.close()
    assert_no_csp_violations(violations)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def quick_contributions(settings):
    """The form's guards, relaxed for a test that fills it faster than a person can.

    The minimum fill time (3 s) would refuse every step posted by a script, and the rate
    limit (10 new examples per address and hour) would refuse the scans of later tests, all
    coming from 127.0.0.1: its counters (in the cache) start from zero. pytest-django's
    `settings` fixture restores the fill time after the test; the guards themselves are
    tested in tests/submit/.
    """
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_url(site_server):
    return lambda path: f"{site_server.url}{path}"


@pytest.fixture
def contribution_site(site_server, settings, quick_contributions):
    """The site skeleton and the review workflow; e-mail links point to the live server."""
    from home.site_structure import ensure_site_structure
    from practices.roles import ensure_group_permissions
    from practices.vocabularies import load_vocabularies

    load_vocabularies()
    ensure_site_structure()
    ensure_group_permissions()
    settings.WAGTAILADMIN_BASE_URL = site_server.url
    mail.outbox = []


@pytest.fixture
def roles(contribution_site):
    """The contribution site with a reviewer, an editor and translator-fr."""
    from django.contrib.auth.models import Group, User

    from practices.models.workflow import REVIEWERS
    from practices.roles import EDITORS, translator_group_name

    def person(username, email, password, group):
        user = User.objects.create_user(username, email, password)
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "reviewer": person("ines", "ines@example.org", PASSWORD, REVIEWERS),
        "editor": person("editor", "editor@example.org", EDITOR_PASSWORD, EDITORS),
        "translator": person(
            "translator-fr", "fr@example.org", TRANSLATOR_PASSWORD, translator_group_name("fr")
        ),
    }

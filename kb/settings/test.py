from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail goes through the queue as in production; the queue runs each task at once, so that
# `mail.outbox` holds a message as soon as the change that sends it is committed.
MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "mail": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests render pages afresh unless they test the page cache (tests/kb/test_page_cache.py);
# PAGE_CACHE=1 runs any test file with it on.
PAGE_CACHE = os.environ.get("PAGE_CACHE") == "1"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Apart for each database: bin/run-tests runs the SQLite and PostgreSQL suites side by side.
_DATABASE_KIND = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media" / _DATABASE_KIND  # noqa: F405
if os.environ.get("TEST_DATABASE_URL"):  # noqa: F405
    DATABASES["default"] = dj_database_url.parse(  # noqa: F405
        os.environ["TEST_DATABASE_URL"],  # noqa: F405
        conn_health_checks=True,
    )
    # A test database is thrown away: commits need not wait for the disk (a crash of the
    # server loses the last commits, never consistency). Transactional tests commit and
    # flush many times.
    DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"  # noqa: F405
# Tests never write to a deployment's indices, whatever the environment says, and search
# through the database unless a test asks for a cluster (the `live_engine` fixture reads
# ELASTICSEARCH_URL from the environment itself).
ELASTICSEARCH_URL = ""
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_TEST_INDEX_PREFIX", "alianzas-test")  # noqa: F405
# As in development: the tests' samples show unless a test turns them off as production does.
SHOW_ILLUSTRATIVE = True

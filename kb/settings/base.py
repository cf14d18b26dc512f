"""Settings shared by every environment; configuration comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from practices.countries import country_names_override

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "practices",
    "practices.search",
    "django_tasks",
    "django_tasks_db",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kb.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files are pre-compressed by WhiteNoise), so that
    # slow connections get light pages without depending on a proxy's configuration.
    "django.middleware.gzip.GZipMiddleware",
    # Public pages for anonymous readers, from the cache until the next publication
    # (kb.pagecache); before the session middleware, so that a cached page costs one read.
    "kb.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A read whose database connection dropped is answered again (kb.database).
    "kb.database.RetryReadsOnDroppedConnectionMiddleware",
    # Last, as django-axes requires: turns a paused sign-in into kb.lockout's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A persistent connection that died between requests is replaced, not used (kb.database).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Content-Security-Policy (django-csp through kb.csp): every resource from the site itself,
# no inline script or style, no plugin, no framing, forms posted to the site only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ADMIN_PATH_PREFIXES = ["/admin/"]
# What the Wagtail admin needs beyond that, found by walking it in a browser with the public
# policy (tests/browser/test_admin_csp.py keeps it so): Wagtail and wagtail-localize write
# inline <script> elements (inline panels, date pickers, chooser URLs), and the page editor's
# scripts insert <style> elements. Inline event handlers stay forbidden. Its preview panel
# frames admin URLs.
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
}
# Wagtail shows avatars from gravatar.com unless told not to: no third-party requests.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user name from
# one client address (behind the trusted proxies), that pair is paused for AXES_COOLOFF_TIME.
# `manage.py axes_reset_username NAME` lifts a pause at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kb.clients.client_address"
AXES_LOCKOUT_CALLABLE = "kb.lockout.lockout_response"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: one source for the four languages.
LANGUAGE_CODE = "en"
# Arabic numbers grouped in thousands (kb/formats/ar/formats.py).
FORMAT_MODULE_PATH = ["kb.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES = [
    ("ar", "العربية"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
]
LANGUAGE_NAMES_TRANSLATABLE = {
    "ar": _("Arabic"),
    "en": _("English"),
    "fr": _("French"),
    "es": _("Spanish"),
}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country names: the UN short names in the four languages (practices/countries.py).
COUNTRIES_OVERRIDE = country_names_override()
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "kb" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: 5 attachments of 10 MB plus the form itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: EMAIL_URL (smtp://user:pass@host:port, console:, locmem:) or the usual settings.
# Every mail is queued (kb.mail) and sent by `manage.py db_worker` through this backend.
EMAIL_BACKEND = "kb.mail.QueuedEmailBackend"
MAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
#: Seconds to wait before each new attempt at a failed delivery (then it is given up and
#: left to `manage.py retry_submission_mail`).
MAIL_RETRY_DELAYS = (60, 300, 900, 3600, 6 * 3600, 24 * 3600)
#: Days a sent e-mail stays in the queue's table (`manage.py purge_submission_drafts`).
MAIL_KEEP_DAYS = 30
# Mail has a queue of its own in the database; Wagtail's own tasks (search and reference
# index updates) keep running at once, as Wagtail does by default.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "mail": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Alianzas <noreply@localhost>")


def _email_from_url(url):
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    config = {"MAIL_DELIVERY_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS="tls=1" in parts.query,
        )
    return config


if os.environ.get("EMAIL_URL"):
    globals().update(_email_from_url(os.environ["EMAIL_URL"]))

# One cache shared by every worker and server: the database by default (no other service;
# `migrate` creates its table), Redis when REDIS_URL is set. Rate limits and the page cache
# (kb.pagecache) live there.
CACHE_TABLE = "alianzas_cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

# Page cache for anonymous readers of the public pages (kb.pagecache, docs/deployment.md):
# PAGE_CACHE=0 turns it off; PAGE_CACHE_SECONDS bounds how long a page is kept (publications
# empty the cache at once whatever this is). Pages live in CACHES["default"].
PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") == "1"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
#: Paths after the language prefix that are never cached (the contribution pages).
PAGE_CACHE_EXCLUDED_PATHS = ("submit/", "alerts/")

# Reverse proxies whose X-Forwarded-For is believed (kb.clients): IP addresses or networks,
# and `unix` for a proxy on the gunicorn unix socket. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Wagtail
WAGTAIL_SITE_NAME = "Alianzas"
# Where the site is served, for the links in e-mails: BASE_URL (`make run` sets it from HOST and
# PORT), or WAGTAILADMIN_BASE_URL, its older name. Code reads WAGTAILADMIN_BASE_URL, which
# Wagtail's own admin links use too, so both always agree.
BASE_URL = (
    os.environ.get("BASE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000"
).rstrip("/")
WAGTAILADMIN_BASE_URL = (os.environ.get("WAGTAILADMIN_BASE_URL") or BASE_URL).rstrip("/")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "png", "jpg", "jpeg"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}
WAGTAIL_MODERATION_ENABLED = True
# No autosave in the page editor: an autosave is a revision by whoever has the page open. A
# reviewer typing the comment of a decision would become the entry's last author half a
# second later, and nobody decides on their own edit, so the decision was refused at random.
# Editors save drafts with "Save draft"; the editor still warns of unsaved changes.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "practices.submit.publishing.publish_approved"
# A new translation starts as a draft even when the original is live: an untranslated copy
# would otherwise be published in the original's language (see practices.translation).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation in wagtail-localize's editor: off unless a service is configured.
# DEEPL_API_KEY -> DeepL; GOOGLE_TRANSLATE_PROJECT_ID (+ GOOGLE_TRANSLATE_CREDENTIALS_PATH or
# GOOGLE_APPLICATION_CREDENTIALS) -> Google Cloud Translation.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
if os.environ.get("DEEPL_API_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_API_KEY"]},
    }
elif os.environ.get("GOOGLE_TRANSLATE_PROJECT_ID"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
        "OPTIONS": {
            "PROJECT_ID": os.environ["GOOGLE_TRANSLATE_PROJECT_ID"],
            "LOCATION": os.environ.get("GOOGLE_TRANSLATE_LOCATION", "global"),
        },
    }
    if os.environ.get("GOOGLE_TRANSLATE_CREDENTIALS_PATH"):
        WAGTAILLOCALIZE_MACHINE_TRANSLATOR["OPTIONS"]["CREDENTIALS_PATH"] = os.environ[
            "GOOGLE_TRANSLATE_CREDENTIALS_PATH"
        ]

# Contributions (practices.submit)
SUBMISSION_MIN_FILL_SECONDS = 3
SUBMISSION_RATE_LIMIT = (10, 3600)  # new submissions per address and period (seconds)
SUBMISSION_LINK_MAX_AGE_DAYS = 60
SUBMISSION_DRAFT_RETENTION_DAYS = 180  # manage.py purge_submission_drafts
SUBMISSION_MAX_FILES = 5
SUBMISSION_MAX_FILE_SIZE = 10 * 1024 * 1024
SUBMISSION_MAX_REQUEST_SIZE = SUBMISSION_MAX_FILES * SUBMISSION_MAX_FILE_SIZE + 4 * 1024 * 1024

# Followed searches (practices.alerts, docs/alerts.md)
ALERTS_CONFIRM_DAYS = 7  # an unconfirmed subscription is deleted after (purge_submission_drafts)
ALERTS_RATE_LIMIT_ADDRESS = (10, 3600)  # requests to follow a search per e-mail address
ALERTS_RATE_LIMIT_CLIENT = (10, 3600)  # and per client (network address), per period

# Search engine for the public search: database unless ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "alianzas")
# Seconds a public search waits for the cluster before answering from the database.
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Who publishes the site, shown on the About and Contact pages and in every page's footer.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Alianzas")
# Postal address; lines separated by "\n" in the variable (or real line breaks).
PUBLISHER_ADDRESS = os.environ.get("PUBLISHER_ADDRESS", "").replace("\\n", "\n")
# Where readers and contributors write to the editors.
EDITORS_EMAIL = os.environ.get("EDITORS_EMAIL", "editors@example.org")
# A form sent without its security token: a page that says what to do, in the reader's language.
CSRF_FAILURE_VIEW = "kb.errors.csrf_failure"

# Illustrative entries (samples, not real practices) in search, feeds, exports and country
# pages: off in production, where readers must never take a sample for a real example; on
# in development and the demo. Rebuild the search index after changing it.
SHOW_ILLUSTRATIVE = os.environ.get("SHOW_ILLUSTRATIVE", "0") == "1"
# Records per page of the OAI-PMH lists at /oai/ (practices.open_data.oai).
OAI_PAGE_SIZE = 100

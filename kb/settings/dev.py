from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
if not os.environ.get("EMAIL_URL") and not os.environ.get("EMAIL_BACKEND"):  # noqa: F405
    MAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Templates and code change under a developer's hands: pages are rendered afresh unless
# PAGE_CACHE=1 asks for the page cache of production.
PAGE_CACHE = os.environ.get("PAGE_CACHE") == "1"  # noqa: F405
# The demo's illustrative samples show, badged as such (SHOW_ILLUSTRATIVE=0 to hide them).
SHOW_ILLUSTRATIVE = os.environ.get("SHOW_ILLUSTRATIVE", "1") == "1"  # noqa: F405

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Served over HTTPS (TLS ends at the proxy, which sets X-Forwarded-Proto): secure cookies,
# redirect plain HTTP, and HSTS. TLS=0 turns all of it off for a plain-HTTP trial on a private
# network (INSECURE_COOKIES=1, the earlier name, still does).
TLS = os.environ.get("TLS", "0" if os.environ.get("INSECURE_COOKIES") == "1" else "1") == "1"  # noqa: F405
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = TLS
SECURE_SSL_REDIRECT = TLS
# HSTS: browsers refuse plain HTTP for the domain for this long (one year). Lower it while
# trying TLS out; HSTS_INCLUDE_SUBDOMAINS=0 / HSTS_PRELOAD=0 if other hosts of the domain
# are not on HTTPS yet (`check --deploy` then says so, as it should).
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if TLS else 0  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HSTS_INCLUDE_SUBDOMAINS", "1") == "1"  # noqa: F405
SECURE_HSTS_PRELOAD = os.environ.get("HSTS_PRELOAD", "1") == "1"  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

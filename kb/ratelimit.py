"""The project's one rate limiter: fixed windows counted in the default cache.

The default cache is the database (shared by every worker and server without another
service) or Redis when REDIS_URL is set. Clients are keyed on a salted hash of their address
behind the trusted proxies (kb.clients), so the address itself is never stored.

A cache that does not answer never refuses a request: the limiter then lets it through and
logs a warning (losing what a person typed would be worse than a missed count).
"""

import logging

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .clients import client_address

logger = logging.getLogger(__name__)


def client_key(request):
    """A stable, non-reversible key for the client of `request` (64 hex characters)."""
    return salted_hmac(
        "alianzas.client.address", client_address(request), algorithm="sha256"
    ).hexdigest()


def _cache_key(scope, key):
    return f"alianzas:rate:{scope}:{key}"


def exceeded(scope, key, limit):
    """True when `key` has already used its `limit` in the current window of `scope`."""
    try:
        return (cache.get(_cache_key(scope, key)) or 0) >= limit
    except Exception:  # noqa: BLE001 - any cache failure: let the request through
        logger.warning("rate limit cache unavailable; %s not checked", scope, exc_info=True)
        return False


def record(scope, key, period):
    """Count one use by `key` in `scope`; the window starts at the first use."""
    cache_key = _cache_key(scope, key)
    try:
        if cache.add(cache_key, 1, timeout=period):
            return
        try:
            cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=period)
    except Exception:  # noqa: BLE001
        logger.warning("rate limit cache unavailable; %s not counted", scope, exc_info=True)


def hit(scope, key, limit, period):
    """Check and count in one call: False (and nothing counted) once the limit is reached."""
    if exceeded(scope, key, limit):
        return False
    record(scope, key, period)
    return True

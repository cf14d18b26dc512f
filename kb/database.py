"""Reads answered again when the database connection drops under them.

What Django allows, and so what this does:

- Between requests, a persistent connection (CONN_MAX_AGE) that died (a restart, a
  failover, pg_terminate_backend) is found by CONN_HEALTH_CHECKS before the request uses it,
  and replaced. That is Django's own mechanism; it is switched on in the settings.
- During a request, a query on a connection that drops raises OperationalError or
  InterfaceError. Django cannot replay a transaction or a write, and does not reconnect by
  itself. For a read (GET, HEAD, OPTIONS) outside any transaction, nothing was changed, so
  the view can safely run again once: the dead connection is closed, the next query opens
  a new one, and the reader gets the page instead of a 500.
- Not retried: writes (POST and the rest: the error page is shown, the transaction was
  rolled back, nothing half-written remains), reads inside a transaction
  (ATOMIC_REQUESTS), a second drop in the same request, and a streamed response whose
  body was already being sent.
"""

import logging

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = ("GET", "HEAD", "OPTIONS")


def _dropped_connections():
    """Connections of this thread that no longer answer, or None if one is in a transaction."""
    dropped = []
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if connection.in_atomic_block:
            return None
        if not connection.is_usable():
            dropped.append(connection)
    return dropped


class RetryReadsOnDroppedConnectionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.method not in IDEMPOTENT_METHODS or getattr(request, "_db_retried", False):
            return None
        match = getattr(request, "resolver_match", None)
        dropped = _dropped_connections()
        if match is None or not dropped:
            return None
        for connection in dropped:
            connection.close()
        request._db_retried = True
        logger.warning("database connection lost during %s; answering it again", request.path)
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response = response.render()
        return response

"""The address of the client, as seen through the reverse proxies the deployment trusts.

Behind nginx every request comes from the proxy (from no address at all on a unix socket),
so counting by ``REMOTE_ADDR`` would give the whole site one bucket. ``X-Forwarded-For`` is
read from the right, one hop at a time, and only while the hop that sent it is listed in
``settings.TRUSTED_PROXIES``: a client can write anything in that header, but everything
left of the first untrusted hop is ignored, so it can only describe itself.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

#: In TRUSTED_PROXIES, the peer of a unix socket (gunicorn gives it an empty address).
UNIX_SOCKET = "unix"


@lru_cache(maxsize=8)
def _trusted(proxies):
    networks, unix = [], False
    for item in proxies:
        if item == UNIX_SOCKET:
            unix = True
        else:
            networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks), unix


def trusted_networks():
    """(networks, whether a unix-socket peer is trusted), from settings.TRUSTED_PROXIES."""
    return _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(address, networks, unix):
    if address is None:
        return unix
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_address(request):
    """The client's IP address as text (empty only when nothing better is known)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks, unix = trusted_networks()
    current = _parse(remote) if remote else None
    if remote and current is None:
        return remote
    if not _is_trusted(current, networks, unix):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while hops:
        hop = _parse(hops.pop())
        if hop is None:
            break  # a malformed entry: the last trusted hop is the best we know
        current = hop
        if not _is_trusted(current, networks, unix=False):
            break
    return str(current) if current is not None else remote

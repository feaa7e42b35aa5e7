"""The client's IP address, trusting `X-Forwarded-For` only from our own proxies (settings.TRUSTED_PROXIES).

Without trusted proxies the address is REMOTE_ADDR, whatever the headers say: a client that sends a new
X-Forwarded-For with each request cannot look like a new address to the sign-in limits (django-axes, the
token endpoint's throttle) or to the audit log. Behind nginx, TRUSTED_PROXIES names nginx's address; the
client is then the right-most X-Forwarded-For entry that is not itself a trusted proxy (entries to its left
were written by the client and prove nothing)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def parse_ip(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent `request` (an HttpRequest or DRF Request); None if unknown."""
    if request is None:
        return None
    meta = request.META
    remote = parse_ip(meta.get("REMOTE_ADDR"))
    if remote is None:
        return None
    if not is_trusted_proxy(remote):
        return str(remote)
    hops = [parse_ip(part) for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            return str(remote)  # a malformed entry after the trusted ones: stop at the last known hop
        if not is_trusted_proxy(hop):
            return str(hop)
        remote = hop
    return str(remote)

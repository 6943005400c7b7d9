"""Webhook rules as pure functions: signing, retry schedule, event-type patterns, who
hears of an event, URLs."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import httpx

from orderhub.webhooks import tmf_events

MAX_ATTEMPTS = 8
# The owner of operations' webhooks: they hear of every owner's events.
OPERATIONS = "operations"
# A pattern is an event type (`order.status_changed`), a family (`order.*`) or `*`.
EVENT_PATTERN = re.compile(r"^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$")


def signing_secret(key: bytes, subscription_id: str, version: int) -> str:
    """The subscription's secret, derived rather than stored (see models.WebhookSubscription)."""
    digest = hmac.new(key, f"webhook:{subscription_id}:{version}".encode(), hashlib.sha256)
    return "whsec_" + digest.hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`OrderHub-Signature` header value: HMAC-SHA256 of `<timestamp>.<body>`.

    Receivers recompute it with their secret and refuse old timestamps (replays)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def retry_delay(attempts: int, base_seconds: float, cap_seconds: float = 3600) -> float:
    """Seconds to wait after the `attempts`-th failure: base, then doubling, up to the cap."""
    return min(base_seconds * 2 ** (attempts - 1), cap_seconds)


def wants(patterns: list[str], event_type: str) -> bool:
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def ordered_per_owner(owner: str) -> bool:
    """Whether the owner's events must commit in `seq` order: partners read their own
    events by `seq` (`GET /b2b/v1/events?after=`), so their publishers take turns. Other
    owners (a consumer: `customer:<id>`) have no such reader: their events are read in
    the global stream's order (stream.py), which needs no turns."""
    return owner.startswith("partner:")


def recipients(
    *,
    owner: str,
    type: str,
    data: dict[str, Any],
    published_at: datetime,
    subscriptions: Iterable[Any],
) -> list[str]:
    """The ids of the subscriptions an event goes to: the owner's and operations', that
    want its type and were registered by the time it was published; a TM Forum listener
    (`api` set) only where the event is one of its API's (tmf_events.applies)."""
    return [
        s.id
        for s in subscriptions
        if s.owner in (owner, OPERATIONS)
        and s.created_at <= published_at
        and wants(s.event_types, type)
        and (s.api is None or tmf_events.applies(s.api, type, data))
    ]


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why the callback URL cannot be used, or None. Parsed as the sender will parse it."""
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return "must be an absolute http(s) URL"
    if parts.scheme not in ("https", "http") or not parts.host:
        return "must be an absolute http(s) URL"
    if parts.scheme == "http" and not allow_http:
        return "must use https"
    if parts.userinfo:
        return "must not carry credentials"
    return None


# IPv6 prefixes whose addresses carry an IPv4 address in their last 32 bits: NAT64's
# well-known prefix (RFC 6052) and the deprecated IPv4-compatible form (RFC 4291).
_IPV4_IN_LAST_32_BITS = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("::/96"),
)
# NAT64's local-use prefix (RFC 8215): where the IPv4 address sits depends on the
# operator's prefix length, so nothing in it counts as public.
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")


def public_address(address: str) -> bool:
    """Whether a resolved address is on the public internet: not loopback, private,
    link-local (cloud metadata at 169.254.169.254) or reserved, and, for IPv6, not a form
    that embeds such an IPv4 address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo),
    which a host may route to that IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global:
        return False
    if ip.version == 6:
        if ip in _NAT64_LOCAL_USE:
            return False
        return all(embedded.is_global for embedded in _embedded_ipv4(ip))
    return True


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found.extend(ip.teredo)  # its server and its client's (public) address
    if any(ip in prefix for prefix in _IPV4_IN_LAST_32_BITS):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found

"""Webhook rules as pure functions: signing, retry schedule, event-type patterns, URLs."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re

import httpx

MAX_ATTEMPTS = 8
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


def public_address(address: str) -> bool:
    """Whether a resolved address is on the public internet (not loopback, private,
    link-local such as cloud metadata at 169.254.169.254, or reserved)."""
    return ipaddress.ip_address(address.split("%", 1)[0]).is_global

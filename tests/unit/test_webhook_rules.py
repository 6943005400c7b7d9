from __future__ import annotations

import hashlib
import hmac

import pytest

from orderhub.webhooks import rules


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"whsec_x", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert rules.signature("whsec_x", 1700000000, b"{}") == f"v1={expected}"


def test_secrets_differ_by_subscription_version_and_key():
    a = rules.signing_secret(b"k", "whk_1", 1)
    assert a.startswith("whsec_")
    assert a == rules.signing_secret(b"k", "whk_1", 1)
    assert (
        len(
            {
                a,
                rules.signing_secret(b"k", "whk_1", 2),
                rules.signing_secret(b"k", "whk_2", 1),
                rules.signing_secret(b"other", "whk_1", 1),
            }
        )
        == 4
    )


def test_retries_back_off_doubling_up_to_the_cap():
    assert [rules.retry_delay(n, 10) for n in range(1, 5)] == [10, 20, 40, 80]
    assert rules.retry_delay(20, 10) == 3600


@pytest.mark.parametrize(
    ("patterns", "event_type", "wanted"),
    [
        (["*"], "order.status_changed", True),
        (["order.*"], "order.status_changed", True),
        (["order.status_changed"], "order.status_changed", True),
        (["quote.*"], "order.status_changed", False),
        (["order.*"], "orders.created", False),
        ([], "order.created", False),
    ],
)
def test_event_type_patterns(patterns, event_type, wanted):
    assert rules.wants(patterns, event_type) is wanted


@pytest.mark.parametrize(
    ("url", "allow_http", "problem"),
    [
        ("https://partner.example/hooks", False, None),
        ("http://localhost:9000/hooks", True, None),
        ("http://partner.example/hooks", False, "must use https"),
        ("ftp://partner.example/hooks", True, "must be an absolute http(s) URL"),
        ("/relative", True, "must be an absolute http(s) URL"),
        ("https://user:pw@partner.example/", False, "must not carry credentials"),
        ("https://partner.example:abc/", False, "must be an absolute http(s) URL"),
        ("https://[::1", False, "must be an absolute http(s) URL"),
    ],
)
def test_callback_urls(url, allow_http, problem):
    assert rules.url_problem(url, allow_http=allow_http) == problem


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("2001:4860:4860::8888", True),
        # IPv6 forms that carry the metadata address (or another private IPv4) inside:
        ("64:ff9b::a9fe:a9fe", False),  # NAT64, well-known prefix
        ("64:ff9b::5db8:d822", True),  # NAT64 of a public address
        ("64:ff9b:1::a9fe:a9fe", False),  # NAT64, local-use prefix
        ("2002:a9fe:a9fe::1", False),  # 6to4
        ("2002:5db8:d822::1", True),  # 6to4 of a public address
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("::ffff:169.254.169.254", False),  # IPv4-mapped
        ("::ffff:93.184.216.34", True),  # IPv4-mapped public: the same host
        ("::169.254.169.254", False),  # IPv4-compatible (deprecated)
        ("::a00:1", False),  # IPv4-compatible 10.0.0.1
        ("100.64.0.1", False),  # carrier-grade NAT
    ],
)
def test_only_public_addresses_get_deliveries(address, public):
    assert rules.public_address(address) is public

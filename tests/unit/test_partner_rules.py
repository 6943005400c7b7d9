"""The client-credentials token request and partner tokens, as pure values."""

from __future__ import annotations

import base64

import pytest

from orderhub.identity import tokens as consumer_tokens
from orderhub.partners import tokens
from orderhub.partners.rules import (
    FORM,
    ClientCredentials,
    OAuthError,
    new_client_secret,
    parse_basic,
    parse_token_request,
)

KEY = b"token-key"
NOW = 1_700_000_000.0
GOOD = b"grant_type=client_credentials&client_id=cli_1&client_secret=s3cret"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def refused(body: bytes, *, content_type: str = FORM, authorization: str | None = None) -> str:
    with pytest.raises(OAuthError) as caught:
        parse_token_request(content_type, body, authorization)
    assert caught.value.extra["error"] == caught.value.code
    return caught.value.code


def test_body_credentials_are_read():
    assert parse_token_request(FORM, GOOD, None) == ClientCredentials("cli_1", "s3cret")


def test_charset_parameter_and_unknown_parameters_are_accepted():
    body = GOOD + b"&scope=orders&foo=bar"
    got = parse_token_request(f"{FORM}; charset=UTF-8", body, None)
    assert got == ClientCredentials("cli_1", "s3cret")


def test_basic_credentials_are_form_decoded_per_rfc_6749():
    got = parse_token_request(FORM, b"grant_type=client_credentials", basic("cli_1", "a%2Bb+c"))
    assert got == ClientCredentials("cli_1", "a+b c")


def test_basic_with_the_same_client_id_in_the_body_is_fine():
    got = parse_token_request(
        FORM, b"grant_type=client_credentials&client_id=cli_1", basic("cli_1", "x")
    )
    assert got.client_id == "cli_1"


def test_a_bearer_header_is_not_client_authentication_and_is_ignored():
    assert parse_token_request(FORM, GOOD, "Bearer v1.abc.def").client_id == "cli_1"


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (GOOD, "application/json", "invalid_request"),
        (b"client_id=cli_1&client_secret=s", FORM, "invalid_request"),
        (GOOD.replace(b"client_credentials", b"password"), FORM, "unsupported_grant_type"),
        (GOOD + b"&grant_type=client_credentials", FORM, "invalid_request"),
        (GOOD + b"&x=" + b"y" * 5000, FORM, "invalid_request"),
        ("grant_type=client_credentials&client_id=é".encode(), FORM, "invalid_request"),
        (b"grant_type=client_credentials&client_id=%ff&client_secret=s", FORM, "invalid_request"),
        (b"grant_type=client_credentials&client_id=cli_1", FORM, "invalid_client"),
        (b"grant_type=client_credentials&client_secret=s", FORM, "invalid_client"),
        (b"grant_type=client_credentials&client_id=&client_secret=s", FORM, "invalid_client"),
        (b"grant_type=client_credentials&client_id=a%00b&client_secret=s", FORM, "invalid_client"),
        (b"grant_type=client_credentials&client_id=a+b&client_secret=s", FORM, "invalid_client"),
        (
            b"grant_type=client_credentials&client_id=" + b"c" * 65 + b"&client_secret=s",
            FORM,
            "invalid_client",
        ),
    ],
)
def test_bad_token_requests_are_refused_with_the_rfc_error(body, content_type, code):
    assert refused(body, content_type=content_type) == code


def test_two_authentication_methods_at_once_are_refused():
    assert refused(GOOD, authorization=basic("cli_1", "s3cret")) == "invalid_request"


def test_basic_and_a_different_body_client_id_are_refused():
    body = b"grant_type=client_credentials&client_id=cli_2"
    assert refused(body, authorization=basic("cli_1", "x")) == "invalid_request"


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()])
def test_malformed_basic_credentials_fail_client_authentication(header):
    with pytest.raises(OAuthError) as caught:
        parse_basic(header)
    assert caught.value.code == "invalid_client"
    assert caught.value.status == 401
    assert "WWW-Authenticate" in caught.value.headers


def test_errors_never_quote_the_secret():
    with pytest.raises(OAuthError) as caught:
        parse_token_request(FORM, GOOD + b"&client_secret=again", None)
    assert "s3cret" not in str(caught.value.extra) + caught.value.detail


def test_new_secrets_are_long_random_and_recognisable():
    one, two = new_client_secret(), new_client_secret()
    assert one != two and one.startswith("ohsec_") and len(one) >= 40


def partner(**overrides: object) -> tokens.PartnerPrincipal:
    values: dict[str, object] = {"partner_id": "prt_1", "client_id": "cli_1"}
    values["expires_at"] = int(NOW) + 900
    values.update(overrides)
    return tokens.PartnerPrincipal(**values)  # type: ignore[arg-type]


def test_partner_token_round_trip():
    token = tokens.sign(KEY, partner())
    assert token.startswith("p1.")
    assert tokens.verify(KEY, token, NOW) == partner()


def test_partner_token_expires_and_resists_forgery():
    assert tokens.verify(KEY, tokens.sign(KEY, partner(expires_at=int(NOW))), NOW) is None
    assert tokens.verify(b"other-key", tokens.sign(KEY, partner()), NOW) is None
    head, payload, signature = tokens.sign(KEY, partner()).split(".")
    assert tokens.verify(KEY, f"{head}.{payload}x.{signature}", NOW) is None
    assert tokens.verify(KEY, "p1.only-two", NOW) is None


def test_a_partner_token_is_not_a_consumer_token_even_re_prefixed():
    token = tokens.sign(KEY, partner())
    assert consumer_tokens.verify(KEY, token, NOW) is None
    assert consumer_tokens.verify(KEY, "v1." + token.split(".", 1)[1], NOW) is None


def test_a_consumer_token_is_not_a_partner_token_even_re_prefixed():
    token = consumer_tokens.sign(
        KEY, consumer_tokens.Principal("2145550100", "cus_1", int(NOW) + 9)
    )
    assert tokens.verify(KEY, token, NOW) is None
    assert tokens.verify(KEY, "p1." + token.split(".", 1)[1], NOW) is None

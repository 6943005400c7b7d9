"""The OAuth 2 client-credentials token request (RFC 6749 §4.4), parsed as pure values.

Errors carry the RFC 6749 §5.2 `error` code and `error_description`, and are rendered as
problem+json like every other error (docs/b2b.md says why).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from orderhub.errors import OrderHubError
from orderhub.ids import new_id

FORM = "application/x-www-form-urlencoded"
GRANT_TYPE = "client_credentials"
# A token request is a handful of short fields; anything larger is not one.
MAX_BODY_BYTES = 4096
MAX_CLIENT_ID = 64
MAX_SECRET = 200
# Printable ASCII without spaces: ids we issue fit, and nothing unstorable (a NUL)
# ever reaches a query.
_CLIENT_ID = re.compile(r"^[\x21-\x7e]+$")


class OAuthError(OrderHubError):
    """A refused token request: `code`, `error` and `error_description` per RFC 6749 §5.2."""

    title = "Token request refused"

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if status == 401:
            # RFC 6749 §5.2: a failed client authentication answers 401 with a challenge.
            headers["WWW-Authenticate"] = 'Basic realm="orderhub", charset="UTF-8"'
        super().__init__(
            description,
            code=error,
            extra={"error": error, "error_description": description},
            headers=headers,
        )
        self.status = status


def invalid_client(description: str = "Client authentication failed.") -> OAuthError:
    return OAuthError("invalid_client", description, status=401)


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str


def new_client_id() -> str:
    return new_id("cli")


def new_client_secret() -> str:
    """256 random bits; the prefix lets secret scanners recognise a leaked one."""
    return "ohsec_" + secrets.token_urlsafe(32)


def parse_token_request(
    content_type: str | None, body: bytes, authorization: str | None
) -> ClientCredentials:
    """The client's credentials from a client-credentials token request, or an OAuthError."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != FORM:
        raise OAuthError("invalid_request", f"The request body must be {FORM}.")
    if len(body) > MAX_BODY_BYTES:
        raise OAuthError("invalid_request", "The request body is too large.")
    try:
        pairs = parse_qsl(
            body.decode("ascii"), keep_blank_values=True, errors="strict", max_num_fields=20
        )
    except ValueError as exc:  # non-ASCII body, bad percent-encoding, too many fields
        raise OAuthError("invalid_request", "The request body is not a valid form.") from exc
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise OAuthError("invalid_request", f"The parameter '{name}' is repeated.")
        params[name] = value
    # RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    params = {k: v for k, v in params.items() if v != ""}
    grant_type = params.get("grant_type")
    if grant_type is None:
        raise OAuthError("invalid_request", "The parameter 'grant_type' is required.")
    if grant_type != GRANT_TYPE:
        raise OAuthError(
            "unsupported_grant_type", f"Only the '{GRANT_TYPE}' grant type is supported."
        )
    credentials = _client_credentials(params, authorization)
    if not (
        len(credentials.client_id) <= MAX_CLIENT_ID
        and _CLIENT_ID.match(credentials.client_id)
        and len(credentials.client_secret) <= MAX_SECRET
    ):
        raise invalid_client()
    return credentials


def _client_credentials(params: dict[str, str], authorization: str | None) -> ClientCredentials:
    basic = parse_basic(authorization)
    if basic is not None:
        # RFC 6749 §2.3: a client uses one authentication method per request.
        if "client_secret" in params:
            raise OAuthError(
                "invalid_request",
                "Send the client secret either in the Authorization header or in the body.",
            )
        if params.get("client_id", basic.client_id) != basic.client_id:
            raise OAuthError(
                "invalid_request", "The client_id differs from the one in the Authorization header."
            )
        return basic
    client_id, secret = params.get("client_id"), params.get("client_secret")
    if client_id is None or secret is None:
        raise invalid_client(
            "Authenticate the client with client_id and client_secret, or HTTP Basic."
        )
    return ClientCredentials(client_id, secret)


def parse_basic(authorization: str | None) -> ClientCredentials | None:
    """HTTP Basic client credentials (RFC 6749 §2.3.1: each part form-encoded first).

    None when there is no Basic header (another scheme, e.g. Bearer, is not client
    authentication and is ignored); an OAuthError when the Basic header is malformed.
    """
    if not authorization:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError) as exc:
        raise invalid_client("The Basic credentials are not valid base64 of 'id:secret'.") from exc
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise invalid_client("The Basic credentials are not valid base64 of 'id:secret'.")
    return ClientCredentials(unquote_plus(client_id), unquote_plus(secret))

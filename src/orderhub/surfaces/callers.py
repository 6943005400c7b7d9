"""Who is calling, for every surface: a consumer (an access token from
`POST /msapi/order/v1/auth`), a partner (a partner token from `POST /oauth/token`: the B2B,
onboarding, care and inventory APIs) or operations (the operator token).

Routes list their caller dependency before `SessionDep`: FastAPI resolves dependencies in
parameter order, so a request without a valid token is refused before it opens a
transaction (on SQLite, before it waits for the write lock). Each caller also names itself
on the request for the access line, never with personal data.

Operations hold one shared bearer token, not user accounts: a small trusted team; per-
operator identities come with an identity provider. It is compared in constant time and
never logged.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderhub.config import Settings
from orderhub.errors import Forbidden, Unauthorized
from orderhub.identity import tokens
from orderhub.partners import tokens as partner_tokens
from orderhub.partners.tokens import PartnerPrincipal

# ---- consumers ------------------------------------------------------------------------

_consumer_bearer = HTTPBearer(
    auto_error=False, description="An access token from POST /msapi/order/v1/auth"
)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_consumer_bearer)],
) -> tokens.Principal:
    if credentials is None:
        raise Unauthorized(
            "Send 'Authorization: Bearer <accessToken>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    principal = tokens.verify(request.app.state.runtime.key, credentials.credentials, time.time())
    if principal is None:
        raise Unauthorized(
            "The access token is invalid or has expired.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    # For the access line: the customer's id, never a prospect's phone or e-mail.
    request.state.caller = (
        f"customer:{principal.customer_id}" if principal.customer_id else "prospect"
    )
    return principal


PrincipalDep = Annotated[tokens.Principal, Depends(current_principal)]

# ---- partners -------------------------------------------------------------------------

_partner_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="PartnerToken",
    description="A partner access token from POST /oauth/token (client credentials).",
)


def partner_caller(missing: str) -> Any:
    """The partner dependency, with `missing` as the 401's detail when no token was sent
    (a surface whose seed lists other headers says which one to add, and where)."""

    async def current_partner(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_partner_bearer)],
    ) -> PartnerPrincipal:
        if credentials is None:
            raise Unauthorized(missing, headers={"WWW-Authenticate": "Bearer"})
        # Only partner tokens verify here: a consumer token (`v1.`) is refused like a
        # forged one.
        principal = partner_tokens.verify(
            request.app.state.runtime.key, credentials.credentials, time.time()
        )
        if principal is None:
            raise Unauthorized(
                "The access token is invalid, has expired, or is not a partner token.",
                code="invalid_token",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        request.state.caller = f"partner:{principal.partner_id}"  # for the access line
        return principal

    return current_partner


current_partner = partner_caller(
    "Send 'Authorization: Bearer <access_token>' from POST /oauth/token."
)


PartnerDep = Annotated[PartnerPrincipal, Depends(current_partner)]
# Seed 004 lists only its X-ATT-* headers: a care client sending just those learns what
# to add, and where it is documented.
CarePartnerDep = Annotated[
    PartnerPrincipal,
    Depends(
        partner_caller(
            "The care API needs 'Authorization: Bearer <access_token>' beside the seed's "
            "X-ATT-* headers: get the token from POST /oauth/token with your client "
            "credentials (grant_type=client_credentials). See docs/care-orders.md, "
            '"Headers".'
        )
    ),
]


def idempotency_scope(principal: PartnerPrincipal) -> str:
    """Keys are per partner; the prefix keeps them apart from consumer scopes."""
    return f"partner:{principal.partner_id}"


# ---- operations -----------------------------------------------------------------------

ENV = "ORDERHUB_OPERATOR_TOKEN"
# Published in docs/sandbox.md, so accepted in sandbox mode only.
SANDBOX_OPERATOR_TOKEN = "sandbox-operator-token"
ACTOR = "operator:api"

_operator_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="OperatorToken",
    description=f"The operator token: {ENV}, or in sandbox mode '{SANDBOX_OPERATOR_TOKEN}'.",
)


def operator_token(settings: Settings) -> str | None:
    """The configured token; in sandbox mode the published default when none is set.

    Read from the environment here because Settings (config.py) has no field for it yet.
    """
    configured = os.environ.get(ENV) or None
    if configured is None and settings.sandbox:
        return SANDBOX_OPERATOR_TOKEN
    return configured


async def require_operator(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_operator_bearer)],
) -> str:
    expected = operator_token(request.app.state.runtime.settings)
    if expected is None:
        raise Forbidden(
            f"The operator API is disabled: set {ENV} to enable it.",
            code="operator_api_disabled",
        )
    if credentials is None:
        raise Unauthorized(
            "Send 'Authorization: Bearer <operator token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise Unauthorized(
            "The operator token is not valid.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.state.caller = "operator"  # for the access line
    return ACTOR


OperatorDep = Annotated[str, Depends(require_operator)]

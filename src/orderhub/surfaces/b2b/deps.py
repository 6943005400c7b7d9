"""The B2B caller: a partner, from a partner access token (POST /oauth/token)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderhub.errors import Unauthorized
from orderhub.partners import tokens
from orderhub.partners.tokens import PartnerPrincipal

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="PartnerToken",
    description="A partner access token from POST /oauth/token (client credentials).",
)


# Routes list PartnerDep before SessionDep, like PrincipalDep: a request without a valid
# token is refused before it opens a transaction.
async def current_partner(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> PartnerPrincipal:
    if credentials is None:
        raise Unauthorized(
            "Send 'Authorization: Bearer <access_token>' from POST /oauth/token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Only partner tokens verify here: a consumer token (`v1.`) is refused like a forged one.
    principal = tokens.verify(request.app.state.runtime.key, credentials.credentials, time.time())
    if principal is None:
        raise Unauthorized(
            "The access token is invalid, has expired, or is not a partner token.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.state.caller = f"partner:{principal.partner_id}"  # for the access line
    return principal


PartnerDep = Annotated[PartnerPrincipal, Depends(current_partner)]


def idempotency_scope(principal: PartnerPrincipal) -> str:
    """Keys are per partner; the prefix keeps them apart from consumer scopes."""
    return f"partner:{principal.partner_id}"

"""Who is calling a TM Forum API. The TMF surface takes the credentials the other surfaces
issue, and each sees what it sees elsewhere:

* a consumer access token (`v1.`, `POST /msapi/order/v1/auth`): that customer's own
  orders, customer record and lines; the catalog;
* a partner token (`p1.`, `POST /oauth/token`): the partner's own orders, its end
  customers and the lines of accounts it may act on; the catalog;
* the operator token: everything, and the only credential that may change the catalog.

Anything another caller owns does not exist for this one (404), as on every surface.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderhub.errors import Forbidden, Unauthorized
from orderhub.identity import tokens
from orderhub.partners import tokens as partner_tokens
from orderhub.surfaces.callers import ACTOR as OPERATOR_ACTOR
from orderhub.surfaces.callers import operator_token
from orderhub.visibility import Scope
from orderhub.webhooks.rules import OPERATIONS

OPERATOR = "operator"
PARTNER = "partner"
CUSTOMER = "customer"

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="TmfCaller",
    description="A consumer access token, a partner token or the operator token.",
)


@dataclass(frozen=True)
class TmfCaller:
    kind: str  # operator | partner | customer
    # The partner's or the customer's id; None for operations, and for a prospect (a
    # consumer token of somebody not yet a customer: nothing is theirs yet).
    id: str | None
    client_id: str | None = None  # the partner's API client

    @property
    def owner(self) -> str:
        """The ledger's and the outbox's name for what this caller owns."""
        if self.kind == OPERATOR:
            return OPERATIONS
        return f"{self.kind}:{self.id}"

    @property
    def actor(self) -> str:
        """Who did it, in order histories."""
        if self.kind == OPERATOR:
            return OPERATOR_ACTOR
        if self.kind == PARTNER:
            return f"partner:{self.id}"
        return self.id or "prospect"

    def scope(self) -> Scope:
        """Whose customers and products this caller sees (orderhub/visibility.py)."""
        if self.kind == OPERATOR:
            return Scope(everything=True)
        if self.kind == PARTNER:
            return Scope(partner_id=self.id)
        return Scope(consumer_id=self.id)

    def require_operator(self, what: str) -> None:
        if self.kind != OPERATOR:
            raise Forbidden(f"Only operations may {what}.", code="operator_only")


async def tmf_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TmfCaller:
    if credentials is None:
        raise Unauthorized(
            "Send 'Authorization: Bearer <token>': a consumer access token, a partner "
            "token or the operator token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    runtime = request.app.state.runtime
    token, now = credentials.credentials, time.time()
    caller: TmfCaller | None = None
    if token.startswith(f"{partner_tokens.PREFIX}."):
        partner = partner_tokens.verify(runtime.key, token, now)
        if partner is not None:
            caller = TmfCaller(PARTNER, partner.partner_id, partner.client_id)
    elif token.startswith("v1."):
        principal = tokens.verify(runtime.key, token, now)
        if principal is not None:
            caller = TmfCaller(CUSTOMER, principal.customer_id)
    else:
        expected = operator_token(runtime.settings)
        if expected is not None and hmac.compare_digest(token.encode(), expected.encode()):
            caller = TmfCaller(OPERATOR, None)
    if caller is None:
        raise Unauthorized(
            "The token is invalid or has expired.",
            code="invalid_token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.state.caller = caller.owner if caller.id or caller.kind == OPERATOR else "prospect"
    return caller


TmfCallerDep = Annotated[TmfCaller, Depends(tmf_caller)]

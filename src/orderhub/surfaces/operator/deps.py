"""The operations caller: anyone holding the operator token.

One shared bearer token, not user accounts: operations is a small trusted team and this
surface only decides exception requests; per-operator identities come with an identity
provider. The token is compared in constant time and never logged.
"""

from __future__ import annotations

import hmac
import os
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderhub.config import Settings
from orderhub.errors import Forbidden, Unauthorized

ENV = "ORDERHUB_OPERATOR_TOKEN"
# Published in docs/sandbox.md, so accepted in sandbox mode only.
SANDBOX_OPERATOR_TOKEN = "sandbox-operator-token"
ACTOR = "operator:api"

_bearer = HTTPBearer(
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
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
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

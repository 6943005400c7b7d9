"""POST /oauth/token: the OAuth 2 client-credentials grant (RFC 6749 §4.4) for partners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from orderhub.identity import attempts
from orderhub.identity.signin import check_secret
from orderhub.partners import rules
from orderhub.partners import service as partners
from orderhub.surfaces.b2b import schemas as s
from orderhub.surfaces.deps import RuntimeDep
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["partner authentication"])

_FORM_BODY = {
    "required": True,
    "content": {
        rules.FORM: {
            "schema": {
                "type": "object",
                "required": ["grant_type"],
                "properties": {
                    "grant_type": {"type": "string", "enum": [rules.GRANT_TYPE]},
                    "client_id": {"type": "string", "maxLength": rules.MAX_CLIENT_ID},
                    "client_secret": {"type": "string", "maxLength": rules.MAX_SECRET},
                    "scope": {
                        "type": "string",
                        "maxLength": rules.MAX_BODY_BYTES,
                        "description": "Accepted and ignored.",
                    },
                },
                # Other parameters are ignored (RFC 6749 §3.2); the whole body is at most
                # MAX_BODY_BYTES bytes, of at most 20 fields (partners/rules.py).
                "additionalProperties": {"type": "string", "maxLength": rules.MAX_BODY_BYTES},
                "propertyNames": {"maxLength": rules.MAX_BODY_BYTES},
                "maxProperties": 20,
            }
        }
    },
}


async def token_request(request: Request) -> rules.ClientCredentials:
    """The form is read and parsed here, before the route's transaction begins (no
    `await` inside a unit of work); FastAPI's form parsing would need python-multipart."""
    body = await request.body()
    return rules.parse_token_request(
        request.headers.get("content-type"), body, request.headers.get("authorization")
    )


@router.post(
    "/oauth/token",
    response_model=s.TokenOut,
    responses=problem_responses(400, 401, 429, 500),
    openapi_extra={"requestBody": _FORM_BODY},
)
async def issue_token(
    credentials: Annotated[rules.ClientCredentials, Depends(token_request)],
    runtime: RuntimeDep,
    response: Response,
) -> s.TokenOut:
    """Exchange a partner's client credentials for an access token.

    Form-encoded `grant_type=client_credentials` with `client_id` and `client_secret`, or
    the client's id and secret as HTTP Basic credentials. Errors carry RFC 6749 `error` and
    `error_description` (also as `code` and `detail`) in an application/problem+json body.
    Ten wrong secrets in a row for one client id make it wait a minute (429, Retry-After).
    """
    client = await check_secret(
        runtime.database,
        runtime.passwords,
        budget_key=partners.budget_key(credentials.client_id),
        policy=attempts.CLIENT_SECRET,
        find=lambda session: partners.find_client(session, client_id=credentials.client_id),
        matches=partners.usable_by(runtime.settings.sandbox),
        secret=credentials.client_secret,
    )
    if client is None:
        raise rules.invalid_client()
    partner_id = client.partner_id
    ttl = runtime.settings.token_ttl_seconds
    token = partners.issue_token(
        runtime.key, partner_id=partner_id, client_id=credentials.client_id, ttl_seconds=ttl
    )
    # RFC 6749 §5.1: a token answer must not be cached.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return s.TokenOut(access_token=token, expires_in=ttl)

"""Passkeys (biometric sign-in, seeds 000/001's third auth method): register one after
signing in, list and remove them, and sign in with one (docs/passkeys.md)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from orderhub.identity import passkeys
from orderhub.surfaces import idempotent
from orderhub.surfaces.callers import PrincipalDep
from orderhub.surfaces.deps import ConsumerIdempotencyKey, PageDep, RuntimeDep, SessionDep
from orderhub.surfaces.direct import passkey_schemas as p
from orderhub.surfaces.direct import passkey_views as views
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["authentication"])


@router.post(
    "/v1/passkeys/registration-options",
    response_model=p.RegistrationOptionsOut,
    response_model_exclude_none=True,
    responses=problem_responses(401, 403, 500),
)
async def passkey_registration_options(
    principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> p.RegistrationOptionsOut:
    """Start registering a passkey for the signed-in customer: pass `publicKey` to
    `navigator.credentials.create()`, then send the result to `POST /v1/passkeys` with
    `challengeId` within 5 minutes. A prospect (no customer yet) gets 403."""
    options = passkeys.registration_options(session, principal=principal, settings=runtime.settings)
    return views.registration_options(options)


@router.post(
    "/v1/passkeys",
    status_code=201,
    response_model=p.PasskeyOut,
    responses=problem_responses(400, 401, 403, 409, 422, 500),
)
async def create_passkey(
    request: Request,
    body: p.PasskeyCreateIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    idempotency_key: ConsumerIdempotencyKey = None,
) -> JSONResponse:
    """Keep the passkey `navigator.credentials.create()` made. The challenge is used up
    by this call, whatever its outcome. 201 with `Location: /msapi/order/v1/passkeys/{id}`."""

    def produce() -> dict:
        row = passkeys.register(
            session,
            principal=principal,
            challenge_id=body.challenge_id,
            credential=p.credential_json(body.credential),
            name=body.name,
            settings=runtime.settings,
        )
        return views.passkey(row).model_dump(mode="json", by_alias=True)

    response = idempotent.respond(
        request,
        session,
        scope=principal.subject,
        key=idempotency_key,
        body=body.model_dump(mode="json"),
        status_code=201,
        produce=produce,
    )
    response.headers["Location"] = f"{s.BASE}/v1/passkeys/{json.loads(response.body)['id']}"
    return response


@router.get(
    "/v1/passkeys", response_model=p.PasskeysOut, responses=problem_responses(401, 403, 422, 500)
)
async def list_passkeys(
    principal: PrincipalDep, session: SessionDep, page: PageDep
) -> p.PasskeysOut:
    """The caller's passkeys, oldest first."""
    rows = passkeys.list_own(session, principal=principal, limit=page.limit, offset=page.offset)
    return p.PasskeysOut(
        passkeys=[views.passkey(r) for r in rows], limit=page.limit, offset=page.offset
    )


@router.get(
    "/v1/passkeys/{id}",
    response_model=p.PasskeyOut,
    responses=problem_responses(401, 403, 404, 422, 500),
)
async def get_passkey(
    id: p.PasskeyId, principal: PrincipalDep, session: SessionDep
) -> p.PasskeyOut:
    """One of the caller's passkeys; another customer's is a 404."""
    return views.passkey(passkeys.get(session, principal=principal, passkey_id=id))


@router.delete(
    "/v1/passkeys/{id}",
    response_model=p.PasskeyOut,
    responses=problem_responses(401, 403, 404, 422, 500),
)
async def delete_passkey(
    id: p.PasskeyId, principal: PrincipalDep, session: SessionDep
) -> p.PasskeyOut:
    """Remove one of the caller's passkeys: it signs nobody in any more. Answers the
    removed passkey; afterwards its id is a 404, as is another customer's passkey."""
    row = passkeys.remove(session, principal=principal, passkey_id=id)
    return views.passkey(row)


@router.post(
    "/v1/passkeys/authentication-options",
    response_model=p.AuthenticationOptionsOut,
    response_model_exclude_none=True,
    responses=problem_responses(400, 422, 429, 500),
)
async def passkey_authentication_options(
    session: SessionDep,
    runtime: RuntimeDep,
    body: Annotated[p.AuthenticationOptionsIn | None, Body()] = None,
) -> p.AuthenticationOptionsOut:
    """Start a passkey sign-in (no token): pass `publicKey` to
    `navigator.credentials.get()`, then send the result to `POST /v1/auth/passkey` with
    `challengeId` within 5 minutes. With `username` (phone or e-mail) only that customer's
    passkeys are offered; without a body, the device offers any passkey it holds for us."""
    options = passkeys.authentication_options(
        session,
        username=body.username if body else None,
        settings=runtime.settings,
        key=runtime.key,
    )
    return views.authentication_options(options)


@router.post(
    "/v1/auth/passkey",
    response_model=s.TokenOut,
    responses=problem_responses(400, 401, 422, 429, 500),
)
async def authenticate_with_passkey(
    body: p.PasskeyAuthIn, session: SessionDep, runtime: RuntimeDep
) -> s.TokenOut:
    """Exchange a passkey assertion (`navigator.credentials.get()`'s result) for an access
    token, as `POST /v1/auth` does for a code or password. The challenge is used up by this
    call; a counter that did not grow is refused (a copied passkey); five failures in a
    row lock the passkey for 15 minutes."""
    token = passkeys.sign_in(
        session,
        challenge_id=body.challenge_id,
        credential=p.credential_json(body.credential),
        settings=runtime.settings,
        key=runtime.key,
    )
    return s.TokenOut(access_token=token, expires_in=runtime.settings.token_ttl_seconds)

"""Step 1 of seed 001: authentication methods, OTP generation, sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from orderhub.identity import attempts
from orderhub.identity import service as identity
from orderhub.identity.signin import check_secret
from orderhub.runtime import Runtime
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.direct import schemas as s
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["authentication"])


@router.get(
    "/v1/auth-methods",
    response_model=s.AuthMethodsOut,
    response_model_exclude_none=True,
    responses=problem_responses(500),
)
async def auth_methods() -> s.AuthMethodsOut:
    """The ways a customer can sign in."""
    return s.AuthMethodsOut(auth_methods=[s.AuthMethodOut(**m) for m in identity.AUTH_METHODS])


@router.post(
    "/v1/auth/generateotp",
    response_model=s.OtpOut,
    responses=problem_responses(400, 422, 429, 500, 503),
)
async def generate_otp(body: s.GenerateOtpIn, session: SessionDep, runtime: RuntimeDep) -> s.OtpOut:
    """Send a 6-digit code by SMS or e-mail. The answer is the same whether or not the
    phone or e-mail belongs to a customer; in the sandbox, read the code at
    GET /sandbox/v1/messages?to=<identifier>."""
    challenge = identity.issue_otp(
        session,
        identifier=body.identifier,
        channel=body.channel,
        settings=runtime.settings,
        messenger=runtime.adapters.messenger,
        key=runtime.key,
    )
    return s.OtpOut(
        otp_id=challenge["id"], channel=challenge["channel"], expires_at=challenge["expires_at"]
    )


@router.post(
    "/v1/auth", response_model=s.TokenOut, responses=problem_responses(400, 401, 422, 429, 500)
)
async def authenticate(body: Annotated[s.AuthIn, Body()], runtime: RuntimeDep) -> s.TokenOut:
    """Exchange an OTP (single use, 10 minutes, 5 tries; ten wrong codes in a row lock the
    phone or e-mail) or a password (five wrong in a row lock it for 15 minutes) for an
    access token."""
    if isinstance(body, s.OtpAuthIn):
        async with runtime.database.request_transaction(write=True) as session:
            token = identity.sign_in_with_otp(
                session,
                otp_id=body.otp_id,
                code=body.code,
                settings=runtime.settings,
                key=runtime.key,
            )
    else:
        token = await _sign_in_with_password(body, runtime)
    return s.TokenOut(access_token=token, expires_in=runtime.settings.token_ttl_seconds)


async def _sign_in_with_password(body: s.PasswordAuthIn, runtime: Runtime) -> str:
    login = await check_secret(
        runtime.database,
        runtime.passwords,
        budget_key=identity.password_budget_key(body.username),
        policy=attempts.PASSWORD,
        find=lambda session: identity.find_password_credential(session, username=body.username),
        matches=identity.login_password_matches,
        secret=body.password,
    )
    if login is None:
        raise identity.SignInFailed("The username or password is wrong.")
    return identity.password_token(login, settings=runtime.settings, key=runtime.key)

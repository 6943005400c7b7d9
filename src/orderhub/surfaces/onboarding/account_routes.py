"""Seed 003, "Create the Account": accounts of a service provider's end customers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from orderhub.identity.service import hash_password
from orderhub.onboarding import accounts
from orderhub.surfaces.callers import PartnerDep
from orderhub.surfaces.deps import RuntimeDep, SessionDep
from orderhub.surfaces.onboarding import schemas as s
from orderhub.surfaces.onboarding import views
from orderhub.surfaces.schemas import problem_responses

router = APIRouter(tags=["onboarding accounts"])


async def _portal_password_hash(body: s.AccountIn, runtime: RuntimeDep) -> str:
    # ~0.1 s of CPU on the hashing threads, and before the transaction opens (routes list
    # this dependency before SessionDep), so no connection or lock is held meanwhile.
    return await runtime.passwords.run(hash_password, body.portal.password)


PasswordHash = Annotated[str, Depends(_portal_password_hash)]


@router.post(
    "/accounts",
    status_code=201,
    response_model=s.AccountOut,
    responses=problem_responses(400, 401, 409, 422, 500),
)
async def create_account(
    body: s.AccountIn, partner: PartnerDep, password_hash: PasswordHash, session: SessionDep
) -> s.AccountOut:
    """An account with its contacts and customer-portal credentials (the password is kept
    only as an argon2 hash and never returned). A taken username is a 409."""
    row = accounts.create(
        session,
        partner_id=partner.partner_id,
        customer=body.customer.model_dump(by_alias=True, exclude_none=True),
        primary_contact=body.primary_contact.model_dump(by_alias=True),
        billing_contact=body.billing_contact.model_dump(by_alias=True),
        username=body.portal.username,
        password_hash=password_hash,
    )
    return views.account(session, row)


@router.get(
    "/accounts/{id}", response_model=s.AccountOut, responses=problem_responses(401, 404, 422, 500)
)
async def get_account(id: s.Id, partner: PartnerDep, session: SessionDep) -> s.AccountOut:
    """Seed method GetAccount."""
    found = accounts.get(session, partner_id=partner.partner_id, account_id=id)
    return views.account(session, found)


@router.post(
    "/accounts/find-by-credentials",
    response_model=s.AccountOut,
    responses=problem_responses(400, 401, 422, 429, 500),
)
async def find_by_credentials(
    body: s.CredentialsIn, partner: PartnerDep, runtime: RuntimeDep
) -> s.AccountOut:
    """Seed method GetAccountFromUsernameAndPassword. Wrong credentials are one 401 that
    does not say which part was wrong, and cost the same either way; five wrong passwords
    in a row lock the account's sign-in for 15 minutes (429 with Retry-After)."""
    found = await accounts.sign_in(
        runtime.database,
        runtime.passwords,
        partner_id=partner.partner_id,
        username=body.username,
        password=body.password,
    )
    async with runtime.database.request_transaction(write=False) as session:
        return views.account(session, found)

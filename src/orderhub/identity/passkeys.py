"""Passkeys (WebAuthn): registering one after a sign-in, signing in with it, listing and
removing a customer's passkeys.

Every ceremony starts with options carrying a fresh challenge (passkey_challenges.py:
hashed, single use, 5 minutes). A challenge is spent by the first readable answer that
names it, and stays spent when that answer is refused (those errors keep the
transaction's writes). The checks of the answer itself are passkey_checks.py's.

A failed sign-in locks nothing: without the private key an answer cannot be forged, so a
lock would protect nothing and would let anybody who knows a customer's phone lock their
passkey with junk answers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import webauthn
from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from orderhub.config import Settings
from orderhub.customers import service as customers
from orderhub.customers.models import Customer
from orderhub.customers.rules import normalize_identifier
from orderhub.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    OrderHubError,
    Unauthorized,
    ValidationFailed,
)
from orderhub.identity import passkey_challenges as challenges
from orderhub.identity import passkey_checks as checks
from orderhub.identity.models import PasskeyCredential
from orderhub.identity.service import customer_token
from orderhub.identity.tokens import Principal
from orderhub.ids import new_id, utcnow

# Bounds what one customer can store; a person has a few devices.
MAX_PASSKEYS = 10
PASSKEYS = PasskeyCredential.__table__
CUSTOMERS = Customer.__table__

_OWN_PASSKEYS = (
    select(PASSKEYS)
    .where(PASSKEYS.c.customer_id == bindparam("b_customer"))
    .order_by(PASSKEYS.c.created_at, PASSKEYS.c.id)
)
_OWN_PAGE = _OWN_PASSKEYS.limit(bindparam("b_limit")).offset(bindparam("b_offset"))
_COUNT_OWN = select(func.count()).where(PASSKEYS.c.customer_id == bindparam("b_customer"))
_OWN_PASSKEY = select(PASSKEYS).where(
    PASSKEYS.c.id == bindparam("b_id"), PASSKEYS.c.customer_id == bindparam("b_customer")
)
_BY_CREDENTIAL = select(PASSKEYS).where(PASSKEYS.c.credential_id == bindparam("b_credential"))
_DELETE_OWN = delete(PASSKEYS).where(
    PASSKEYS.c.id == bindparam("b_id"), PASSKEYS.c.customer_id == bindparam("b_customer")
)
# Compare-and-set on the counter read: of two sign-ins racing with one counter value
# (a clone), only one moves it.
_RECORD_USE = (
    update(PASSKEYS)
    .where(PASSKEYS.c.id == bindparam("b_id"), PASSKEYS.c.sign_count == bindparam("b_seen"))
    .values(sign_count=bindparam("b_count"), last_used_at=bindparam("b_now"))
)
# Registrations of one customer take turns (PostgreSQL; SQLite writers always do), so two
# at once cannot both pass the MAX_PASSKEYS count.
_LOCK_CUSTOMER = (
    select(CUSTOMERS.c.id).where(CUSTOMERS.c.id == bindparam("b_customer")).with_for_update()
)
# What a name without passkeys is answered with: the shape of one phone's passkey.
_DECOY_TRANSPORTS = [AuthenticatorTransport.INTERNAL, AuthenticatorTransport.HYBRID]
_CUSTOMER_CONTACT = select(CUSTOMERS.c.phone, CUSTOMERS.c.email).where(
    CUSTOMERS.c.id == bindparam("b_customer")
)


def _insert_passkey(insert):  # type: ignore[no-untyped-def]
    # The credential id is unique: a second registration of it inserts nothing.
    statement = insert(PASSKEYS).on_conflict_do_nothing(index_elements=[PASSKEYS.c.credential_id])
    return statement.returning(PASSKEYS.c.id)


_INSERT_PASSKEY = {
    "postgresql": _insert_passkey(postgresql.insert),
    "sqlite": _insert_passkey(sqlite.insert),
}


class PasskeyNotFound(NotFound):
    code = "passkey_not_found"
    title = "Passkey not found"


class PasskeyNotAccepted(ValidationFailed):
    """A registration answer that does not check out; its challenge stays spent."""

    code = "passkey_not_verified"
    title = "Passkey not accepted"
    keep_changes = True


class PasskeySignInFailed(Unauthorized):
    """A sign-in answer that does not check out; the challenge and the failed attempt
    are kept."""

    code = "passkey_rejected"
    title = "Passkey sign-in failed"
    keep_changes = True


class PasskeyNeedsCustomer(Forbidden):
    code = "customer_required"
    title = "Customer required"


@dataclass(frozen=True)
class Options:
    """A ceremony's start: the challenge's id and expiry, and the browser's options."""

    challenge_id: str
    expires_at: datetime
    public_key: dict[str, Any]


def registration_options(session: Session, *, principal: Principal, settings: Settings) -> Options:
    """Options for navigator.credentials.create(): a passkey for the signed-in customer."""
    customer_id = _customer_of(session, principal)
    own = list(session.execute(_OWN_PASSKEYS, {"b_customer": customer_id}))
    challenge = checks.new_challenge()
    options = webauthn.generate_registration_options(
        rp_id=settings.webauthn_rp_id,
        rp_name=settings.webauthn_rp_name,
        # The user handle is the customer id: opaque, no phone or e-mail in it.
        user_id=customer_id.encode(),
        user_name=principal.identifier,
        challenge=challenge,
        timeout=int(challenges.PASSKEY_CHALLENGE_TTL.total_seconds() * 1000),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[_descriptor(p) for p in own],
        supported_pub_key_algs=checks.ALGORITHMS,
    )
    return _options(session, "registration", challenge, customer_id, options)


def register(
    session: Session,
    *,
    principal: Principal,
    challenge_id: str,
    credential: dict[str, Any],
    name: str | None,
    settings: Settings,
) -> Row:
    """Check a create() answer against its challenge and keep the new passkey."""
    customer_id = _customer_of(session, principal)
    parsed = _checked(checks.parse_registration, credential, PasskeyNotAccepted)
    challenge = challenges.consume(
        session, challenge_id=challenge_id, purpose="registration", customer_id=customer_id
    )
    verified = _checked(
        lambda c: checks.check_registration(c, _expected(settings, challenge)),
        parsed,
        PasskeyNotAccepted,
    )
    session.execute(_LOCK_CUSTOMER, {"b_customer": customer_id})
    if session.execute(_COUNT_OWN, {"b_customer": customer_id}).scalar_one() >= MAX_PASSKEYS:
        raise Conflict(
            f"A customer may have {MAX_PASSKEYS} passkeys; delete one first.",
            code="passkey_limit_reached",
        )
    now = utcnow()
    passkey_id = new_id("pk")
    row = {
        "id": passkey_id,
        "customer_id": customer_id,
        "credential_id": bytes_to_base64url(verified.credential_id),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "transports": ",".join(t.value for t in parsed.response.transports or []),
        "name": name or "Passkey",
        "backed_up": verified.credential_backed_up,
        "created_at": now,
        "last_used_at": None,
    }
    dialect = session.get_bind().dialect.name
    if session.execute(_INSERT_PASSKEY[dialect], row).first() is None:
        raise Conflict("This passkey is already registered.", code="passkey_exists")
    return get(session, principal=principal, passkey_id=passkey_id)


def authentication_options(
    session: Session, *, username: str | None, settings: Settings, key: bytes
) -> Options:
    """Options for navigator.credentials.get(). With a username (phone or e-mail), only
    that customer's passkeys are allowed; without, any discoverable passkey of this site."""
    customer_id = None
    allowed: list[PublicKeyCredentialDescriptor] = []
    if username is not None:
        parsed = normalize_identifier(username)
        if parsed is None:
            raise ValidationFailed.one(
                "username", "phone_or_email", "The username must be a 10-digit phone or an e-mail."
            )
        customer_id = customers.id_by_identifier(session, parsed[1])
        if customer_id is not None:
            rows = session.execute(_OWN_PASSKEYS, {"b_customer": customer_id})
            allowed = [_descriptor(p) for p in rows]
        if not allowed:
            # One stable, made-up credential shaped like a phone's passkey: a name without
            # passkeys (or no customer) answers like a customer with one passkey.
            decoy = hmac.new(key, f"passkey-decoy:{parsed[1]}".encode(), hashlib.sha256)
            allowed = [
                PublicKeyCredentialDescriptor(id=decoy.digest()[:16], transports=_DECOY_TRANSPORTS)
            ]
    challenge = checks.new_challenge()
    options = webauthn.generate_authentication_options(
        rp_id=settings.webauthn_rp_id,
        challenge=challenge,
        timeout=int(challenges.PASSKEY_CHALLENGE_TTL.total_seconds() * 1000),
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return _options(session, "authentication", challenge, customer_id, options)


def sign_in(
    session: Session,
    *,
    challenge_id: str,
    credential: dict[str, Any],
    settings: Settings,
    key: bytes,
) -> str:
    """Check a get() answer against its challenge and the stored passkey: an access token."""
    parsed = _checked(checks.parse_assertion, credential, ValidationFailed)
    challenge = challenges.consume(
        session, challenge_id=challenge_id, purpose="authentication", customer_id=None
    )
    passkey = session.execute(_BY_CREDENTIAL, {"b_credential": parsed.id}).first()
    if passkey is None or (challenge.customer_id not in (None, passkey.customer_id)):
        raise PasskeySignInFailed("This passkey is not registered here (was it deleted?).")
    user_handle = parsed.response.user_handle
    if user_handle is None and challenge.customer_id is None:
        # A discoverable sign-in names its user (WebAuthn 7.2): the handle stored with it.
        raise PasskeySignInFailed(
            "A sign-in without a username needs the passkey's userHandle.",
            code="passkey_user_handle_missing",
            errors=[
                FieldProblem(
                    "credential.response.userHandle",
                    "passkey_user_handle_missing",
                    "Send the userHandle the authenticator returned.",
                )
            ],
        )
    if user_handle is not None and user_handle != passkey.customer_id.encode():
        raise PasskeySignInFailed("The passkey's user handle is not its customer's.")
    now = utcnow()
    new_count = _checked(
        lambda c: checks.check_assertion(
            c,
            _expected(settings, challenge),
            public_key=passkey.public_key,
            sign_count=passkey.sign_count,
        ),
        parsed,
        PasskeySignInFailed,
    )
    moved = session.execute(
        _RECORD_USE,
        {"b_id": passkey.id, "b_seen": passkey.sign_count, "b_count": new_count, "b_now": now},
    ).rowcount
    if moved != 1:
        raise PasskeySignInFailed(
            "Another sign-in used this passkey's counter at the same time: the passkey may "
            "have been copied.",
            code="passkey_sign_count_regressed",
        )
    contact = session.execute(_CUSTOMER_CONTACT, {"b_customer": passkey.customer_id}).one()
    return customer_token(
        customer_id=passkey.customer_id,
        identifier=contact.phone or contact.email or passkey.customer_id,
        settings=settings,
        key=key,
    )


def list_own(session: Session, *, principal: Principal, limit: int, offset: int) -> list[Row]:
    """The caller's passkeys, oldest first."""
    customer_id = _customer_of(session, principal)
    params = {"b_customer": customer_id, "b_limit": limit, "b_offset": offset}
    return list(session.execute(_OWN_PAGE, params))


def get(session: Session, *, principal: Principal, passkey_id: str) -> Row:
    """One of the caller's passkeys; anybody else's does not exist (404)."""
    customer_id = _customer_of(session, principal)
    row = session.execute(_OWN_PASSKEY, {"b_id": passkey_id, "b_customer": customer_id}).first()
    if row is None:
        raise PasskeyNotFound(f"No passkey '{passkey_id}' was found.")
    return row


def remove(session: Session, *, principal: Principal, passkey_id: str) -> Row:
    """Delete one of the caller's passkeys (it signs nobody in any more); returns it."""
    row = get(session, principal=principal, passkey_id=passkey_id)
    params = {"b_id": passkey_id, "b_customer": row.customer_id}
    if session.execute(_DELETE_OWN, params).rowcount != 1:
        raise PasskeyNotFound(f"No passkey '{passkey_id}' was found.")
    return row


# ---- the steps ------------------------------------------------------------------------------


def _customer_of(session: Session, principal: Principal) -> str:
    """The caller's customer id; a prospect (no customer yet) has nothing to attach to."""
    if principal.customer_id:
        return principal.customer_id
    customer_id = customers.id_by_identifier(session, principal.identifier)
    if customer_id is None:
        raise PasskeyNeedsCustomer(
            "Passkeys belong to customers; this sign-in has no customer yet (create an "
            "order first, or sign in as an existing customer)."
        )
    return customer_id


def _options(
    session: Session, purpose: str, challenge: bytes, customer_id: str | None, options: Any
) -> Options:
    row = challenges.start(session, purpose=purpose, challenge=challenge, customer_id=customer_id)
    public_key = json.loads(webauthn.options_to_json(options))
    return Options(challenge_id=row.id, expires_at=row.expires_at, public_key=public_key)


def _expected(settings: Settings, challenge: Row) -> checks.Expected:
    return checks.Expected(
        rp_id=settings.webauthn_rp_id,
        origins=settings.webauthn_origins,
        challenge_hash=challenge.challenge_hash,
    )


def _checked(check: Any, value: Any, error: type[OrderHubError]) -> Any:
    """`check(value)`, with a refusal raised as the step's error, naming field and rule."""
    try:
        return check(value)
    except checks.CheckFailed as failed:
        raise error(
            failed.message,
            code=failed.code,
            errors=[FieldProblem(failed.field, failed.code, failed.message)],
        ) from failed


def _descriptor(passkey: Row) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in passkey.transports.split(",") if t]
    return PublicKeyCredentialDescriptor(
        id=webauthn.base64url_to_bytes(passkey.credential_id), transports=transports or None
    )

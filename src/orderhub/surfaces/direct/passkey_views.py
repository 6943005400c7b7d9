"""Shaping passkeys and ceremony options for the consumer API (passkey_schemas.py)."""

from __future__ import annotations

from sqlalchemy import Row

from orderhub.identity.passkeys import Options
from orderhub.surfaces.direct import passkey_schemas as p


def passkey(row: Row) -> p.PasskeyOut:
    """A passkey as its owner sees it: never its public key or counter."""
    return p.PasskeyOut(
        id=row.id,
        name=row.name,
        credential_id=row.credential_id,
        transports=[t for t in row.transports.split(",") if t],
        backed_up=row.backed_up,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )


def registration_options(options: Options) -> p.RegistrationOptionsOut:
    return p.RegistrationOptionsOut(
        challenge_id=options.challenge_id,
        expires_at=options.expires_at,
        public_key=p.CreationOptionsOut.model_validate(options.public_key),
    )


def authentication_options(options: Options) -> p.AuthenticationOptionsOut:
    return p.AuthenticationOptionsOut(
        challenge_id=options.challenge_id,
        expires_at=options.expires_at,
        public_key=p.RequestOptionsOut.model_validate(options.public_key),
    )

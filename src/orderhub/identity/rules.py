"""One-time codes and their checks: pure functions of values."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from enum import StrEnum


class OtpOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"


def new_otp_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_otp(key: bytes, challenge_id: str, code: str) -> str:
    # Keyed and salted by the challenge: a plain hash of six digits is one lookup away.
    return hmac.new(key, f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def check_otp(
    *,
    key: bytes,
    challenge_id: str,
    code_hash: str,
    attempts: int,
    expires_at: datetime,
    consumed: bool,
    code: str,
    now: datetime,
    max_attempts: int,
) -> OtpOutcome:
    """Judge one try. Order matters: a used or locked challenge says so even for the right code."""
    if consumed:
        return OtpOutcome.USED
    if attempts >= max_attempts:
        return OtpOutcome.LOCKED
    if now >= expires_at:
        return OtpOutcome.EXPIRED
    if hmac.compare_digest(code_hash, hash_otp(key, challenge_id, code)):
        return OtpOutcome.OK
    return OtpOutcome.WRONG

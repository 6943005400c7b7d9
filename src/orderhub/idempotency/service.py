"""Idempotency-Key handling: the first answer is kept and replayed for the same request."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from orderhub.db import serialize_on
from orderhub.errors import Conflict, ValidationFailed
from orderhub.idempotency.models import IdempotencyRecord
from orderhub.ids import utcnow

RECORDS = IdempotencyRecord.__table__
_KEYED = (RECORDS.c.scope == bindparam("scope"), RECORDS.c.key == bindparam("key"))
_GET = select(RECORDS).where(*_KEYED)
_DELETE = delete(RECORDS).where(*_KEYED)
_INSERT = insert(RECORDS)


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def replay(
    session: Session,
    *,
    scope: str,
    key: str,
    request_hash: str,
    ttl_seconds: int,
    key_field: str = "Idempotency-Key",
) -> Row | None:
    """The stored answer for this key, None if the key is new; 422 if it was used differently.

    Requests with one key run one at a time, so a concurrent repeat waits for the first
    and then replays its answer instead of running the operation again. A key is
    remembered for `ttl_seconds`; after that it is free again (its old answer is dropped).
    """
    serialize_on(session, f"idempotency:{scope}:{key}")
    keyed = {"scope": scope, "key": key}
    record = session.execute(_GET, keyed).first()
    if record is not None and record.created_at <= utcnow() - timedelta(seconds=ttl_seconds):
        session.execute(_DELETE, keyed)
        return None
    if record is not None and record.request_hash != request_hash:
        raise ValidationFailed.one(
            key_field, "key_reused", f"This {key_field} was already used with a different request."
        )
    return record


def remember(
    session: Session, *, scope: str, key: str, request_hash: str, status_code: int, body: Any
) -> None:
    record = {
        "scope": scope,
        "key": key,
        "request_hash": request_hash,
        "status_code": status_code,
        "body": body,
        "created_at": utcnow(),
    }
    try:
        session.execute(_INSERT, record)
    except IntegrityError as exc:
        # A concurrent request with the same key won the insert; its answer is the one.
        raise Conflict(
            "A request with this Idempotency-Key is being processed; retry shortly.",
            code="idempotency_in_progress",
        ) from exc

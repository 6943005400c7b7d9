"""Checking a care order against the inventory before it is accepted.

Every problem is collected (one per failing change request and field) so the client
fixes everything in one round; what is accepted but worth knowing is a warning. The
lookups are a fixed handful of queries whatever the number of change requests.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.careorders import rules, states
from orderhub.careorders import update_checks as updates
from orderhub.careorders.models import CareChange
from orderhub.errors import FieldProblem, ValidationFailed
from orderhub.inventory.models import AccountGroup, Feature, RatePlan
from orderhub.inventory.service import (
    LINE_FEATURES,
    SUBSCRIBERS,
    AccountNotFound,
    account_for_partner,
    next_bill_date,
)

CHANGES = CareChange.__table__
GROUPS = AccountGroup.__table__
CATALOG = Feature.__table__
PLANS = RatePlan.__table__
ROOT = "careOrderRequest"

_GROUP = select(GROUPS.c.id).where(
    GROUPS.c.id == bindparam("b_group"), GROUPS.c.account_number == bindparam("b_number")
)
_LINES = select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn.in_(bindparam("ctns", expanding=True)))
_LINE_FEATURES = select(LINE_FEATURES).where(
    LINE_FEATURES.c.ctn.in_(bindparam("ctns", expanding=True)), LINE_FEATURES.c.status == "active"
)
_CATALOG = select(CATALOG).where(CATALOG.c.sku.in_(bindparam("skus", expanding=True)))
_PLANS = select(PLANS.c.id).where(PLANS.c.id.in_(bindparam("plans", expanding=True)))
# Status moves already accepted for these lines and not yet applied: a resume accepted
# while a suspend waits for its date is checked against the suspended line it will meet.
_PENDING_MOVES = (
    select(CHANGES.c.ctn, CHANGES.c.type, CHANGES.c.due_at)
    .where(
        CHANGES.c.ctn.in_(bindparam("ctns", expanding=True)),
        CHANGES.c.status.in_(("received", "scheduled")),
        CHANGES.c.type.in_(bindparam("moves", expanding=True)),
    )
    .order_by(CHANGES.c.due_at, CHANGES.c.received_at, CHANGES.c.care_order_id, CHANGES.c.position)
)
STATUS_MOVES = tuple(kind for kind, (_, to) in states.SUBSCRIBER_MOVES.items() if to)
_DEVICES_IN_USE = select(SUBSCRIBERS.c.ctn, SUBSCRIBERS.c.imei).where(
    SUBSCRIBERS.c.imei.in_(bindparam("imeis", expanding=True)),
    SUBSCRIBERS.c.status != "cancelled",
)


@dataclass
class AcceptedChange:
    position: int
    type: str
    ctn: str
    change_request_id: str | None
    payload: dict[str, Any]
    effective: str
    due_at: datetime
    warnings: list[dict[str, str]] = field(default_factory=list)


def pin_digest(key: bytes, ctn: str, pin: str) -> str:
    """A voicemail PIN as stored: keyed, so a 4-digit PIN cannot be guessed from a dump."""
    return hmac.new(key, f"voicemail-pin:{ctn}:{pin}".encode(), hashlib.sha256).hexdigest()


def check(
    session: Session, *, partner_id: str, request: dict[str, Any], now: datetime, key: bytes
) -> list[AcceptedChange]:
    """The accepted change requests, or ValidationFailed with every problem found."""
    changes: list[dict[str, Any]] = request["changeRequest"]
    problems: list[FieldProblem] = []
    for index, change in enumerate(changes):
        problems += [
            FieldProblem(f"{ROOT}.{p.field}", p.rule, p.message)
            for p in rules.change_request_problems(index, change)
        ]
    number = request["foundationAccountNumber"]
    try:
        account_for_partner(session, partner_id=partner_id, number=number)
    except AccountNotFound:
        # One answer for "no such account" and "not yours": nothing leaks about others.
        raise ValidationFailed.one(
            f"{ROOT}.foundationAccountNumber",
            "account_access",
            f"No account '{number}' that this client may act on.",
        ) from None
    group = request.get("accountGroupId")
    if group and session.execute(_GROUP, {"b_group": group, "b_number": number}).first() is None:
        problems.append(
            FieldProblem(
                f"{ROOT}.accountGroupId",
                "unknown_account_group",
                f"Account '{number}' has no account group '{group}'.",
            )
        )
        group = None  # reported once here, not again on every line
    ctns = sorted({c["ctn"] for c in changes if isinstance(c.get("ctn"), str)})
    lines = {row.ctn: row for row in session.execute(_LINES, {"ctns": ctns})}
    line_features: dict[str, list[Row]] = {}
    for row in session.execute(_LINE_FEATURES, {"ctns": ctns}):
        if row.expires_at is None or row.expires_at > now:
            line_features.setdefault(row.ctn, []).append(row)
    skus = sorted(
        {
            item["id"]
            for c in changes
            for item in c.get("items") or []
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        }
        | {f.sku for fs in line_features.values() for f in fs}
    )
    catalog = {row.sku: row for row in session.execute(_CATALOG, {"skus": skus})}
    wanted_plans = sorted({c["ratePlan"] for c in changes if c.get("ratePlan")})
    plans = set(session.execute(_PLANS, {"plans": wanted_plans}).scalars())
    imeis = sorted({(c.get("device") or {}).get("imei") for c in changes} - {None})
    in_use = {row.imei: row.ctn for row in session.execute(_DEVICES_IN_USE, {"imeis": imeis})}

    # When each change takes effect, then the line statuses they will meet then.
    dues: dict[int, tuple[str, datetime, list[dict[str, str]]]] = {}
    for index, change in enumerate(changes):
        line = lines.get(change.get("ctn"))
        if line is not None and change.get("type") in rules.TYPES:
            warnings: list[dict[str, str]] = []
            at = f"{ROOT}.changeRequest.{index}"
            dues[index] = (
                *_due(change, change["type"], line.bill_cycle_day, now, at, warnings),
                warnings,
            )
    moves = [
        (row.due_at, 0, seq, row.ctn, row.type)
        for seq, row in enumerate(
            session.execute(_PENDING_MOVES, {"ctns": ctns, "moves": STATUS_MOVES})
        )
    ] + [
        (dues[index][1], 1, index, changes[index]["ctn"], changes[index]["type"])
        for index in dues
        if changes[index]["type"] in STATUS_MOVES
    ]
    moves.sort()

    ids_seen: set[str] = set()
    devices_claimed: dict[str, str] = {}
    recurring: list[str] = []
    accepted = []
    # In the order they take effect (the worker's order), so each change meets the
    # features the order's earlier ones leave.
    for index in sorted(range(len(changes)), key=lambda i: (dues[i][1] if i in dues else now, i)):
        change = changes[index]
        at = f"{ROOT}.changeRequest.{index}"
        line = lines.get(change.get("ctn"))
        change_request_id = change.get("changeRequestId")
        if change_request_id is not None and change_request_id in ids_seen:
            problems.append(
                FieldProblem(
                    f"{at}.changeRequestId",
                    "duplicate_change_request_id",
                    "Each change request of an order needs its own changeRequestId.",
                )
            )
        ids_seen.add(change_request_id)
        if line is None or line.account_number != number:
            if rules.CTN.match(str(change.get("ctn"))):
                problems.append(
                    FieldProblem(
                        f"{at}.ctn",
                        "ctn_not_on_account",
                        f"The line is not on account '{number}'.",
                    )
                )
            continue
        if group and line.account_group_id and line.account_group_id != group:
            problems.append(
                FieldProblem(
                    f"{at}.ctn", "ctn_not_in_group", f"The line is not in account group '{group}'."
                )
            )
        kind = change.get("type")
        if kind not in rules.TYPES:
            continue
        items = [i for i in change.get("items") or [] if isinstance(i, dict)]
        effective, due_at, warnings = dues[index]
        status = _status_then(line, moves, (due_at, 1, index))
        refusal = states.line_refusal(
            kind, status, has_items=kind == "updateSubscriber" and bool(items)
        )
        if refusal:
            problems.append(FieldProblem(f"{at}.ctn", "subscriber_status", refusal))
            continue
        if kind == "updateSubscriber":
            plan = change.get("ratePlan") or line.rate_plan_id
            problems += updates.plan_problems(at, change, line, plans, catalog, line_features)
            problems += updates.item_problems(
                at, change, items, plan, catalog, line_features.get(line.ctn, []), recurring
            )
            warnings += updates.item_warnings(at, items, due_at)
            problems += updates.device_problems(at, change, line, in_use, devices_claimed)
            problems += updates.voicemail_problems(at, change, warnings)
            if updates.changes_nothing(change):
                problems.append(
                    FieldProblem(
                        at, "empty_change", "An updateSubscriber needs something to change."
                    )
                )
            line_features[line.ctn] = updates.features_after(line_features.get(line.ctn, []), items)
        warnings += _ignored_field_warnings(at, change, kind)
        accepted.append(
            AcceptedChange(
                position=index,
                type=kind,
                ctn=line.ctn,
                change_request_id=change.get("changeRequestId"),
                payload=_stored(change, key),
                effective=effective,
                due_at=due_at,
                warnings=warnings,
            )
        )
    if recurring and request.get("consentToRecurringCharges") is not True:
        problems.append(
            FieldProblem(
                f"{ROOT}.consentToRecurringCharges",
                "consent_required",
                f"Adding {', '.join(sorted(set(recurring)))} adds a recurring charge: "
                "send consentToRecurringCharges: true.",
            )
        )
    if problems:
        raise ValidationFailed("The care order is not valid.", errors=problems)
    return sorted(accepted, key=lambda change: change.position)


# Fields that act only for some change types; elsewhere they are accepted and ignored.
FIELDS_OF_TYPE = {
    "suspendServiceReason": {"suspendSubscriber"},
    "resumeServiceReason": {"resumeSubscriber"},
    "cancellationReason": {"cancelSubscriber"},
    "cancelServiceReason": {"cancelSubscriber"},
    "cancelEffectiveDate": {"cancelSubscriber"},
    "replaceDuplicateFeatures": {"updateSubscriber"},
    "replaceConflictingFeatures": {"updateSubscriber"},
} | {name: {"updateSubscriber"} for name in updates.UPDATE_FIELDS}


def _status_then(line: Row, moves: list[tuple], before: tuple) -> str:
    """The line's status when a change takes effect: its status now, moved by the
    status changes already accepted (and by this order's earlier ones) due before it."""
    status = line.status
    for *when, ctn, kind in moves:
        if tuple(when) >= before:
            break
        allowed, target = states.SUBSCRIBER_MOVES[kind]
        if ctn == line.ctn and status in allowed and target:
            status = target
    return status


def _ignored_field_warnings(at: str, change: dict[str, Any], kind: str) -> list[dict[str, str]]:
    return [
        updates.warning(f"{at}.{name}", "ignored_field", f"{name} has no effect on {kind} changes.")
        for name, kinds in FIELDS_OF_TYPE.items()
        if name in change and change[name] not in (None, [], False) and kind not in kinds
    ]


def _due(
    change: dict[str, Any],
    kind: str,
    bill_cycle_day: int,
    now: datetime,
    at: str,
    warnings: list[dict[str, str]],
) -> tuple[str, datetime]:
    """When the change takes effect: (effective kind, moment)."""
    name = "cancelEffectiveDate" if kind == "cancelSubscriber" else "effectiveDate"
    if name not in change and kind == "cancelSubscriber":
        name = "effectiveDate"
    parsed = rules.parse_effective(change.get(name, "immediate"))
    if parsed is None:  # an effective_date problem (rules): the order is refused anyway
        return "immediate", now
    if parsed.kind == "immediate":
        return "immediate", now
    if parsed.kind == "nextBillingCycle":
        day = next_bill_date(bill_cycle_day, now.date())
        return "nextBillingCycle", datetime.combine(day, time(), tzinfo=UTC)
    assert parsed.at is not None
    if parsed.at <= now:
        warnings.append(
            updates.warning(
                f"{at}.{name}", "date_past", "The date is past: the change applies now."
            )
        )
        return "date", now
    return "date", parsed.at.astimezone(UTC)


def _stored(change: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The change as kept until it is applied: a PIN only as its keyed digest."""
    stored = dict(change)
    reset = change.get("resetVoiceMail")
    if reset is not None:
        pin = reset.get("pin")
        stored["resetVoiceMail"] = {"autogeneratedPin": bool(reset.get("autogeneratedPin"))}
        if pin and not reset.get("autogeneratedPin"):
            stored["resetVoiceMail"]["pinDigest"] = pin_digest(key, change["ctn"], pin)
    return stored

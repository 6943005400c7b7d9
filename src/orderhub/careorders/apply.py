"""Applying one change request to its line, inside the worker's transaction.

The line was checked when the order was accepted, but it may have changed since (another
change applied first), so each rule that depends on the line is checked again here; a
change that no longer fits fails with its reason and changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from orderhub.adapters.messaging import Messenger
from orderhub.careorders import rules, states
from orderhub.careorders.checks import CATALOG, pin_digest
from orderhub.careorders.update_checks import sold
from orderhub.db import serialize_on
from orderhub.ids import iso_z, new_id
from orderhub.inventory.service import LINE_FEATURES, SUBSCRIBERS, record_event

_ACTIVE_FEATURES = select(LINE_FEATURES).where(
    LINE_FEATURES.c.ctn == bindparam("b_ctn"), LINE_FEATURES.c.status == "active"
)
_CATALOG = select(CATALOG).where(CATALOG.c.sku.in_(bindparam("skus", expanding=True)))
_REMOVE_FEATURE = (
    update(LINE_FEATURES)
    .where(LINE_FEATURES.c.id == bindparam("b_id"))
    .values(status="removed", expires_at=bindparam("b_now"), updated_at=bindparam("b_now"))
)
_DEVICE_HOLDER = select(SUBSCRIBERS.c.ctn).where(
    SUBSCRIBERS.c.imei == bindparam("b_imei"),
    SUBSCRIBERS.c.status != "cancelled",
    SUBSCRIBERS.c.ctn != bindparam("b_ctn"),
)


class Refused(Exception):
    """The change no longer fits the line: it fails with this code and reason."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass
class Applied:
    notes: list[str] = field(default_factory=list)
    line: dict[str, Any] = field(default_factory=dict)  # subscriber columns to set


def apply(
    session: Session,
    *,
    change: Row,
    line: Row,
    now: datetime,
    key: bytes,
    messenger: Messenger,
) -> list[str]:
    """Apply the change to the (locked) line; returns notes, or raises Refused.

    Dates on the line (features, history) are the change's effective moment, `due_at`:
    a worker that runs late, or a test clock moved past several cycles, records what
    would have happened on time. `now` stamps the bookkeeping."""
    payload = change.payload
    at = min(change.due_at, now)
    refusal = states.line_refusal(change.type, line.status, has_items=bool(payload.get("items")))
    if refusal:
        raise Refused("subscriber_status", refusal)
    done = Applied()
    target = states.SUBSCRIBER_MOVES[change.type][1]
    if target:
        done.line["status"] = target
        reason = payload.get(rules.REQUIRED_REASON[change.type])
        done.notes.append(f"Line {target} ({reason}).")
        if target == "cancelled":
            for feature in session.execute(_ACTIVE_FEATURES, {"b_ctn": line.ctn}):
                if feature.expires_at is None or feature.expires_at > at:  # else: it ended
                    session.execute(_REMOVE_FEATURE, {"b_id": feature.id, "b_now": at})
    else:
        _update(session, payload, line, at, key, messenger, done)
    values = done.line | {"updated_at": now}
    session.execute(update(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == line.ctn).values(**values))
    record_event(
        session,
        ctn=line.ctn,
        type=f"subscriber.{change.type}",
        actor=f"careOrder:{change.care_order_id}",
        data={
            "careOrderId": change.care_order_id,
            "changeId": change.id,
            "changeRequestId": change.change_request_id,
            "notes": done.notes,
        },
        at=at,
    )
    return done.notes


def _update(session, payload, line, at, key, messenger, done: Applied) -> None:
    if payload.get("ratePlan") and payload["ratePlan"] != line.rate_plan_id:
        done.line["rate_plan_id"] = payload["ratePlan"]
        done.notes.append(f"Rate plan {line.rate_plan_id} → {payload['ratePlan']}.")
    if payload.get("items"):
        _features(session, payload, line, at, done)
    if payload.get("udl"):
        labels = {entry["type"]: entry for entry in line.udl}
        for entry in payload["udl"]:
            labels[entry["type"]] = {"type": entry["type"], "value": entry["value"]}
        done.line["udl"] = list(labels.values())
        done.notes.append(f"{len(payload['udl'])} label(s) set.")
    for name, column in (
        ("subscriberContact", "subscriber_contact"),
        ("billingContact", "billing_contact"),
    ):
        if payload.get(name):
            done.line[column] = payload[name]
            done.notes.append(f"{name} replaced.")
    if payload.get("device"):
        _device(session, payload["device"], line, done)
    if payload.get("resetVoiceMail") is not None:
        _voicemail(session, payload["resetVoiceMail"], line, at, key, messenger, done)


def _features(session, payload, line, at, done: Applied) -> None:
    items = payload["items"]
    current = list(session.execute(_ACTIVE_FEATURES, {"b_ctn": line.ctn}))
    current = [f for f in current if f.expires_at is None or f.expires_at > at]
    skus = {i["id"] for i in items} | {f.sku for f in current}
    catalog = {row.sku: row for row in session.execute(_CATALOG, {"skus": sorted(skus)})}
    removed: set[str] = set()

    def drop(feature: Row, why: str) -> None:
        if feature.id not in removed:
            removed.add(feature.id)
            session.execute(_REMOVE_FEATURE, {"b_id": feature.id, "b_now": at})
            done.notes.append(f"{feature.sku} removed ({why}).")

    for item in (i for i in items if i["action"] == "remove"):
        matches = [f for f in current if f.sku == item["id"]]
        if not matches:
            done.notes.append(f"{item['id']} was not on the line; nothing to remove.")
        for feature in matches:
            drop(feature, "requested")
    plan = done.line.get("rate_plan_id", line.rate_plan_id)
    for item in (i for i in items if i["action"] == "add"):
        feature = catalog[item["id"]]
        if not sold(feature, plan):
            raise Refused("sku_not_for_plan", f"'{feature.sku}' is not sold with '{plan}'.")
        for existing in current:
            if existing.id in removed:
                continue
            if existing.sku == feature.sku:
                if not payload.get("replaceDuplicateFeatures"):
                    raise Refused("duplicate_feature", f"The line already has '{feature.sku}'.")
                drop(existing, f"replaced by the new {feature.sku}")
            elif feature.conflict_group and (
                catalog[existing.sku].conflict_group == feature.conflict_group
            ):
                if not payload.get("replaceConflictingFeatures"):
                    raise Refused(
                        "conflicting_feature", f"'{feature.sku}' conflicts with '{existing.sku}'."
                    )
                drop(existing, f"conflicts with {feature.sku}")
        starts = rules.parse_moment(item.get("effectiveDate"))
        ends = rules.parse_moment(item.get("expirationDate"))
        starts = at if starts is None or starts < at else starts
        if ends is not None and ends <= starts:
            ends = None  # past: added without an expiration (the 202 answer warned)
        session.execute(
            insert(LINE_FEATURES),
            {
                "id": new_id("lft"),
                "ctn": line.ctn,
                "sku": feature.sku,
                "status": "active",
                "effective_at": starts,
                "expires_at": ends,
                "created_at": at,
                "updated_at": at,
            },
        )
        done.notes.append(f"{feature.sku} added.")


def _device(session, device: dict[str, Any], line, done: Applied) -> None:
    if device.get("imei"):
        # Two lines taking one device at once: the second waits here and then sees it.
        # (The worker already holds this lock, taken in order with its others; taking it
        # again in the same transaction is free.)
        serialize_on(session, f"device:{device['imei']}")
        holder = session.execute(
            _DEVICE_HOLDER, {"b_imei": device["imei"], "b_ctn": line.ctn}
        ).first()
        if holder is not None:
            raise Refused("device_in_use", "The device is active on another line.")
        done.line["imei"] = device["imei"]
    if device.get("iccid"):
        done.line["iccid"] = device["iccid"]
    if device.get("networkBlock") is not None:
        done.line["network_block"] = rules.network_block(device["networkBlock"])
    done.notes.append("Device updated.")


def _voicemail(session, reset, line, at, key, messenger: Messenger, done: Applied) -> None:
    if reset.get("autogeneratedPin"):
        pin = f"{secrets.randbelow(10**6):06d}"
        digest = pin_digest(key, line.ctn, pin)
        # The subscriber learns the new PIN by SMS; nobody else ever sees it.
        messenger.send(
            session, to=line.ctn, channel="sms", body=f"Your new voicemail PIN is {pin}."
        )
    else:
        digest = reset["pinDigest"]
    done.line["voicemail"] = {
        "pinSet": True,
        "pinResetAt": iso_z(at),
        "autogeneratedPin": bool(reset.get("autogeneratedPin")),
        "pinDigest": digest,
    }
    done.notes.append("Voicemail PIN reset.")

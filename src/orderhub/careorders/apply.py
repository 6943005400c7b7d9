"""Applying one change request to its line, inside the worker's transaction.

The line was checked when the order was accepted, but it may have changed since (another
change applied first), so each rule that depends on the line is checked again here; a
change that no longer fits fails with its reason and changes nothing. What the change
does to the line is gathered into an `inventory.line_changes.LineChange`, which the
inventory writes.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from orderhub.adapters.messaging import Messenger
from orderhub.careorders import rules, states
from orderhub.careorders.checks import CATALOG, pin_digest
from orderhub.careorders.update_checks import sold
from orderhub.inventory import line_changes
from orderhub.inventory.line_changes import LineChange

_CATALOG = select(CATALOG).where(CATALOG.c.sku.in_(bindparam("skus", expanding=True)))


class Refused(Exception):
    """The change no longer fits the line: it fails with this code and reason."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


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
    edit, notes = LineChange(line), []
    target = states.SUBSCRIBER_MOVES[change.type][1]
    if target:
        edit.move_to(target)  # a cancelled line's features end with it
        reason = payload.get(rules.REQUIRED_REASON[change.type])
        notes.append(f"Line {target} ({reason}).")
    else:
        _update(session, payload, edit, at, key, messenger, notes)
    line_changes.save(
        session,
        change=edit,
        event=f"subscriber.{change.type}",
        actor=f"careOrder:{change.care_order_id}",
        data={
            "careOrderId": change.care_order_id,
            "changeId": change.id,
            "changeRequestId": change.change_request_id,
            "notes": notes,
        },
        at=at,
        now=now,
    )
    return notes


def _update(session, payload, edit: LineChange, at, key, messenger, notes: list[str]) -> None:
    line = edit.line
    if payload.get("ratePlan") and payload["ratePlan"] != line.rate_plan_id:
        edit.set_rate_plan(payload["ratePlan"])
        notes.append(f"Rate plan {line.rate_plan_id} → {payload['ratePlan']}.")
    if payload.get("items"):
        _features(session, payload, edit, at, notes)
    if payload.get("udl"):
        edit.set_labels(payload["udl"])
        notes.append(f"{len(payload['udl'])} label(s) set.")
    if payload.get("subscriberContact"):
        edit.set_subscriber_contact(payload["subscriberContact"])
        notes.append("subscriberContact replaced.")
    if payload.get("billingContact"):
        edit.set_billing_contact(payload["billingContact"])
        notes.append("billingContact replaced.")
    if payload.get("device"):
        _device(session, payload["device"], edit, notes)
    if payload.get("resetVoiceMail") is not None:
        _voicemail(session, payload["resetVoiceMail"], edit, at, key, messenger, notes)


def _features(session, payload, edit: LineChange, at, notes: list[str]) -> None:
    items = payload["items"]
    current = line_changes.running_features(session, ctn=edit.line.ctn, at=at)
    skus = {i["id"] for i in items} | {f.sku for f in current}
    catalog = {row.sku: row for row in session.execute(_CATALOG, {"skus": sorted(skus)})}
    removed: set[str] = set()

    def drop(feature: Row, why: str) -> None:
        if feature.id not in removed:
            removed.add(feature.id)
            edit.end_feature(feature.id)
            notes.append(f"{feature.sku} removed ({why}).")

    for item in (i for i in items if i["action"] == "remove"):
        matches = [f for f in current if f.sku == item["id"]]
        if not matches:
            notes.append(f"{item['id']} was not on the line; nothing to remove.")
        for feature in matches:
            drop(feature, "requested")
    plan = edit.rate_plan
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
        edit.add_feature(feature.sku, starts=starts, ends=ends)
        notes.append(f"{feature.sku} added.")


def _device(session, device: dict[str, Any], edit: LineChange, notes: list[str]) -> None:
    imei = device.get("imei")
    if imei and line_changes.device_in_use(session, imei=imei, ctn=edit.line.ctn):
        raise Refused("device_in_use", "The device is active on another line.")
    edit.set_device(
        imei=imei or None,
        iccid=device.get("iccid") or None,
        network_block=rules.network_block(device.get("networkBlock")),  # None: unchanged
    )
    notes.append("Device updated.")


def _voicemail(session, reset, edit: LineChange, at, key, messenger: Messenger, notes) -> None:
    autogenerated = bool(reset.get("autogeneratedPin"))
    if autogenerated:
        pin = f"{secrets.randbelow(10**6):06d}"
        digest = pin_digest(key, edit.line.ctn, pin)
        # The subscriber learns the new PIN by SMS; nobody else ever sees it.
        messenger.send(
            session, to=edit.line.ctn, channel="sms", body=f"Your new voicemail PIN is {pin}."
        )
    else:
        digest = reset["pinDigest"]
    edit.reset_voicemail(pin_digest=digest, at=at, autogenerated=autogenerated)
    notes.append("Voicemail PIN reset.")

"""The sandbox's inventory: rate plans, the feature catalog, accounts and their lines.

Idempotent: rows that exist are left as they are (a line changed by care orders keeps its
changes across restarts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from orderhub.ids import new_id, utcnow
from orderhub.inventory.models import (
    AccountAccess,
    AccountGroup,
    Feature,
    InventoryAccount,
    RatePlan,
    Subscriber,
    SubscriberFeature,
)
from orderhub.inventory.service import NewLine, add_lines


def load(session: Session, data: dict[str, Any]) -> int:
    """Loads what is missing; returns how many lines were added."""
    now = utcnow()
    _missing(
        session,
        RatePlan,
        "id",
        [
            {"id": p["id"], "name": p["name"], "monthly_cents": p["monthlyCents"]}
            for p in data["ratePlans"]
        ],
    )
    _missing(
        session,
        Feature,
        "sku",
        [
            {
                "sku": f["sku"],
                "name": f["name"],
                "recurring": f["recurring"],
                "monthly_cents": f["monthlyCents"],
                "conflict_group": f["conflictGroup"],
                "plans": f["plans"],
            }
            for f in data["features"]
        ],
    )
    for account in data["accounts"]:
        _missing(
            session,
            InventoryAccount,
            "number",
            [
                {
                    "number": account["number"],
                    "kind": "business",
                    "name": account["name"],
                    "customer_id": account.get("customerId"),
                    "created_at": now,
                }
            ],
        )
        _missing(
            session,
            AccountGroup,
            "id",
            [
                {"id": g["id"], "account_number": account["number"], "name": g["name"]}
                for g in account["groups"]
            ],
        )
        known = set(
            session.scalars(
                select(AccountAccess.partner_id).where(
                    AccountAccess.account_number == account["number"]
                )
            )
        )
        for partner_id in set(account["partners"]) - known:
            session.execute(
                insert(AccountAccess.__table__),
                {"account_number": account["number"], "partner_id": partner_id},
            )
    existing = set(session.scalars(select(Subscriber.ctn)))
    new = [s for s in data["subscribers"] if s["ctn"] not in existing]
    add_lines(
        session,
        lines=[
            NewLine(
                ctn=s["ctn"],
                account_number=s["account"],
                rate_plan_id=s["ratePlan"],
                status=s["status"],
                account_group_id=s["group"],
                bill_cycle_day=s["billCycleDay"],
            )
            for s in new
        ],
        actor="sandbox",
        loaded=True,
    )
    for s in new:
        session.execute(
            Subscriber.__table__.update()
            .where(Subscriber.ctn == s["ctn"])
            .values(imei=s["imei"], iccid=s["iccid"], udl=s["udl"])
        )
        for f in s["features"]:
            effective = datetime.fromisoformat(f["effective"].replace("Z", "+00:00"))
            session.execute(
                insert(SubscriberFeature.__table__),
                {
                    "id": new_id("sft"),
                    "ctn": s["ctn"],
                    "sku": f["sku"],
                    "status": "active",
                    "effective_at": effective,
                    "expires_at": None,
                    "created_at": now,
                    "updated_at": now,
                },
            )
    return len(new)


def _missing(session: Session, model: Any, key: str, rows: list[dict[str, Any]]) -> None:
    column = getattr(model, key)
    have = set(session.scalars(select(column).where(column.in_([r[key] for r in rows]))))
    fresh = [r for r in rows if r[key] not in have]
    if fresh:
        session.execute(insert(model.__table__), fresh)

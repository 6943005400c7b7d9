"""Shaping customers, their orders and their inventory for the console's templates: plain
dicts of what each row shows, nothing the role or the page does not need."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import Row

from orderhub.customers import overview
from orderhub.inventory.console_reads import Holdings, shown_identifiers
from orderhub.surfaces.console.pages import PREFIX

KIND_OPTIONS = list(overview.KINDS.items())


def party_href(kind: str, party_id: str) -> str:
    return f"{PREFIX}/customers/{kind}/{quote(party_id, safe='')}"


def list_row(row: Row) -> dict[str, Any]:
    return {
        "href": party_href(row.kind, row.id),
        "name": row.name or row.reference,
        "kind": overview.KINDS[row.kind],
        "reference": row.reference,
        "contact": row.contact,
        "created_at": row.created_at,
    }


def order_row(order: Row) -> dict[str, Any]:
    return {
        "href": f"{PREFIX}/orders/{quote(order.id, safe='')}",
        "id": order.id,
        "channel": order.channel,
        "status": order.status,
        "state": order.state,
        "for": f"{order.party_kind}:{order.party_id}",
        "monthly_cents": order.monthly_cents,
        "one_time_cents": order.one_time_cents,
        "currency": order.currency,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
    }


def line_rows(holdings: Holdings) -> list[dict[str, Any]]:
    return [
        {
            "ctn": line.ctn,
            "account": line.account_number,
            "account_href": party_href(overview.FAN, line.account_number),
            "group": line.group_name or line.account_group_id,
            "status": line.status,
            "plan": line.rate_plan_name or line.rate_plan_id,
            "plan_id": line.rate_plan_id,
            "features": [
                {"sku": f.sku, "name": f.name or f.sku, "since": f.effective_at}
                for f in holdings.features.get(line.ctn, [])
            ],
            "device": line.imei,
            "network_block": line.network_block,
            "bill_cycle_day": line.bill_cycle_day,
            "activated_on": line.activated_on,
            "order_href": (
                f"{PREFIX}/orders/{quote(line.source_order_id, safe='')}"
                if line.source_order_id
                else None
            ),
            "order_id": line.source_order_id,
        }
        for line in holdings.lines
    ]


def service_rows(holdings: Holdings) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "account": s.account_number,
            "type": s.service_type_name or s.service_type_id,
            "type_id": s.service_type_id,
            "status": s.status,
            "package": s.package_name or s.package_id,
            "plan": s.package_plan_id,
            "features": list(s.features or []),
            "identifiers": [
                {
                    "name": i.get("name", ""),
                    "value": i.get("value", ""),
                    "realm": i.get("realm") or "",
                }
                for i in shown_identifiers(s.identifiers)
            ],
            "order_href": (
                f"{PREFIX}/orders/{quote(s.source_order_id, safe='')}"
                if s.source_order_id
                else None
            ),
            "order_id": s.source_order_id,
            "created_at": s.created_at,
        }
        for s in holdings.services
    ]


def account_rows(holdings: Holdings) -> list[dict[str, Any]]:
    """The inventory accounts (FANs) with their groups and the partners allowed on them."""
    return [
        {
            "number": a.number,
            "href": party_href(overview.FAN, a.number),
            "name": a.name,
            "kind": a.kind,
            "groups": [g.name for g in holdings.groups.get(a.number, [])],
            "partners": [p.name for p in holdings.partners.get(a.number, [])],
        }
        for a in holdings.accounts
    ]

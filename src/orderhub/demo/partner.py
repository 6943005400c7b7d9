"""The B2B partner flow of seed 002, run against a server: `orderhub demo --flow partner`.

Lookup of an alliance-only customer, its exception request approved by operations, an
opportunity and a two-site quote under it, validation, credit check, contract and
signature, the locked quote, the order (which wins the opportunity) with its enrichment,
handoff, and the provisioning milestones to completion.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from orderhub.demo.steps import DemoFailed, Step

B2B = "/b2b/v1"
CLIENT = {"client_id": "sandbox-partner", "client_secret": "sandbox-partner-secret"}
OPERATOR = {"Authorization": "Bearer sandbox-operator-token"}
CUSTOMER_TAX_ID = "75-3334321"  # Red River Health Partners: alliance-only for this partner


def _site(name: str, line1: str, city: str, zip_code: str, products: list[dict]) -> dict:
    address = {"addressLine1": line1, "city": city, "state": "TX", "zipCode": zip_code}
    return {"name": name, "address": address, "products": products}


# The quote's two sites (addresses the sandbox qualifies) and their products; the bench's
# partner orders quote the same (bench/partner_client.py).
QUOTE_SITES = [
    _site(
        "Main campus",
        "1500 Main Street",
        "Dallas",
        "75201",
        [
            {
                "productId": "dia",
                "accessSpeed": "1G",
                "portSpeed": "1G",
                "installationOption": "standard",
                "discountPercent": 10,
            }
        ],
    ),
    _site(
        "Plano clinic",
        "5800 Legacy Drive",
        "Plano",
        "75024",
        [{"productId": "voice-sip", "accessSpeed": "10M", "installationOption": "remote"}],
    ),
]


def run(
    client: httpx.Client, *, on_step: Callable[[Step], None] = lambda step: None
) -> dict[str, Any]:
    """Walk a partner's order from token to completion; returns the completed order."""
    headers: dict[str, str] = {}

    def call(name: str, method: str, path: str, expect: set[int] | int, **kwargs: Any) -> Any:
        response = client.request(
            method, path, headers=headers | kwargs.pop("headers", {}), **kwargs
        )
        on_step(
            Step(name, method, path, response.status_code, response.elapsed.total_seconds() * 1000)
        )
        if response.status_code not in ({expect} if isinstance(expect, int) else expect):
            raise DemoFailed(
                f"{name}: {method} {path} answered {response.status_code}: {response.text[:500]}"
            )
        return response.json()

    def keyed() -> dict[str, str]:
        return {"Idempotency-Key": str(uuid.uuid4())}

    token = call(
        "token", "POST", "/oauth/token", 200, data={"grant_type": "client_credentials"} | CLIENT
    )
    headers["Authorization"] = f"Bearer {token['access_token']}"
    found = call(
        "customer lookup", "POST", f"{B2B}/customers/lookup", 200, json={"taxId": CUSTOMER_TAX_ID}
    )
    customer = found["customers"][0]
    if not customer["canQuote"]:
        filed = call(
            "exception request",
            "POST",
            f"{B2B}/customers/{customer['id']}/exception-requests",
            {201, 409},
            json={"reason": "The customer asked us for a two-site quote."},
            headers=keyed(),
        )
        request_id = filed.get("id") or filed.get("exceptionRequestId")
        if filed.get("status", filed.get("currentStatus")) == "pending":
            call(
                "operations approve",
                "POST",
                f"/operator/v1/exception-requests/{request_id}/approve",
                200,
                json={"note": "Approved by the demo."},
                headers=OPERATOR,
            )
    opportunity = call(
        "open opportunity",
        "POST",
        f"{B2B}/opportunities",
        201,
        headers=keyed(),
        json={"customerId": customer["id"], "name": "Red River network refresh"},
    )
    quote = call(
        "create quote",
        "POST",
        f"{B2B}/quotes",
        201,
        headers=keyed(),
        json={
            "opportunityId": opportunity["id"],
            "name": "Campus and clinic",
            "billingPreferences": {"billingEmail": "ap@redriver.example.com"},
            "sites": QUOTE_SITES,
        },
    )
    quote_url = f"{B2B}/quotes/{quote['id']}"
    validation = call("validate quote", "POST", f"{quote_url}/validate", 200)
    if not validation["valid"]:
        raise DemoFailed(f"the quote is not valid: {validation['problems']}")
    credit = call("credit check", "POST", f"{quote_url}/credit-check", 200)
    if credit["decision"] != "approved":
        raise DemoFailed(f"credit was not approved: {credit['decision']}")
    contract = call(
        "generate contract",
        "POST",
        f"{quote_url}/contract",
        201,
        headers=keyed(),
        json={
            "contact": {
                "name": "Dana Reyes",
                "title": "CIO",
                "email": "dana@redriver.example.com",
                "phone": "2145550341",
            },
            "effectiveDate": (date.today() + timedelta(days=14)).isoformat(),
            "termMonths": 36,
        },
    )
    call(
        "sign contract",
        "POST",
        f"{B2B}/contracts/{contract['id']}/sign",
        200,
        json={"signedBy": {"name": "Dana Reyes", "title": "CIO"}},
    )
    call("change locked quote (409)", "PATCH", quote_url, 409, json={"name": "Too late"})
    order = call(
        "create order", "POST", f"{B2B}/orders", 201, headers=keyed(), json={"quoteId": quote["id"]}
    )
    won = call("opportunity won", "GET", f"{B2B}/opportunities/{opportunity['id']}", 200)
    if won["status"] != "won" or won["wonOrderId"] != order["id"]:
        raise DemoFailed(f"the order did not win the opportunity: {won['status']}")
    order_url = f"{B2B}/orders/{order['id']}"
    start = date.today() + timedelta(days=21)
    call(
        "enrich order",
        "PATCH",
        order_url,
        200,
        json={
            "customerDefinedGroup": "demo-rollout",
            "installation": {
                "contacts": [{"name": "Sam Ortiz", "phone": "2145550342", "role": "facilities"}],
                "requestedStartDate": start.isoformat(),
                "requestedDueDate": (start + timedelta(days=14)).isoformat(),
                "premiseNotes": "Loading dock on Elm St.",
            },
            "shipping": {"emails": ["receiving@redriver.example.com"], "notes": "Ring bell."},
            "billingConfiguration": {"processId": "RR-2026-01", "invoiceNumber": "INV-1001"},
        },
    )
    sub = order["subOrders"][1]["id"]
    call(
        "enrich sub-order",
        "PATCH",
        f"{order_url}/sub-orders/{sub}",
        200,
        json={"billingConfiguration": {"processId": "RR-2026-02"}},
    )
    ack = call("submit (handoff)", "POST", f"{order_url}/submit", 200, headers=keyed())
    status = ack["status"]
    for _ in range(10):
        if status in ("completed", "rejected"):
            break
        status = call(
            "advance (sandbox)", "POST", f"/sandbox/v1/b2b/orders/{order['id']}/advance", 200
        )["status"]
    call("history", "GET", f"{order_url}/history", 200)
    return call("read order", "GET", order_url, 200) | {
        "acknowledgementId": ack["acknowledgementId"]
    }

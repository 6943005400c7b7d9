"""Plain factory functions for tests: each takes keyword overrides and returns plain data."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

import httpx

BASE = "/msapi/order"
ALEX_PHONE = "2145550100"
ALEX_ADDRESS = {
    "addressLine1": "123 Main St Suite 400",
    "city": "Dallas",
    "state": "TX",
    "zipCode": "75201",
}


def random_phone() -> str:
    """A fresh prospect phone (area 469, exchange 7xx: never a sandbox customer's)."""
    return f"4697{secrets.randbelow(100):02d}{secrets.randbelow(10000):04d}"


def read_otp(client: Any, identifier: str) -> str:
    messages = client.get("/sandbox/v1/messages", params={"to": identifier}).json()["messages"]
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


def issue_otp(client: Any, identifier: str = ALEX_PHONE) -> str:
    channel = "email" if "@" in identifier else "sms"
    response = client.post(
        f"{BASE}/v1/auth/generateotp", json={"identifier": identifier, "channel": channel}
    )
    assert response.status_code == 200, response.text
    return response.json()["otpId"]


def sign_in(client: Any, identifier: str = ALEX_PHONE) -> dict[str, str]:
    """Headers carrying a fresh access token for the identifier."""
    otp_id = issue_otp(client, identifier)
    response = client.post(
        f"{BASE}/v1/auth",
        json={"method": "otp", "otpId": otp_id, "code": read_otp(client, identifier)},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


def create_order(client: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "items": [
            {"offerId": "plan-unlimited-extra", "quantity": 1},
            {"offerId": "dev-pixel-10", "quantity": 1},
        ]
    } | overrides
    response = client.post(f"{BASE}/v1/order/create", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def credit_body(**overrides: Any) -> dict[str, Any]:
    return {
        "firstName": "Alex",
        "lastName": "Bell",
        "dateOfBirth": "1985-04-12",
        "ssn": "123-45-6789",
        "address": ALEX_ADDRESS,
    } | overrides


def submit_credit(client: Any, headers: dict[str, str], order_id: str, **overrides: Any) -> None:
    """An approved credit decision for the order (numbers are reserved after credit)."""
    response = client.post(
        f"{BASE}/v1/order/{order_id}/credit.submit", json=credit_body(**overrides), headers=headers
    )
    assert response.status_code == 200, response.text


def fulfillment_body(**overrides: Any) -> dict[str, Any]:
    return {
        "method": "shipping",
        "shippingAddress": ALEX_ADDRESS,
        "contact": {"firstName": "Alex", "lastName": "Bell", "phone": ALEX_PHONE},
        "requestedDate": (date.today() + timedelta(days=3)).isoformat(),
        "termsAndConditions": {"accepted": True, "version": "2026-01"},
    } | overrides


def reserve_any(
    client: Any, headers: dict[str, str], order: dict[str, Any], area_code: str = "214"
) -> str:
    """Reserve a free number for every line of every line-bearing item; returns the last."""
    number = ""
    for item in order["items"]:
        for _ in range(item["lines"]):
            offered = client.post(
                f"{BASE}/v1/order/{order['id']}/number.available",
                json={"areaCode": area_code, "count": 10},
                headers=headers,
            )
            for number in offered.json()["numbers"]:
                r = client.patch(
                    f"{BASE}/v1/order/{order['id']}/number.reserve",
                    json={"number": number, "itemId": item["id"]},
                    headers=headers,
                )
                if r.status_code == 200:
                    break
    return number


def ready_order(client: Any, headers: dict[str, str], **order_overrides: Any) -> dict[str, Any]:
    """An order with credit, fulfillment, accepted terms and numbers: ready to submit."""
    order = create_order(client, headers, **order_overrides)
    oid = order["id"]
    assert (
        client.post(
            f"{BASE}/v1/order/{oid}/credit.submit", json=credit_body(), headers=headers
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{BASE}/v1/order/{oid}/fulfillment", json=fulfillment_body(), headers=headers
        ).status_code
        == 200
    )
    reserve_any(client, headers, order)
    return order


def is_problem(response: httpx.Response, status: int, code: str | None = None) -> bool:
    """The response is an RFC 9457 problem with this status (and code)."""
    body = response.json()
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("application/problem+json")
        and body["status"] == status
        and {"type", "title", "detail"} <= body.keys()
        and (code is None or body["code"] == code)
    )

"""The consumer flow of seed 001, run against a server: `orderhub demo` (the default flow),
a newcomer's first proof."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from orderhub.demo.steps import DemoFailed, Step

BASE = "/msapi/order"
CODE_IN_MESSAGE = re.compile(r"\b(\d{6})\b")


def run(
    client: httpx.Client,
    *,
    phone: str = "2145550100",
    ssn: str = "123-45-6789",
    on_step: Callable[[Step], None] = lambda step: None,
) -> dict[str, Any]:
    """Walk an order from OTP sign-in to submission; returns the submitted order."""
    headers: dict[str, str] = {}

    def call(name: str, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = client.request(
            method, path, headers=headers | kwargs.pop("headers", {}), **kwargs
        )
        on_step(
            Step(name, method, path, response.status_code, response.elapsed.total_seconds() * 1000)
        )
        if response.status_code != expect:
            raise DemoFailed(
                f"{name}: {method} {path} answered {response.status_code}: {response.text[:500]}"
            )
        return response.json()

    call("auth methods", "GET", f"{BASE}/v1/auth-methods", 200)
    otp = call(
        "generate OTP",
        "POST",
        f"{BASE}/v1/auth/generateotp",
        200,
        json={"identifier": phone, "channel": "sms"},
    )
    inbox = call("read the SMS (sandbox)", "GET", "/sandbox/v1/messages", 200, params={"to": phone})
    match = CODE_IN_MESSAGE.search(inbox["messages"][0]["body"])
    if not match:
        raise DemoFailed("the sandbox message holds no code")
    token = call(
        "sign in",
        "POST",
        f"{BASE}/v1/auth",
        200,
        json={"method": "otp", "otpId": otp["otpId"], "code": match.group(1)},
    )
    headers["Authorization"] = f"Bearer {token['accessToken']}"

    customers = call("customer lookup", "GET", f"{BASE}/v1/customers", 200, params={"phone": phone})
    customer = customers["customers"][0]
    zip_code = customer["addresses"][0]["zipCode"] if customer["addresses"] else "75201"
    offers = call(
        "offers", "GET", f"{BASE}/v1/offers", 200, params={"category": "plan", "zipCode": zip_code}
    )
    plan = next(o for o in offers["offers"] if o["lines"] == 1)
    order = call(
        "create order",
        "POST",
        f"{BASE}/v1/order/create",
        200,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={
            "customerId": customer["id"],
            "items": [
                {"offerId": plan["id"], "quantity": 1},
                {"offerId": "dev-pixel-10", "quantity": 1},
            ],
        },
    )
    order_id = order["id"]
    line_item = next(i for i in order["items"] if i["lines"] > 0)

    address = {
        "addressLine1": "123 Main St Suite 400",
        "city": "Dallas",
        "state": "TX",
        "zipCode": "75201",
    }
    if customer["addresses"]:
        a = customer["addresses"][0]
        address = {k: a[k] for k in ("addressLine1", "city", "state", "zipCode")}
    call(
        "credit submit",
        "POST",
        f"{BASE}/v1/order/{order_id}/credit.submit",
        200,
        json={
            "firstName": customer["firstName"],
            "lastName": customer["lastName"],
            "dateOfBirth": "1985-04-12",
            "ssn": ssn,
            "address": address,
        },
    )
    call("credit policy", "GET", f"{BASE}/v1/order/{order_id}/credit.policy", 200)
    call(
        "fulfillment",
        "POST",
        f"{BASE}/v1/order/{order_id}/fulfillment",
        200,
        json={
            "method": "shipping",
            "shippingAddress": address,
            "contact": {
                "firstName": customer["firstName"],
                "lastName": customer["lastName"],
                "phone": phone,
            },
            "requestedDate": (date.today() + timedelta(days=3)).isoformat(),
        },
    )
    terms = call("current terms", "GET", f"{BASE}/v1/terms", 200)
    call(
        "accept terms",
        "PATCH",
        f"{BASE}/v1/order/{order_id}/fulfillment",
        200,
        json={"termsAndConditions": {"accepted": True, "version": terms["version"]}},
    )
    available = call(
        "available numbers",
        "POST",
        f"{BASE}/v1/order/{order_id}/number.available",
        200,
        json={"areaCode": phone[:3], "count": 5},
    )
    for number in available["numbers"]:
        response = client.patch(
            f"{BASE}/v1/order/{order_id}/number.reserve",
            headers=headers,
            json={"number": number, "itemId": line_item["id"]},
        )
        on_step(
            Step(
                "reserve number",
                "PATCH",
                f"{BASE}/v1/order/{order_id}/number.reserve",
                response.status_code,
                response.elapsed.total_seconds() * 1000,
            )
        )
        if response.status_code == 200:
            break
        if response.status_code != 409:  # 409: somebody else took it first; try the next
            raise DemoFailed(f"reserve number answered {response.status_code}: {response.text}")
    else:
        raise DemoFailed("no offered number could be reserved")
    validation = call("validate", "GET", f"{BASE}/V1/order/{order_id}/validate", 200)
    if not validation["valid"]:
        raise DemoFailed(f"order is not valid: {validation['problems']}")
    call(
        "submit",
        "POST",
        f"{BASE}/v1/order/submit",
        200,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={"orderId": order_id},
    )
    return call("read the order", "GET", f"{BASE}/v1/order/{order_id}", 200)

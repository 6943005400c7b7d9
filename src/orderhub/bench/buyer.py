"""One virtual buyer: the whole seed-001 call sequence of orderhub/demo/consumer.py, asynchronous.

Every call is reported as (endpoint label, status, milliseconds); the label is the method
and the templated path, so latencies of all orders pool per endpoint. A status other than
the one the step expects fails the order, except a 409 on number.reserve: another buyer
took that number first, and the buyer tries the next one offered, as a person would.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from orderhub.bench import identities
from orderhub.bench.httpclient import Connection, HttpError, Response

BASE = "/msapi/order"
OUTSIDE_BASE = ("/sandbox/", "/floor/")  # paths that are not under the direct API's prefix
CODE_IN_MESSAGE = re.compile(r"\b(\d{6})\b")
SSN = "123-45-6789"  # the sandbox bureau approves it without a deposit
NUMBER_SEARCHES = 3  # rounds of "search, try each offered number" before giving up

OnCall = Callable[[str, int, float], None]


class BuyerFailed(RuntimeError):
    """A call answered what the sequence does not expect: counted as a bench error."""


@dataclass(frozen=True)
class Purchase:
    order_id: str
    headers: dict[str, str]  # the signed-in buyer's Authorization header, for re-reads


class Buyer:
    # Paths are under the direct API's prefix; a caller of another channel sets its own
    # (channels.py: "", absolute paths).
    base = BASE

    def __init__(
        self, connection: Connection, on_call: OnCall, headers: dict[str, str] | None = None
    ) -> None:
        self.connection = connection
        self.on_call = on_call
        self.headers = dict(headers or {})

    async def call(
        self,
        method: str,
        template: str,
        *,
        path_id: str = "",
        expect: tuple[int, ...] = (200,),
        **kwargs: Any,
    ) -> Response:
        """One request; `template` is both the label and, with `path_id`, the path."""
        label = f"{method} {template}"
        path = template.format(id=path_id)
        url = path if path.startswith(OUTSIDE_BASE) else self.base + path
        headers = self.headers | kwargs.pop("headers", {})
        started = time.perf_counter()
        try:
            response = await self.connection.request(method, url, headers=headers, **kwargs)
        except HttpError as exc:
            raise BuyerFailed(f"{label}: {exc}") from exc
        self.on_call(label, response.status_code, (time.perf_counter() - started) * 1000)
        if response.status_code not in expect:
            raise BuyerFailed(f"{label} answered {response.status_code}: {response.text[:300]}")
        return response

    async def sign_in(self, phone: str) -> None:
        await self.call("GET", "/v1/auth-methods")
        otp = await self.call(
            "POST", "/v1/auth/generateotp", json={"identifier": phone, "channel": "sms"}
        )
        inbox = await self.call("GET", "/sandbox/v1/messages", params={"to": phone})
        messages = inbox.json()["messages"]
        match = CODE_IN_MESSAGE.search(messages[0]["body"]) if messages else None
        if match is None:
            raise BuyerFailed("the sandbox outbox holds no code for " + phone)
        token = await self.call(
            "POST",
            "/v1/auth",
            json={"method": "otp", "otpId": otp.json()["otpId"], "code": match.group(1)},
        )
        self.headers["Authorization"] = f"Bearer {token.json()['accessToken']}"

    async def buy(self, phone: str) -> Purchase:
        """Sign in as the customer with this phone and walk one order to submission."""
        await self.sign_in(phone)
        customers = await self.call("GET", "/v1/customers", params={"phone": phone})
        customer = customers.json()["customers"][0]
        offers = await self.call(
            "GET", "/v1/offers", params={"category": "plan", "zipCode": identities.ZIP_CODE}
        )
        plan = next(o for o in offers.json()["offers"] if o["lines"] == 1)
        created = await self.call(
            "POST",
            "/v1/order/create",
            expect=(200,),
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={
                "customerId": customer["id"],
                "items": [
                    {"offerId": plan["id"], "quantity": 1},
                    {"offerId": "dev-pixel-10", "quantity": 1},
                ],
            },
        )
        order = created.json()
        order_id = order["id"]
        await self._credit(order_id, customer)
        await self._fulfillment(order_id, customer, phone)
        line_item = next(i for i in order["items"] if i["lines"] > 0)
        await self._reserve_number(order_id, line_item["id"])
        validation = (await self.call("GET", "/V1/order/{id}/validate", path_id=order_id)).json()
        if not validation["valid"]:
            raise BuyerFailed(f"order {order_id} is not valid: {validation['problems']}")
        submitted = await self.call(
            "POST",
            "/v1/order/submit",
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={"orderId": order_id},
        )
        if submitted.json()["status"] != "submitted":
            raise BuyerFailed(f"order {order_id} answered status {submitted.json()['status']}")
        return Purchase(order_id, dict(self.headers))

    async def _credit(self, order_id: str, customer: dict[str, Any]) -> None:
        await self.call(
            "POST",
            "/v1/order/{id}/credit.submit",
            path_id=order_id,
            json={
                "firstName": customer["firstName"],
                "lastName": customer["lastName"],
                "dateOfBirth": "1985-04-12",
                "ssn": SSN,
                "address": _address(customer),
            },
        )
        await self.call("GET", "/v1/order/{id}/credit.policy", path_id=order_id)

    async def _fulfillment(self, order_id: str, customer: dict[str, Any], phone: str) -> None:
        await self.call(
            "POST",
            "/v1/order/{id}/fulfillment",
            path_id=order_id,
            expect=(200,),
            json={
                "method": "shipping",
                "shippingAddress": _address(customer),
                "contact": {
                    "firstName": customer["firstName"],
                    "lastName": customer["lastName"],
                    "phone": phone,
                },
                "requestedDate": (date.today() + timedelta(days=3)).isoformat(),
            },
        )
        terms = (await self.call("GET", "/v1/terms")).json()
        await self.call(
            "PATCH",
            "/v1/order/{id}/fulfillment",
            path_id=order_id,
            json={"termsAndConditions": {"accepted": True, "version": terms["version"]}},
        )

    async def _reserve_number(self, order_id: str, item_id: str) -> None:
        for _ in range(NUMBER_SEARCHES):
            found = await self.call(
                "POST",
                "/v1/order/{id}/number.available",
                path_id=order_id,
                json={"areaCode": identities.AREA_CODE, "count": 5},
            )
            for number in found.json()["numbers"]:
                reserved = await self.call(
                    "PATCH",
                    "/v1/order/{id}/number.reserve",
                    path_id=order_id,
                    expect=(200, 409),
                    json={"number": number, "itemId": item_id},
                )
                if reserved.status_code == 200:
                    return
        raise BuyerFailed(f"order {order_id}: no offered number could be reserved")


def _address(customer: dict[str, Any]) -> dict[str, str]:
    if not customer["addresses"]:
        return dict(identities.ADDRESS)
    a = customer["addresses"][0]
    return {k: a[k] for k in ("addressLine1", "city", "state", "zipCode")}

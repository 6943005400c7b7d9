"""The partner channels' call sequences, asynchronous: a B2B order from quote to handoff
(seed 002, orderhub/demo/partner.py) and an onboarding order from account to submit
(seed 003, orderhub/demo/onboarding.py), for the load generator's `partner` and
`onboarding` scenarios.

As a partner's system does, a client takes one access token and keeps it for all its
orders (a token lasts an hour): the client-secret check is an argon2 hash, and a token
per order would measure that. What the bench leaves out of the demos' walks: the
exception request (bench customers are in the partner's alliance), the demo's deliberate
409 on the locked quote, and everything after handoff or submit (provisioning milestones,
read-backs), which is the worker's and the care scenario's business.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, timedelta
from typing import Any

from orderhub.bench import identities
from orderhub.bench.buyer import BuyerFailed, OnCall
from orderhub.bench.httpclient import Connection, HttpError, Response
from orderhub.demo import onboarding as onboarding_demo
from orderhub.demo.partner import QUOTE_SITES

BUSY_RETRIES = 30  # 429 answers taken in stride, each after its Retry-After
B2B = "/b2b/v1"
ONB = "/onboarding/v1"


class Caller:
    """One partner client on one keep-alive connection; every call reported to `on_call`
    under its method and templated path."""

    def __init__(self, connection: Connection, on_call: OnCall) -> None:
        self.connection = connection
        self.on_call = on_call
        self.headers: dict[str, str] = {}

    async def call(
        self,
        method: str,
        template: str,
        *,
        ids: dict[str, str] | None = None,
        expect: int = 200,
        keyed: bool = False,
        **kwargs: Any,
    ) -> Any:
        label = f"{method} {template}"
        headers = self.headers | ({"Idempotency-Key": str(uuid.uuid4())} if keyed else {})
        headers |= kwargs.pop("headers", {})
        for _ in range(BUSY_RETRIES):
            started = time.perf_counter()
            try:
                response: Response = await self.connection.request(
                    method, template.format(**(ids or {})), headers=headers, **kwargs
                )
            except HttpError as exc:
                raise BuyerFailed(f"{label}: {exc}") from exc
            busy = response.status_code == 429
            # Refused attempts under a label of their own: they answer in microseconds and
            # would hide the latency of the answers that did the work.
            took = (time.perf_counter() - started) * 1000
            self.on_call(f"{label} [429]" if busy else label, response.status_code, took)
            if not busy:
                break
            # Admission control of password checks (a portal password, a client secret):
            # the server asks to come back after Retry-After, and a client does so.
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        if response.status_code != expect:
            raise BuyerFailed(f"{label} answered {response.status_code}: {response.text[:300]}")
        return response.json()

    async def sign_in(self) -> None:
        if "Authorization" not in self.headers:
            token = await self.call(
                "POST",
                "/oauth/token",
                form={"grant_type": "client_credentials"} | identities.PARTNER_CLIENT,
            )
            self.headers["Authorization"] = f"Bearer {token['access_token']}"


async def partner_order(caller: Caller, customer_index: int) -> str:
    """One B2B order, quote to handoff, for a bench business customer; returns its id."""
    await caller.sign_in()
    tax_id = identities.business_tax_id(customer_index)
    found = await caller.call("POST", f"{B2B}/customers/lookup", json={"taxId": tax_id})
    customer = found["customers"][0]
    if not customer["canQuote"]:
        raise BuyerFailed(f"bench customer {customer['id']} cannot be quoted")
    opportunity = await caller.call(
        "POST",
        f"{B2B}/opportunities",
        expect=201,
        keyed=True,
        json={"customerId": customer["id"], "name": "Bench network refresh"},
    )
    quote = await caller.call(
        "POST",
        f"{B2B}/quotes",
        expect=201,
        keyed=True,
        json={
            "opportunityId": opportunity["id"],
            "name": "Campus and clinic",
            "billingPreferences": {"billingEmail": "ap@bench.example.com"},
            "sites": QUOTE_SITES,
        },
    )
    q = {"id": quote["id"]}
    validation = await caller.call("POST", B2B + "/quotes/{id}/validate", ids=q)
    if not validation["valid"]:
        raise BuyerFailed(f"quote {quote['id']} is not valid: {validation['problems']}")
    credit = await caller.call("POST", B2B + "/quotes/{id}/credit-check", ids=q)
    if credit["decision"] != "approved":
        raise BuyerFailed(f"credit was not approved: {credit['decision']}")
    contract = await caller.call(
        "POST",
        B2B + "/quotes/{id}/contract",
        ids=q,
        expect=201,
        keyed=True,
        json={
            "contact": {
                "name": "Dana Reyes",
                "title": "CIO",
                "email": "dana@bench.example.com",
                "phone": "2145550341",
            },
            "effectiveDate": (date.today() + timedelta(days=14)).isoformat(),
            "termMonths": 36,
        },
    )
    await caller.call(
        "POST",
        B2B + "/contracts/{id}/sign",
        ids={"id": contract["id"]},
        json={"signedBy": {"name": "Dana Reyes", "title": "CIO"}},
    )
    order = await caller.call(
        "POST", f"{B2B}/orders", expect=201, keyed=True, json={"quoteId": quote["id"]}
    )
    o = {"id": order["id"]}
    won = await caller.call("GET", B2B + "/opportunities/{id}", ids={"id": opportunity["id"]})
    if won["status"] != "won":
        raise BuyerFailed(f"order {order['id']} did not win its opportunity: {won['status']}")
    await caller.call("PATCH", B2B + "/orders/{id}", ids=o, json=_enrichment())
    await caller.call(
        "PATCH",
        B2B + "/orders/{id}/sub-orders/{sub}",
        ids=o | {"sub": order["subOrders"][1]["id"]},
        json={"billingConfiguration": {"processId": "BENCH-02"}},
    )
    await caller.call("POST", B2B + "/orders/{id}/submit", ids=o, keyed=True)
    return order["id"]


def _enrichment() -> dict[str, Any]:
    start = date.today() + timedelta(days=21)
    return {
        "customerDefinedGroup": "bench-rollout",
        "installation": {
            "contacts": [{"name": "Sam Ortiz", "phone": "2145550342", "role": "facilities"}],
            "requestedStartDate": start.isoformat(),
            "requestedDueDate": (start + timedelta(days=14)).isoformat(),
            "premiseNotes": "Loading dock on Elm St.",
        },
        "shipping": {"emails": ["receiving@bench.example.com"], "notes": "Ring bell."},
        "billingConfiguration": {"processId": "BENCH-01", "invoiceNumber": "INV-1001"},
    }


async def onboard(caller: Caller, number: int) -> str:
    """One onboarding order, account to submit, its identifiers numbered `number`;
    returns the order's id."""
    await caller.sign_in()
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@bench.example.com",
        "phone": "2175550123",
    }
    account = await caller.call(
        "POST",
        f"{ONB}/accounts",
        expect=201,
        json={
            "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
            "primaryContact": contact,
            "billingContact": contact,
            "portal": {"username": f"bench.{uuid.uuid4().hex[:12]}", "password": "bench horse"},
        },
    )
    order = await caller.call(
        "POST", ONB + "/accounts/{id}/orders", ids={"id": account["id"]}, expect=201
    )
    o = {"id": order["id"]}
    found = await caller.call(
        "POST", ONB + "/orders/{id}/sq/address/find", ids=o, json={"query": "12 example street"}
    )
    location = found["locations"][0]["locationId"]
    await caller.call(
        "POST",
        ONB + "/orders/{id}/sq/address",
        ids=o,
        json={"serviceTypeId": "home-broadband", "locationId": location},
    )
    await caller.call(
        "POST",
        ONB + "/orders/{id}/sq/general-phone",
        ids=o,
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550101"},
    )
    await caller.call(
        "POST", ONB + "/orders/{id}/sq/simple", ids=o, json={"serviceTypeId": "email-hosting"}
    )
    await caller.call("GET", ONB + "/orders/{id}/packages", ids=o)
    await caller.call("GET", ONB + "/package-plans/{id}", ids={"id": onboarding_demo.PLAN})
    services = await caller.call(
        "POST", ONB + "/orders/{id}/package", ids=o, json={"packagePlanId": onboarding_demo.PLAN}
    )
    await caller.call("GET", ONB + "/orders/{id}/identifier-realms", ids=o)
    for service in services["services"]:
        s = o | {"sid": service["id"]}
        for kind, body in onboarding_demo.SETUP[service["serviceTypeId"]].items():
            await caller.call(
                "GET", ONB + "/orders/{id}/services/{sid}/requirements/" + kind, ids=s
            )
            await caller.call(
                "PUT",
                ONB + "/orders/{id}/services/{sid}/" + kind,
                ids=s,
                json=_identifiers(body, number) if kind == "identifiers" else body,
            )
    terms = await caller.call("GET", ONB + "/orders/{id}/terms", ids=o)
    await caller.call(
        "POST",
        ONB + "/orders/{id}/terms/acceptance",
        ids=o,
        json={"accepted": [{"id": b["id"], "version": b["version"]} for b in terms["blocks"]]},
    )
    await caller.call(
        "POST",
        ONB + "/orders/{id}/payments",
        ids=o,
        expect=201,
        keyed=True,
        json={
            "card": {
                "number": "4242424242424242",
                "expiry": onboarding_demo.next_december(),
                "cvc": "123",
            }
        },
    )
    await caller.call("POST", ONB + "/orders/{id}/submit", ids=o, keyed=True)
    return order["id"]


def _identifiers(body: dict[str, Any], number: int) -> dict[str, Any]:
    """The demo's identifiers, made the bench's own: a service holds its identifiers, and
    a name another service holds is refused."""
    fresh = []
    for identifier in body["identifiers"]:
        digits = identifier["value"].isdigit()
        value = identities.sip_username(number) if digits else f"bench.{number}"
        fresh.append(identifier | {"value": value})
    return {"identifiers": fresh}

"""The onboarding flow of seed 003, run against a server: `orderhub demo --flow onboarding`.

Account, order, the address, phone and simple SQs, package, every requirement set of every service,
terms, the order's up-front payment, submit, and the PreActive services read back from the
inventory.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from orderhub.demo.steps import DemoFailed, Step

ONB = "/onboarding/v1"
CLIENT = {"client_id": "sandbox-partner", "client_secret": "sandbox-partner-secret"}
PLAN = "home-essentials-12"
# What each service of the plan is set up with, per requirement set (sandbox catalog).
SETUP: dict[str, dict[str, dict[str, Any]]] = {
    "home-broadband": {
        "configuration": {"values": {"technology": "FTTP", "speedTier": "100/40"}},
        "features": {"features": ["ipv6", "modem-rental"]},
        "contacts": {
            "contacts": [
                {
                    "role": "technical",
                    "firstName": "Casey",
                    "lastName": "Jones",
                    "phone": "2175550123",
                }
            ]
        },
        "identifiers": {
            "identifiers": [
                {"name": "pppoeUsername", "value": "casey.jones", "realm": "isp.example"}
            ]
        },
    },
    "voip-line": {
        "configuration": {
            "values": {"callerIdName": "CASEY JONES", "emergencyAddressConfirmed": True}
        },
        "features": {"features": ["voicemail"]},
        "contacts": {
            "contacts": [
                {
                    "role": "emergency",
                    "firstName": "Pat",
                    "lastName": "Jones",
                    "phone": "2175550124",
                }
            ]
        },
        "identifiers": {
            "identifiers": [
                {"name": "sipUsername", "value": "2175550101", "realm": "voice.example"}
            ]
        },
    },
}


def next_december() -> str:
    """A card expiry that is always in the future: December next year (MM/YY)."""
    return f"12/{(date.today().year + 1) % 100:02d}"


def _fresh(body: dict[str, Any], kind: str) -> dict[str, Any]:
    """The set-up body, with identifiers of its own: a service holds its identifiers, so a
    second run must not ask for the first one's PPPoE or SIP username."""
    if kind != "identifiers":
        return body
    suffix = f"{secrets.randbelow(10**7):07d}"
    fresh = []
    for identifier in body["identifiers"]:
        value = identifier["value"]
        value = value[:3] + suffix if value.isdigit() else f"{value}.{suffix}"
        fresh.append(identifier | {"value": value})
    return {"identifiers": fresh}


def run(
    client: httpx.Client, *, on_step: Callable[[Step], None] = lambda step: None
) -> dict[str, Any]:
    """Onboard a new customer from account to PreActive services; returns what submit made."""
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

    token = call(
        "token", "POST", "/oauth/token", 200, data={"grant_type": "client_credentials"} | CLIENT
    )
    headers["Authorization"] = f"Bearer {token['access_token']}"
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@example.com",
        "phone": "2175550123",
    }
    account = call(
        "create account",
        "POST",
        f"{ONB}/accounts",
        201,
        json={
            "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
            "primaryContact": contact,
            "billingContact": contact,
            "portal": {
                "username": f"casey.{uuid.uuid4().hex[:8]}",
                "password": "correct horse battery",
            },
        },
    )
    order = call("start order", "POST", f"{ONB}/accounts/{account['id']}/orders", 201)
    oid = order["id"]
    found = call(
        "find address",
        "POST",
        f"{ONB}/orders/{oid}/sq/address/find",
        200,
        json={"query": "12 example street"},
    )
    location = found["locations"][0]["locationId"]
    call(
        "address SQ",
        "POST",
        f"{ONB}/orders/{oid}/sq/address",
        200,
        json={"serviceTypeId": "home-broadband", "locationId": location},
    )
    call(
        "phone SQ",
        "POST",
        f"{ONB}/orders/{oid}/sq/general-phone",
        200,
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550101"},
    )
    # Not in the chosen package, but every kind of SQ is part of the walk.
    call(
        "simple SQ",
        "POST",
        f"{ONB}/orders/{oid}/sq/simple",
        200,
        json={"serviceTypeId": "email-hosting"},
    )
    call("available packages", "GET", f"{ONB}/orders/{oid}/packages", 200)
    call("package plan", "GET", f"{ONB}/package-plans/{PLAN}", 200)
    services = call(
        "select plan", "POST", f"{ONB}/orders/{oid}/package", 200, json={"packagePlanId": PLAN}
    )
    call("identifier realms", "GET", f"{ONB}/orders/{oid}/identifier-realms", 200)
    for service in services["services"]:
        sid, type_id = service["id"], service["serviceTypeId"]
        for kind, body in SETUP[type_id].items():
            call(
                f"{type_id} {kind} requirements",
                "GET",
                f"{ONB}/orders/{oid}/services/{sid}/requirements/{kind}",
                200,
            )
            call(
                f"set {type_id} {kind}",
                "PUT",
                f"{ONB}/orders/{oid}/services/{sid}/{kind}",
                200,
                json=_fresh(body, kind),
            )
    terms = call("terms", "GET", f"{ONB}/orders/{oid}/terms", 200)
    call(
        "accept terms",
        "POST",
        f"{ONB}/orders/{oid}/terms/acceptance",
        200,
        json={"accepted": [{"id": b["id"], "version": b["version"]} for b in terms["blocks"]]},
    )
    # Part of the order process (seed 003, Create Payment): the up-front amount, which a
    # provider may require before submit (the sandbox partner does not).
    call(
        "pay the order",
        "POST",
        f"{ONB}/orders/{oid}/payments",
        201,
        json={"card": {"number": "4242424242424242", "expiry": next_december(), "cvc": "123"}},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    submitted = call(
        "submit",
        "POST",
        f"{ONB}/orders/{oid}/submit",
        200,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    inventory = [
        call("service in inventory", "GET", f"/inventory/v1/services/{service_id}", 200)
        for service_id in submitted["serviceIds"]
    ]
    return submitted | {"services": inventory}

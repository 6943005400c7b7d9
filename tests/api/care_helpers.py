"""Factories for the care-order tests: request bodies, and a partner's view of the API
(its token, the seed's headers, the worker and the sandbox test clock)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import httpx

from orderhub.adapters.messaging import Messenger
from orderhub.careorders import worker
from tests.api.b2b_helpers import SANDBOX_CLIENT, partner_headers

CARE = "/api/orderingMobility/v1"
SEED = json.loads((Path(__file__).parents[1] / "data" / "care_order_seed.json").read_text())

# The sandbox inventory (src/orderhub/sandbox/data/inventory.json).
FAN = "81730304"
DALLAS = "73001012763"
PLANO = "73001012771"
OTHER_FAN = "81730312"  # sandbox-partner-b's account
POOLED = "1234567890"  # active, Dallas, mobile-select-pooled, bill cycle day 15, VISUAL_VOICEMAIL
ELITE = "1234567891"  # active, Dallas, business-unlimited-elite, day 1, INTL_UNLIMITED, HOTSPOT_30
ELITE_IMEI = "359194077165215"
SUSPENDED = "1234567892"  # Plano
CANCELLED = "1234567893"  # Plano
DATA_ONLY = "1234567894"  # active, Dallas, business-data-only
OTHER_LINE = "2815550190"  # on sandbox-partner-b's account

DAY_PASS = "sku12037300017"  # international, recurring, sold with every plan
INTL_UNLIMITED = "sku12037300025"  # international, recurring, elite and pooled
HOTSPOT_30 = "sku12037300033"  # hotspot, recurring, elite and pooled
HOTSPOT_100 = "sku12037300041"  # hotspot, recurring, elite only
VISUAL_VOICEMAIL = "sku12037300058"  # not recurring, every plan
VOICE_PACK = "sku12037300066"  # recurring, pooled and elite
NEW_DEVICE = {"imei": "359194077165900", "iccid": "89014704272630325900"}

UPDATE_FIELDS = {"items", "udl", "ratePlan", "resetVoiceMail", "subscriberContact", "device"}


def change(type: str = "updateSubscriber", ctn: str = POOLED, **fields: Any) -> dict[str, Any]:
    """One change request; an update that names nothing to change sets a label."""
    body = {"type": type, "ctn": ctn} | fields
    if type == "updateSubscriber" and UPDATE_FIELDS.isdisjoint(fields):
        body["udl"] = [{"type": "User Name", "value": "Laura Madison"}]
    return body


def add(sku: str, **dates: str) -> dict[str, Any]:
    return {"id": sku, "action": "add"} | dates


def remove(sku: str) -> dict[str, Any]:
    return {"id": sku, "action": "remove"}


def care_body(*changes: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A care order on the Dallas group of FAN 81730304; an override of None leaves it out."""
    request = {
        "foundationAccountNumber": FAN,
        "accountGroupId": DALLAS,
        "poNumber": "PO-1",
        "consentToRecurringCharges": True,
        "changeRequest": list(changes) or [change()],
    } | overrides
    return {"careOrderRequest": {k: v for k, v in request.items() if v is not None}}


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def assert_no_pin(text: str, pin: str, digest: str) -> None:
    assert f'"{pin}"' not in text and digest not in text and "pinDigest" not in text


def problems(response: httpx.Response) -> set[tuple[str, str]]:
    """The (field, rule) pairs of a 422 problem."""
    assert response.status_code == 422, response.text
    return {(p["field"], p["rule"]) for p in response.json()["errors"]}


def pairs(notes: list[dict[str, str]]) -> set[tuple[str, str]]:
    """The (field, rule) pairs of a change request's warnings."""
    return {(n["field"], n["rule"]) for n in notes}


class Partner:
    """One API client's calls, with a token fetched once (argon2 makes tokens costly)."""

    def __init__(self, http: Any, client: tuple[str, str] = SANDBOX_CLIENT) -> None:
        self.http, self.client_id = http, client[0]
        self.auth = partner_headers(http, client)

    def headers(self, message_id: str | None = None, **extra: str) -> dict[str, str]:
        """The token and the seed's headers, with a fresh message id unless given."""
        return self.auth | {
            "X-ATT-ClientId": self.client_id,
            "X-ATT-MessageId": message_id or f"msg-{uuid.uuid4().hex}",
            **extra,
        }

    def send(self, body: dict[str, Any], **headers: str) -> httpx.Response:
        return self.http.post(f"{CARE}/careOrder", json=body, headers=self.headers(**headers))

    def place(self, *changes: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        """An accepted care order (202) with these change requests."""
        response = self.send(care_body(*changes, **overrides))
        assert response.status_code == 202, response.text
        return response.json()

    def order(self, order_id: str) -> dict[str, Any]:
        response = self.http.get(f"{CARE}/careOrder/{order_id}", headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json()

    def orders(self, **params: Any) -> list[str]:
        """The ids of the listed care orders, newest first."""
        response = self.http.get(f"{CARE}/careOrder", params=params, headers=self.auth)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["careOrders"]]

    def line(self, ctn: str) -> dict[str, Any]:
        response = self.http.get(f"/inventory/v1/subscribers/{ctn}", headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json()

    def features(self, ctn: str) -> dict[str, str]:
        """The line's features that were not removed: SKU -> status."""
        return {
            f["sku"]: f["status"] for f in self.line(ctn)["features"] if f["status"] != "removed"
        }

    def process(self, *, messenger: Messenger | None = None, now: datetime | None = None) -> int:
        """One pass of the care-order worker (test apps do not run it themselves), with
        the app's messenger and the test clock's time unless given."""
        runtime = self.http.app.state.runtime
        return asyncio.run(
            worker.process_due(
                runtime.database,
                key=runtime.key,
                messenger=messenger or runtime.adapters.messenger,
                sandbox=True,
                now=now,
            )
        )

    def events(self, type: str) -> list[dict[str, Any]]:
        """The data of the partner's events of this type, oldest first."""
        response = self.http.get("/b2b/v1/events", params={"limit": 200}, headers=self.auth)
        assert response.status_code == 200, response.text
        return [e["data"] for e in response.json()["events"] if e["type"] == type]

    def texts_to(self, ctn: str) -> list[str]:
        """SMS bodies the sandbox sent to the line, newest first."""
        response = self.http.get("/sandbox/v1/messages", params={"to": ctn})
        assert response.status_code == 200, response.text
        return [m["body"] for m in response.json()["messages"]]

    def now(self) -> datetime:
        return moment(self.http.get("/sandbox/v1/clock").json()["now"])

    def move_clock(self, *, to: datetime | None = None, days: int | None = None) -> None:
        body = {"advanceDays": days} if days else {"now": to.isoformat()}
        response = self.http.post("/sandbox/v1/clock", json=body)
        assert response.status_code == 200, response.text

    def run_until(self, at: datetime) -> None:
        """Move the test clock to the moment and let the worker do what is due."""
        self.move_clock(to=at)
        self.process()

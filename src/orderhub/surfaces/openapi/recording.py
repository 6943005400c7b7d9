"""Record the document's examples from real runs (dev only: scripts/record_openapi_examples.py).

Runs the app in-process on a fresh SQLite sandbox database with its workers, walks the
four demo flows (`orderhub demo`) and the calls they leave out, and keeps the first
request and response body of each (operation, status), with tokens, secrets and one-time
codes replaced by obvious placeholders (and the local webhook receiver's address by a
partner's). Problem codes seen on the way are kept too.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from fastapi import Request
from fastapi.testclient import TestClient

from orderhub import demo
from orderhub.demo import care as demo_care
from orderhub.demo import onboarding as demo_onboarding
from orderhub.demo import partner as demo_partner
from orderhub.sandbox.authenticator import SoftwareAuthenticator
from orderhub.surfaces import problems
from orderhub.surfaces.openapi.operations import OperationIndex

# Secret values by key, replaced wherever they appear in a body.
PLACEHOLDERS = {
    "client_secret": "EXAMPLE-CLIENT-SECRET",
    "password": "example-password",
    "secret": "EXAMPLE-WEBHOOK-SIGNING-SECRET",
}
TOKEN = re.compile(r"^(v1|p1)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
OTP_CODE = re.compile(r"^[0-9]{6}$")
CODE_IN_TEXT = re.compile(r"(code is |PIN is )[0-9]+")
RECEIVER_URL = "https://partner.example.com/orderhub-events"


def redact(value: Any, key: str = "", rewrites: dict[str, str] | None = None) -> Any:
    """`value` with tokens, secrets and one-time codes replaced by placeholders, and each
    string in `rewrites` by its replacement."""
    if isinstance(value, dict):
        return {k: redact(v, k, rewrites) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key, rewrites) for v in value]
    if not isinstance(value, str):
        return value
    if rewrites and value in rewrites:
        return rewrites[value]
    if key in PLACEHOLDERS:
        return PLACEHOLDERS[key]
    if TOKEN.match(value):
        return f"{value[:2]}.EXAMPLE-TOKEN-PAYLOAD.EXAMPLE-SIGNATURE"
    if key == "code" and OTP_CODE.match(value):
        return "000000"
    return CODE_IN_TEXT.sub(lambda m: m.group(1) + "0" * (len(m.group(0)) - len(m.group(1))), value)


def _body(content: bytes, content_type: str) -> Any:
    if not content:
        return None
    if "json" in content_type:
        return json.loads(content)
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(content.decode()))
    return None


class Recorder:
    """Keeps the first request/response of each (operation, status) a client sees, and the
    problem codes the app renders; `raw` holds the latest unredacted answer per operation."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.index = OperationIndex(document)
        self.examples: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.codes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.raw: dict[str, Any] = {}
        self.sent: dict[str, Any] = {}
        self.rewrites: dict[str, str] = {}

    def capture(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        found = self.index.find(request.method, request.url.path)
        if found is None:
            return
        operation_id = found[1]["operationId"]
        sent = _body(request.content, request.headers.get("content-type", ""))
        answer = _body(response.content, response.headers.get("content-type", ""))
        if response.is_success:
            self.raw[operation_id], self.sent[operation_id] = answer, sent
        pair: dict[str, Any] = {}
        if sent is not None:
            pair["request"] = redact(sent, rewrites=self.rewrites)
        if answer is not None:
            pair["response"] = redact(answer, rewrites=self.rewrites)
        self.examples[operation_id].setdefault(str(response.status_code), pair)

    def observe_problem(self, request: Request, status: int, code: str) -> None:
        route = request.scope.get("route")
        found = route and self.index.find(request.method, request.url.path, route.path)
        if found:
            self.codes[found[1]["operationId"]][str(status)].add(code)

    def codes_seen(self) -> dict[str, dict[str, list[str]]]:
        return {
            op: {status: sorted(codes) for status, codes in sorted(by_status.items())}
            for op, by_status in sorted(self.codes.items())
        }

    def examples_seen(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {op: dict(sorted(pairs.items())) for op, pairs in sorted(self.examples.items())}


@contextmanager
def webhook_receiver() -> Iterator[str]:
    """A local endpoint answering 204 to every delivery: the URL to register."""

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/orderhub-events"
    finally:
        server.shutdown()


def _ok(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in (expected or (200,)):
        raise demo.DemoFailed(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:500]}"
        )
    return response.json() if response.content else None


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def consumer_flow(client: TestClient, rec: Recorder) -> None:
    order = demo.run(client)
    auth = _bearer(rec.raw["authenticate"]["accessToken"])
    base = demo.BASE + "/v1"
    _ok(client.get(f"{base}/stores", headers=auth))
    _ok(client.get(f"{base}/orders", headers=auth, params={"limit": 5}))
    _ok(client.get(f"{base}/order/{order['id']}/validate", headers=auth))
    _ok(client.post(f"/sandbox/v1/orders/{order['id']}/advance", headers=auth))
    # A second cart, given up: the cancel call.
    cart = _ok(
        client.post(
            f"{base}/order/create",
            headers=auth,
            json={"items": [{"offerId": "dev-pixel-10", "quantity": 1}]},
        ),
        200,
    )
    _ok(client.post(f"{base}/order/{cart['id']}/cancel", headers=auth))


def passkey_flow(client: TestClient, rec: Recorder) -> None:
    """After the consumer flow's OTP sign-in: register a passkey, sign in with it, read,
    list and remove it. The sandbox authenticator answers as a phone would."""
    auth = _bearer(rec.raw["authenticate"]["accessToken"])
    base = demo.BASE + "/v1"
    phone = SoftwareAuthenticator()
    options = _ok(client.post(f"{base}/passkeys/registration-options", headers=auth))
    created = {"challengeId": options["challengeId"], "credential": phone.create(options)}
    body = created | {"name": "Alex's phone"}
    passkey = _ok(client.post(f"{base}/passkeys", headers=auth, json=body), 201)
    asked = _ok(
        client.post(f"{base}/passkeys/authentication-options", json={"username": "2145550100"})
    )
    answer = {"challengeId": asked["challengeId"], "credential": phone.get(asked)}
    _ok(client.post(f"{base}/auth/passkey", json=answer))
    _ok(client.get(f"{base}/passkeys", headers=auth))
    _ok(client.get(f"{base}/passkeys/{passkey['id']}", headers=auth))
    _ok(client.delete(f"{base}/passkeys/{passkey['id']}", headers=auth))


def partner_flow(client: TestClient, rec: Recorder, webhook_url: str) -> None:
    b2b, operator = demo_partner.B2B, demo_partner.OPERATOR
    form = {"grant_type": "client_credentials"} | demo_partner.CLIENT
    auth = _bearer(_ok(client.post("/oauth/token", data=form))["access_token"])
    hook = _ok(
        client.post(
            f"{b2b}/webhooks",
            headers=auth,
            json={"url": webhook_url, "eventTypes": ["order.*", "exception_request.*"]},
        ),
        201,
    )
    # A first exception request, rejected; the demo files the one approved.
    filed = _ok(
        client.post(
            f"{b2b}/customers/bcu_red_river_health/exception-requests",
            headers=auth,
            json={"reason": "Quote requested before the alliance review."},
        ),
        201,
    )
    _ok(client.get("/operator/v1/exception-requests", headers=operator))
    _ok(client.get(f"/operator/v1/exception-requests/{filed['id']}", headers=operator))
    _ok(
        client.post(
            f"/operator/v1/exception-requests/{filed['id']}/reject",
            headers=operator,
            json={"note": "Alliance review not finished."},
        )
    )
    order = demo_partner.run(client)
    quote_id = rec.raw["createQuote"]["id"]
    contract_id = rec.raw["generateContract"]["id"]
    _ok(client.get(f"{b2b}/exception-requests", headers=auth))
    _ok(client.get(f"{b2b}/exception-requests/{filed['id']}", headers=auth))
    address = {"addressLine1": "1500 main st", "city": "dallas", "state": "tx", "zipCode": "75201"}
    _ok(client.post(f"{b2b}/addresses/validate", headers=auth, json=address))
    _ok(client.get(f"{b2b}/products", headers=auth))
    _ok(client.get(f"{b2b}/quotes", headers=auth, params={"limit": 5}))
    _ok(client.get(f"{b2b}/quotes/{quote_id}", headers=auth))
    _ok(client.get(f"{b2b}/quotes/{quote_id}/credit-check", headers=auth))
    _ok(client.get(f"{b2b}/quotes/{quote_id}/contract", headers=auth))
    _ok(client.get(f"{b2b}/contracts/{contract_id}", headers=auth))
    # The demo's opportunity, won by its order; a second one, whose quote is still open:
    # the change the signed one refused, then the opportunity closed as lost.
    won_id = rec.raw["createOpportunity"]["id"]
    _ok(client.get(f"{b2b}/opportunities", headers=auth, params={"limit": 5}))
    _ok(client.get(f"{b2b}/opportunities/{won_id}/quotes", headers=auth))
    second = _ok(
        client.post(f"{b2b}/opportunities", headers=auth, json=rec.sent["createOpportunity"]), 201
    )
    draft_body = rec.sent["createQuote"] | {"opportunityId": second["id"]}
    draft = _ok(client.post(f"{b2b}/quotes", headers=auth, json=draft_body), 201)
    _ok(client.patch(f"{b2b}/quotes/{draft['id']}", headers=auth, json={"name": "Clinic only"}))
    _ok(
        client.post(
            f"{b2b}/opportunities/{second['id']}/close",
            headers=auth,
            json={"outcome": "lost", "reason": "The customer chose another provider."},
        )
    )
    _ok(client.get(f"{b2b}/orders", headers=auth, params={"limit": 5}))
    _ok(client.get(f"{b2b}/orders/{order['id']}", headers=auth))
    _ok(client.get(f"{b2b}/events", headers=auth, params={"after": 0, "limit": 5}))
    hooks = f"{b2b}/webhooks/{hook['id']}"
    _ok(client.get(f"{b2b}/webhooks", headers=auth))
    _ok(client.get(hooks, headers=auth))
    _ok(client.get(f"{hooks}/deliveries", headers=auth, params={"limit": 5}))
    _ok(client.post(f"{hooks}/redeliver", headers=auth))
    _ok(client.post(f"{hooks}/rotate-secret", headers=auth))
    _ok(client.delete(hooks, headers=auth))


def onboarding_flow(client: TestClient, rec: Recorder) -> None:
    onb, operator = demo_onboarding.ONB, demo_partner.OPERATOR
    submitted = demo_onboarding.run(client)
    auth = _bearer(rec.raw["issuePartnerToken"]["access_token"])
    account_id = rec.raw["createOnboardingAccount"]["id"]
    portal = rec.sent["createOnboardingAccount"]["portal"]
    _ok(client.get(f"{onb}/accounts/{account_id}", headers=auth))
    _ok(client.post(f"{onb}/accounts/find-by-credentials", headers=auth, json=portal))
    _ok(client.get(f"{onb}/orders/{submitted['orderId']}", headers=auth))
    _ok(client.get(f"{onb}/orders/{submitted['orderId']}/services", headers=auth))
    notes = f"{onb}/accounts/{account_id}/notes"
    _ok(client.post(notes, headers=auth, json={"text": "Prefers e-mail."}), 201)
    _ok(client.get(notes, headers=auth))
    payments = f"{onb}/accounts/{account_id}/payments"
    card = {"number": "4242424242424242", "expiry": "12/30", "cvc": "123"}
    _ok(
        client.post(
            payments,
            headers=auth | {"Idempotency-Key": str(uuid.uuid4())},
            json={"amount": "49.99", "currency": "USD", "card": card},
        ),
        201,
    )
    _ok(client.get(payments, headers=auth))
    _ok(client.get(f"{onb}/orders/{submitted['orderId']}/payments", headers=auth))
    # The phone SQ under its alias path, on a second order of the account.
    again = _ok(client.post(f"{onb}/accounts/{account_id}/orders", headers=auth), 201)
    phone = {"serviceTypeId": "voip-line", "phoneNumber": "2175550101"}
    _ok(client.post(f"{onb}/orders/{again['id']}/sq/phone", headers=auth, json=phone))
    # A provider's onboarding settings (operations).
    provider = "/operator/v1/partners/prt_sandbox_b"
    _ok(client.get(f"{provider}/onboarding-settings", headers=operator))
    realms = {"realms": ["isp-b.example", "voice-b.example"]}
    _ok(client.put(f"{provider}/identifier-realms", headers=operator, json=realms))
    _ok(client.get(f"{provider}/identifier-realms", headers=operator))
    terms_off = {"termsModule": False}
    _ok(client.patch(f"{provider}/onboarding-settings", headers=operator, json=terms_off))
    _ok(client.delete(f"{provider}/identifier-realms", headers=operator))
    service_id = submitted["serviceIds"][0]
    _ok(client.post(f"/operator/v1/inventory/services/{service_id}/activate", headers=operator))


def care_flow(client: TestClient, rec: Recorder) -> None:
    done = demo_care.run(client)
    auth = _bearer(rec.raw["issuePartnerToken"]["access_token"])
    care = f"{demo_care.CARE}/careOrder"
    _ok(client.get(care, headers=auth, params={"limit": 5}))
    fan = done["subscribers"][0]["foundationAccountNumber"]
    _ok(client.get(f"/inventory/v1/accounts/{fan}/subscribers", headers=auth))
    # The seed's order once more, withdrawn before its date.
    again = client.post(
        care,
        content=demo_care.EXAMPLE.read_bytes(),
        headers=auth
        | {
            "Content-Type": "application/json",
            "X-ATT-ClientId": demo_care.CLIENT["client_id"],
            "X-ATT-MessageId": str(uuid.uuid4()),
        },
    )
    withdrawn = _ok(again, 202)
    _ok(client.post(f"{care}/{withdrawn['id']}/cancel", headers=auth))


def ledger_flow(client: TestClient) -> None:
    """The operator's view of every channel's orders (after the flows above)."""
    operator = demo_partner.OPERATOR
    listed = _ok(
        client.get(
            "/operator/v1/orders",
            headers=operator,
            params={"customer": "bcu_bluebonnet_bank", "limit": 2},
        )
    )
    _ok(client.get(f"/operator/v1/orders/{listed['orders'][0]['id']}", headers=operator))


def operations_webhook(client: TestClient, webhook_url: str) -> dict:
    """Operations' webhook, registered before the flows so it hears of all of them."""
    return _ok(
        client.post(
            "/operator/v1/webhooks",
            headers=demo_partner.OPERATOR,
            json={"url": webhook_url, "eventTypes": ["ledger.*"]},
        ),
        201,
    )


def events_flow(client: TestClient, hook: dict) -> None:
    """Every owner's events, polled and by webhook (after the flows above)."""
    operator = demo_partner.OPERATOR
    first = _ok(client.get("/operator/v1/events", headers=operator, params={"limit": 2}))
    _ok(
        client.get(
            "/operator/v1/events",
            headers=operator,
            params={"after": first["nextAfter"], "limit": 2},
        )
    )
    hooks = f"/operator/v1/webhooks/{hook['id']}"
    _ok(client.get("/operator/v1/webhooks", headers=operator))
    _ok(client.get(hooks, headers=operator))
    _ok(client.get(f"{hooks}/deliveries", headers=operator, params={"limit": 2}))
    _ok(client.post(f"{hooks}/redeliver", headers=operator))
    _ok(client.post(f"{hooks}/rotate-secret", headers=operator))
    _ok(client.delete(hooks, headers=operator))


def record(workdir: Path) -> Recorder:
    """Run every flow against a fresh sandbox database in `workdir`; the recorder."""
    from orderhub.app import create_app
    from orderhub.cli import prepare
    from orderhub.config import Settings

    settings = dataclasses.replace(
        Settings.from_env(),
        database_url=f"sqlite:///{workdir / 'examples.db'}",
        sandbox=True,
        worker_in_server=True,
        worker_poll_seconds=0.1,
    )
    prepare(settings)
    app = create_app(settings)
    recorder = Recorder(app.openapi())
    problems.problem_observers.append(recorder.observe_problem)
    try:
        with webhook_receiver() as url, TestClient(app, raise_server_exceptions=False) as client:
            client.event_hooks = {"request": [], "response": [recorder.capture]}
            recorder.rewrites[url] = RECEIVER_URL
            _ok(client.get("/healthz"))
            _ok(client.get("/readyz"))
            operations_hook = operations_webhook(client, url)
            consumer_flow(client, recorder)
            passkey_flow(client, recorder)
            partner_flow(client, recorder, url)
            onboarding_flow(client, recorder)
            care_flow(client, recorder)
            ledger_flow(client)
            events_flow(client, operations_hook)
    finally:
        problems.problem_observers.remove(recorder.observe_problem)
    return recorder

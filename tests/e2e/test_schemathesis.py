"""Schemathesis generates requests for every operation of the served OpenAPI document and
checks that no response is a server error or contradicts the document (status codes,
content types, headers, bodies).

Each operation is called as its own caller: the config file gives schemathesis one bearer
token per security scheme of the document (a signed-in customer for `HTTPBearer`, the
sandbox partner's client-credentials token for `PartnerToken`, the sandbox operator token
for `OperatorToken`). Ids in paths are fixed to resources made before the run (an order, a
quote, a contract, an onboarding order with its services...), so the generated calls reach
each operation's own checks instead of a 404.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from orderhub.demo import onboarding as demo_onboarding
from tests.api.b2b_helpers import (
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    SANDBOX_CLIENT,
    approved_quote,
    contract_body,
    draft_order,
    file_exception,
    partner_headers,
)
from tests.api.care_helpers import CARE, FAN, POOLED, care_body, change
from tests.helpers import create_order, sign_in

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
OPERATOR_TOKEN = "sandbox-operator-token"
ONB = "/onboarding/v1"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def _onboarding_order_with_services(http: httpx.Client, headers: dict[str, str]) -> dict:
    """An onboarding order qualified and with its package chosen: services to configure."""
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@example.com",
        "phone": "2175550123",
    }
    account = _ok(
        http.post(
            f"{ONB}/accounts",
            json={
                "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
                "primaryContact": contact,
                "billingContact": contact,
                "portal": {"username": "casey.fuzz", "password": "correct horse battery"},
            },
            headers=headers,
        ),
        201,
    )
    order = _ok(http.post(f"{ONB}/accounts/{account['id']}/orders", headers=headers), 201)
    url = f"{ONB}/orders/{order['id']}"
    for path, body in (
        ("sq/address", {"serviceTypeId": "home-broadband", "locationId": "LOC000000001"}),
        ("sq/phone", {"serviceTypeId": "voip-line", "phoneNumber": "2175550101"}),
    ):
        _ok(http.post(f"{url}/{path}", json=body, headers=headers))
    services = _ok(
        http.post(f"{url}/package", json={"packagePlanId": demo_onboarding.PLAN}, headers=headers)
    )["services"]
    return {"account": account["id"], "order": order["id"], "service": services[0]["id"]}


def _resources(http: httpx.Client, consumer: dict, partner: dict) -> dict[str, str]:
    """One of each thing an operation's path names, made through the API."""
    order, cancelled = create_order(http, consumer), create_order(http, consumer)
    quote = approved_quote(http, partner)
    unsigned = _ok(
        http.post(
            f"{B2B}/quotes/{approved_quote(http, partner)['id']}/contract",
            json=contract_body(),
            headers=partner,
        ),
        201,
    )
    b2b_order = draft_order(http, partner)
    webhook, deleted = (
        _ok(
            http.post(
                f"{B2B}/webhooks",
                json={"url": "https://hooks.example/fuzz", "eventTypes": ["*"]},
                headers=partner,
            ),
            201,
        )
        for _ in range(2)
    )
    # Due at the next billing cycle, so that it can still be withdrawn.
    care = _ok(
        http.post(
            f"{CARE}/careOrder",
            json=care_body(change(effectiveDate="nextBillingCycle")),
            headers=partner | {"X-ATT-ClientId": SANDBOX_CLIENT[0], "X-ATT-MessageId": "fuzz-1"},
        ),
        202,
    )
    onboarded = demo_onboarding.run(http)
    return {
        "consumer_order": order["id"],
        "cancelled_order": cancelled["id"],
        "quote": quote["id"],
        "contract": unsigned["id"],
        "b2b_order": b2b_order["id"],
        "sub_order": b2b_order["subOrders"][0]["id"],
        "exception_request": file_exception(http, partner)["id"],
        "webhook": webhook["id"],
        "deleted_webhook": deleted["id"],
        "care_order": care["id"],
        "onboarded_service": onboarded["serviceIds"][0],
        "plan": demo_onboarding.PLAN,
        **_onboarding_order_with_services(http, partner),
    }


def _operations(ids: dict[str, str]) -> list[dict[str, Any]]:
    """Filters and fixed parameters for the operations whose paths (or bodies) name a
    resource; an operation that ends its resource (cancel, delete) gets one of its own."""
    entries = [
        (r"^/msapi/order/v1/order/\{id\}/cancel$", {"path.id": ids["cancelled_order"]}),
        (r"^/msapi/order/v1/order/\{id\}/(?!cancel$)", {"path.id": ids["consumer_order"]}),
        (r"^/msapi/order/v1/order/\{id\}$", {"path.id": ids["consumer_order"]}),
        (r"^/msapi/order/v1/order/submit$", {"body.orderId": ids["consumer_order"]}),
        (r"^/b2b/v1/customers/\{id\}/", {"path.id": ALLIANCE_ONLY_CUSTOMER}),
        (r"^/b2b/v1/exception-requests/\{id\}$", {"path.id": ids["exception_request"]}),
        (r"^/b2b/v1/quotes/\{id\}", {"path.id": ids["quote"]}),
        (r"^/b2b/v1/contracts/\{id\}", {"path.id": ids["contract"]}),
        (r"^/b2b/v1/orders$", {"body.quoteId": ids["quote"]}),
        (
            r"^/b2b/v1/orders/\{id\}",
            {"path.id": ids["b2b_order"], "path.sub_order_id": ids["sub_order"]},
        ),
        (r"^/sandbox/v1/b2b/orders/\{id\}", {"path.id": ids["b2b_order"]}),
        (r"^/b2b/v1/webhooks/\{id\}/", {"path.id": ids["webhook"]}),
        (r"^/operator/v1/exception-requests/\{id\}", {"path.id": ids["exception_request"]}),
        (r"^/operator/v1/inventory/services/\{id\}", {"path.id": ids["onboarded_service"]}),
        (r"^/inventory/v1/accounts/\{fan\}", {"path.fan": FAN}),
        (r"^/inventory/v1/subscribers/\{ctn\}", {"path.ctn": POOLED}),
        (r"^/inventory/v1/services/\{id\}", {"path.id": ids["onboarded_service"]}),
        (r"^/onboarding/v1/accounts/\{id\}", {"path.id": ids["account"]}),
        (
            r"^/onboarding/v1/orders/\{id\}",
            {"path.id": ids["order"], "path.service_id": ids["service"]},
        ),
        (r"^/onboarding/v1/package-plans/\{plan_id\}", {"path.plan_id": ids["plan"]}),
        (
            r"^/api/orderingMobility/v1/careOrder/\{care_order_id\}",
            {"path.care_order_id": ids["care_order"]},
        ),
        # The client id the partner's token was issued to; anything else is a 403.
        (r"^/api/orderingMobility/v1/careOrder$", {"header.X-ATT-ClientId": SANDBOX_CLIENT[0]}),
    ]
    webhook = r"^/b2b/v1/webhooks/\{id\}$"
    return [{"include-path-regex": regex, "parameters": fixed} for regex, fixed in entries] + [
        {
            "include-path-regex": webhook,
            "exclude-method": "DELETE",
            "parameters": {"path.id": ids["webhook"]},
        },
        {
            "include-path-regex": webhook,
            "include-method": "DELETE",
            "parameters": {"path.id": ids["deleted_webhook"]},
        },
    ]


def _toml(value: Any) -> str:
    return json.dumps(value)  # a JSON string or flat table of strings is valid TOML too


def _config(tokens: dict[str, str], ids: dict[str, str]) -> str:
    lines = []
    for scheme, token in tokens.items():
        lines += [f"[auth.openapi.{scheme}]", f"bearer = {_toml(token)}", ""]
    for entry in _operations(ids):
        lines.append("[[operations]]")
        for key, value in entry.items():
            if isinstance(value, dict):
                value = (
                    "{ " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + " }"
                )
            else:
                value = _toml(value)
            lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


def _never_past_authentication(document: dict[str, Any], har: Path) -> set[str]:
    """The operations taking a token that answered every call 401 or 403 (from the run's
    HAR report: each request matched to its operation by method and path template)."""
    operations = {}
    for template, methods in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in methods.items():
            if operation.get("security"):
                operations[f"{method.upper()} {template}"] = (method.upper(), pattern)
    past: set[str] = set()
    for entry in json.loads(har.read_text())["log"]["entries"]:
        request, status = entry["request"], entry["response"]["status"]
        if status in (401, 403):
            continue
        path = "/" + request["url"].split("/", 3)[3].split("?")[0]
        past |= {
            name
            for name, (method, pattern) in operations.items()
            if method == request["method"] and pattern.match(path)
        }
    return set(operations) - past


def test_no_operation_breaks_its_contract(serve, tmp_path):
    url = serve()
    with httpx.Client(base_url=url, timeout=30) as http:
        consumer, partner = sign_in(http), partner_headers(http)
        ids = _resources(http, consumer, partner)
    tokens = {
        "HTTPBearer": consumer["Authorization"].removeprefix("Bearer "),
        "PartnerToken": partner["Authorization"].removeprefix("Bearer "),
        "OperatorToken": OPERATOR_TOKEN,
    }
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(tokens, ids))
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "--config-file",
            str(config),
            "run",
            f"{url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "10",
            "--seed",
            "20261123",
            "--no-color",
            "--generation-database",
            "none",
            # Generation speed measures the machine's load, not the contract.
            "--suppress-health-check",
            "too_slow",
            "--report",
            "har",
            "--report-har-path",
            str(tmp_path / "calls.har"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    # Every generated case passed, and there were enough of them to mean something.
    counts = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counts and counts.group(1) == counts.group(2), run.stdout[-3000:]
    assert int(counts.group(1)) > 500
    # Every operation taking a token was called with one it accepts (consumer, partner or
    # operator): each answered something other than 401/403 at least once.
    document = httpx.get(f"{url}/openapi.json").json()
    assert _never_past_authentication(document, tmp_path / "calls.har") == set()

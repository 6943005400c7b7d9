"""Operation ids, and which operation a request names.

An operation's id is its route function's name in camelCase (`create_quote` ->
`createQuote`), decided here and nowhere else. Where two surfaces name their functions
alike (`create_order` is the consumer cart and the B2B order), `OVERRIDES` names them
apart; tests/api/test_openapi.py pins the whole list, so a rename is a visible change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# (METHOD, path) -> id, where the derived name is taken or says too little.
OVERRIDES: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): "getHealth",
    ("GET", "/operator/v1/orders"): "listLedgerOrders",
    ("GET", "/operator/v1/orders/{id}"): "getLedgerOrder",
    ("GET", "/readyz"): "getReadiness",
    ("GET", "/msapi/order/v1/auth-methods"): "listAuthMethods",
    ("GET", "/msapi/order/v1/terms"): "getCurrentTerms",
    ("GET", "/msapi/order/v1/order/{id}/credit.policy"): "getCreditPolicy",
    ("POST", "/msapi/order/v1/order/{id}/number.available"): "searchAvailableNumbers",
    ("POST", "/oauth/token"): "issuePartnerToken",
    ("POST", "/b2b/v1/customers/lookup"): "lookupB2bCustomers",
    ("GET", "/b2b/v1/exception-requests"): "listB2bExceptionRequests",
    ("GET", "/b2b/v1/exception-requests/{id}"): "getB2bExceptionRequest",
    ("POST", "/b2b/v1/addresses/validate"): "validateB2bAddress",
    ("GET", "/b2b/v1/products"): "listB2bProducts",
    ("POST", "/b2b/v1/orders"): "createB2bOrder",
    ("GET", "/b2b/v1/orders"): "listB2bOrders",
    ("GET", "/b2b/v1/orders/{id}"): "getB2bOrder",
    ("PATCH", "/b2b/v1/orders/{id}"): "enrichB2bOrder",
    ("PATCH", "/b2b/v1/orders/{id}/sub-orders/{sub_order_id}"): "enrichB2bSubOrder",
    ("POST", "/b2b/v1/orders/{id}/submit"): "submitB2bOrder",
    ("GET", "/b2b/v1/orders/{id}/history"): "getB2bOrderHistory",
    ("POST", "/b2b/v1/quotes/{id}/credit-check"): "checkQuoteCredit",
    ("GET", "/b2b/v1/quotes/{id}/credit-check"): "getQuoteCreditCheck",
    ("GET", "/b2b/v1/webhooks/{id}/deliveries"): "listWebhookDeliveries",
    ("POST", "/b2b/v1/webhooks/{id}/redeliver"): "redeliverFailedDeliveries",
    ("POST", "/operator/v1/webhooks"): "createOperatorWebhook",
    ("GET", "/operator/v1/webhooks"): "listOperatorWebhooks",
    ("GET", "/operator/v1/webhooks/{id}"): "getOperatorWebhook",
    ("DELETE", "/operator/v1/webhooks/{id}"): "deactivateOperatorWebhook",
    ("POST", "/operator/v1/webhooks/{id}/rotate-secret"): "rotateOperatorWebhookSecret",
    ("GET", "/operator/v1/webhooks/{id}/deliveries"): "listOperatorWebhookDeliveries",
    ("POST", "/operator/v1/webhooks/{id}/redeliver"): "redeliverOperatorFailedDeliveries",
    ("GET", "/operator/v1/events"): "pollOperatorEvents",
    ("GET", "/operator/v1/exception-requests"): "listOperatorExceptionRequests",
    ("GET", "/operator/v1/exception-requests/{id}"): "getOperatorExceptionRequest",
    ("POST", "/operator/v1/inventory/services/{id}/activate"): "activateInventoryService",
    ("GET", "/inventory/v1/accounts/{fan}/subscribers"): "listAccountSubscribers",
    ("GET", "/inventory/v1/subscribers/{ctn}"): "getSubscriber",
    ("GET", "/inventory/v1/services/{id}"): "getInventoryService",
    ("POST", "/onboarding/v1/accounts"): "createOnboardingAccount",
    ("GET", "/onboarding/v1/accounts/{id}"): "getOnboardingAccount",
    ("POST", "/onboarding/v1/accounts/find-by-credentials"): "findOnboardingAccountByCredentials",
    ("POST", "/onboarding/v1/accounts/{id}/orders"): "startOnboardingOrder",
    ("GET", "/onboarding/v1/orders/{id}"): "getOnboardingOrder",
    ("POST", "/onboarding/v1/orders/{id}/sq/simple"): "runSimpleSq",
    ("POST", "/onboarding/v1/orders/{id}/sq/phone"): "runPhoneSq",
    ("POST", "/onboarding/v1/orders/{id}/sq/address/find"): "findSqAddress",
    ("POST", "/onboarding/v1/orders/{id}/sq/address"): "runAddressSq",
    ("GET", "/onboarding/v1/orders/{id}/packages"): "listAvailablePackages",
    ("GET", "/onboarding/v1/package-plans/{plan_id}"): "getPackagePlan",
    ("GET", "/onboarding/v1/orders/{id}/services"): "listOrderServices",
    ("GET", "/onboarding/v1/orders/{id}/services/{service_id}/requirements/{kind}"): (
        "getServiceRequirements"
    ),
    ("GET", "/onboarding/v1/orders/{id}/identifier-realms"): "listIdentifierRealms",
    ("PUT", "/onboarding/v1/orders/{id}/services/{service_id}/{kind}"): "setServiceRequirements",
    ("GET", "/onboarding/v1/orders/{id}/terms"): "getOnboardingOrderTerms",
    ("POST", "/onboarding/v1/orders/{id}/terms/acceptance"): "acceptOnboardingOrderTerms",
    ("POST", "/onboarding/v1/orders/{id}/submit"): "submitOnboardingOrder",
    ("POST", "/onboarding/v1/accounts/{id}/notes"): "createAccountNote",
    ("GET", "/onboarding/v1/accounts/{id}/notes"): "listAccountNotes",
    ("POST", "/onboarding/v1/accounts/{id}/payments"): "createAccountPayment",
    ("GET", "/onboarding/v1/accounts/{id}/payments"): "listAccountPayments",
    ("GET", "/sandbox/v1/messages"): "listSentMessages",
    ("GET", "/sandbox/v1/clock"): "getTestClock",
    ("POST", "/sandbox/v1/clock"): "moveTestClock",
    ("POST", "/sandbox/v1/b2b/orders/{id}/advance"): "advanceB2bOrder",
}


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, operation


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def function_name(generated: str, method: str, path: str) -> str:
    """The route function's name inside FastAPI's generated id (`<name><path>_<method>`,
    non-word characters as `_`); an id a route set itself is returned as it is."""
    suffix = re.sub(r"\W", "_", path) + "_" + method.lower()
    if generated.endswith(suffix) and len(generated) > len(suffix):
        return generated[: -len(suffix)]
    return generated


def assign_ids(document: dict[str, Any]) -> None:
    """Give every operation its camelCase id; two operations with one id are an error."""
    for method, path, operation in operations(document):
        name = function_name(operation.get("operationId", ""), method, path)
        operation["operationId"] = OVERRIDES.get((method, path)) or camel(name)
    counts = Counter(op["operationId"] for _, _, op in operations(document))
    taken = sorted(i for i, n in counts.items() if n > 1)
    if taken:
        raise ValueError(
            f"operationIds used twice: {taken}; name them apart in "
            "orderhub/surfaces/openapi/operations.py OVERRIDES"
        )


class OperationIndex:
    """Which operation of a document a request (method and path) reaches."""

    def __init__(self, document: dict[str, Any]) -> None:
        entries = []
        for method, path, operation in operations(document):
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
            literal = sum(1 for part in path.split("/") if part and not part.startswith("{"))
            entries.append((literal, method, path, re.compile(pattern + "$"), operation))
        # Literal segments first: `/accounts/find-by-credentials` before `/accounts/{id}`.
        entries.sort(key=lambda entry: -entry[0])
        self._entries = [entry[1:] for entry in entries]

    def find(
        self, method: str, path: str, route_path: str | None = None
    ) -> tuple[str, dict[str, Any]] | None:
        """(template, operation) for the request, or None when no operation takes it.
        `route_path` (the route's own template, maybe without its router's prefix)
        settles a tie."""
        for entry_method, template, pattern, operation in self._entries:
            if entry_method != method.upper() or not pattern.match(path):
                continue
            if route_path and not template.endswith(route_path):
                continue
            return template, operation
        return None

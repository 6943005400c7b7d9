"""The OpenAPI document is fit to generate clients from: readable schema names, pinned
camelCase operation ids, described tags, a relative server, each operation's problem codes."""

from __future__ import annotations

import json
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from fastapi import Request

from orderhub.surfaces.openapi import annotate
from orderhub.surfaces.openapi.names import readable_names
from orderhub.surfaces.openapi.operations import operations
from tests.api.conftest import DocumentedCodes

# Every operation's id. A change here is a breaking change for generated clients: make it
# on purpose (orderhub/surfaces/openapi/operations.py), never by renaming a function.
OPERATION_IDS = {
    "GET /healthz": "getHealth",
    "GET /operator/v1/orders": "listLedgerOrders",
    "POST /sandbox/v1/orders/{id}/advance": "advanceOrder",
    "GET /operator/v1/orders/{id}": "getLedgerOrder",
    "GET /readyz": "getReadiness",
    "GET /msapi/order/v1/auth-methods": "listAuthMethods",
    "POST /msapi/order/v1/auth/generateotp": "generateOtp",
    "POST /msapi/order/v1/auth": "authenticate",
    "POST /msapi/order/v1/auth/passkey": "authenticateWithPasskey",
    "POST /msapi/order/v1/passkeys/registration-options": "passkeyRegistrationOptions",
    "POST /msapi/order/v1/passkeys": "createPasskey",
    "GET /msapi/order/v1/passkeys": "listPasskeys",
    "GET /msapi/order/v1/passkeys/{id}": "getPasskey",
    "DELETE /msapi/order/v1/passkeys/{id}": "deletePasskey",
    "POST /msapi/order/v1/passkeys/authentication-options": "passkeyAuthenticationOptions",
    "GET /msapi/order/v1/customers": "lookupCustomers",
    "GET /msapi/order/v1/offers": "listOffers",
    "GET /msapi/order/v1/stores": "listStores",
    "GET /msapi/order/v1/terms": "getCurrentTerms",
    "POST /msapi/order/v1/order/create": "createOrder",
    "GET /msapi/order/v1/orders": "listOrders",
    "GET /msapi/order/v1/order/{id}": "getOrder",
    "GET /msapi/order/v1/order/{id}/validate": "validateOrderLowercase",
    "GET /msapi/order/V1/order/{id}/validate": "validateOrder",
    "POST /msapi/order/v1/order/submit": "submitOrder",
    "POST /msapi/order/v1/order/{id}/cancel": "cancelOrder",
    "POST /msapi/order/v1/order/{id}/credit.submit": "submitCredit",
    "GET /msapi/order/v1/order/{id}/credit.policy": "getCreditPolicy",
    "POST /msapi/order/v1/order/{id}/fulfillment": "createFulfillment",
    "PATCH /msapi/order/v1/order/{id}/fulfillment": "updateFulfillment",
    "POST /msapi/order/v1/order/{id}/number.available": "searchAvailableNumbers",
    "PATCH /msapi/order/v1/order/{id}/number.reserve": "reserveNumber",
    "POST /oauth/token": "issuePartnerToken",
    "POST /b2b/v1/customers/lookup": "lookupB2bCustomers",
    "POST /b2b/v1/customers/{id}/exception-requests": "createExceptionRequest",
    "GET /b2b/v1/exception-requests": "listB2bExceptionRequests",
    "GET /b2b/v1/exception-requests/{id}": "getB2bExceptionRequest",
    "POST /b2b/v1/addresses/validate": "validateB2bAddress",
    "GET /b2b/v1/products": "listB2bProducts",
    "POST /b2b/v1/opportunities": "createOpportunity",
    "GET /b2b/v1/opportunities": "listOpportunities",
    "GET /b2b/v1/opportunities/{id}": "getOpportunity",
    "GET /b2b/v1/opportunities/{id}/quotes": "listOpportunityQuotes",
    "POST /b2b/v1/opportunities/{id}/close": "closeOpportunity",
    "POST /b2b/v1/quotes": "createQuote",
    "GET /b2b/v1/quotes": "listQuotes",
    "GET /b2b/v1/quotes/{id}": "getQuote",
    "PATCH /b2b/v1/quotes/{id}": "updateQuote",
    "POST /b2b/v1/quotes/{id}/validate": "validateQuote",
    "POST /b2b/v1/quotes/{id}/credit-check": "checkQuoteCredit",
    "GET /b2b/v1/quotes/{id}/credit-check": "getQuoteCreditCheck",
    "POST /b2b/v1/quotes/{id}/contract": "generateContract",
    "GET /b2b/v1/quotes/{id}/contract": "getQuoteContract",
    "GET /b2b/v1/contracts/{id}": "getContract",
    "POST /b2b/v1/contracts/{id}/sign": "signContract",
    "POST /b2b/v1/orders": "createB2bOrder",
    "GET /b2b/v1/orders": "listB2bOrders",
    "GET /b2b/v1/orders/{id}": "getB2bOrder",
    "PATCH /b2b/v1/orders/{id}": "enrichB2bOrder",
    "PATCH /b2b/v1/orders/{id}/sub-orders/{sub_order_id}": "enrichB2bSubOrder",
    "POST /b2b/v1/orders/{id}/submit": "submitB2bOrder",
    "GET /b2b/v1/orders/{id}/history": "getB2bOrderHistory",
    "POST /b2b/v1/webhooks": "createWebhook",
    "GET /b2b/v1/webhooks": "listWebhooks",
    "GET /b2b/v1/webhooks/{id}": "getWebhook",
    "DELETE /b2b/v1/webhooks/{id}": "deactivateWebhook",
    "POST /b2b/v1/webhooks/{id}/rotate-secret": "rotateWebhookSecret",
    "GET /b2b/v1/webhooks/{id}/deliveries": "listWebhookDeliveries",
    "POST /b2b/v1/webhooks/{id}/redeliver": "redeliverFailedDeliveries",
    "GET /b2b/v1/events": "pollEvents",
    "POST /operator/v1/webhooks": "createOperatorWebhook",
    "GET /operator/v1/webhooks": "listOperatorWebhooks",
    "GET /operator/v1/webhooks/{id}": "getOperatorWebhook",
    "DELETE /operator/v1/webhooks/{id}": "deactivateOperatorWebhook",
    "POST /operator/v1/webhooks/{id}/rotate-secret": "rotateOperatorWebhookSecret",
    "GET /operator/v1/webhooks/{id}/deliveries": "listOperatorWebhookDeliveries",
    "POST /operator/v1/webhooks/{id}/redeliver": "redeliverOperatorFailedDeliveries",
    "GET /operator/v1/events": "pollOperatorEvents",
    "GET /operator/v1/exception-requests": "listOperatorExceptionRequests",
    "GET /operator/v1/exception-requests/{id}": "getOperatorExceptionRequest",
    "POST /operator/v1/exception-requests/{id}/approve": "approveExceptionRequest",
    "POST /operator/v1/exception-requests/{id}/reject": "rejectExceptionRequest",
    "POST /operator/v1/inventory/services/{id}/activate": "activateInventoryService",
    "GET /operator/v1/partners/{id}/onboarding-settings": "getOnboardingSettings",
    "PATCH /operator/v1/partners/{id}/onboarding-settings": "changeOnboardingSettings",
    "GET /operator/v1/partners/{id}/identifier-realms": "getPartnerIdentifierRealms",
    "PUT /operator/v1/partners/{id}/identifier-realms": "setPartnerIdentifierRealms",
    "DELETE /operator/v1/partners/{id}/identifier-realms": "clearPartnerIdentifierRealms",
    "GET /inventory/v1/accounts/{fan}/subscribers": "listAccountSubscribers",
    "GET /inventory/v1/subscribers/{ctn}": "getSubscriber",
    "GET /inventory/v1/services/{id}": "getInventoryService",
    "POST /onboarding/v1/accounts": "createOnboardingAccount",
    "GET /onboarding/v1/accounts/{id}": "getOnboardingAccount",
    "POST /onboarding/v1/accounts/find-by-credentials": "findOnboardingAccountByCredentials",
    "POST /onboarding/v1/accounts/{id}/orders": "startOnboardingOrder",
    "GET /onboarding/v1/orders/{id}": "getOnboardingOrder",
    "POST /onboarding/v1/orders/{id}/sq/simple": "runSimpleSq",
    "POST /onboarding/v1/orders/{id}/sq/general-phone": "runGeneralPhoneSq",
    "POST /onboarding/v1/orders/{id}/sq/phone": "runPhoneSq",
    "POST /onboarding/v1/orders/{id}/sq/address/find": "findSqAddress",
    "POST /onboarding/v1/orders/{id}/sq/address": "runAddressSq",
    "GET /onboarding/v1/orders/{id}/packages": "listAvailablePackages",
    "GET /onboarding/v1/package-plans/{plan_id}": "getPackagePlan",
    "POST /onboarding/v1/orders/{id}/package": "selectPackagePlan",
    "GET /onboarding/v1/orders/{id}/services": "listOrderServices",
    "GET /onboarding/v1/orders/{id}/services/{service_id}/requirements/{kind}": (
        "getServiceRequirements"
    ),
    "GET /onboarding/v1/orders/{id}/identifier-realms": "listIdentifierRealms",
    "PUT /onboarding/v1/orders/{id}/services/{service_id}/{kind}": "setServiceRequirements",
    "GET /onboarding/v1/orders/{id}/terms": "getOnboardingOrderTerms",
    "POST /onboarding/v1/orders/{id}/terms/acceptance": "acceptOnboardingOrderTerms",
    "POST /onboarding/v1/orders/{id}/submit": "submitOnboardingOrder",
    "POST /onboarding/v1/accounts/{id}/notes": "createAccountNote",
    "GET /onboarding/v1/accounts/{id}/notes": "listAccountNotes",
    "POST /onboarding/v1/accounts/{id}/payments": "createAccountPayment",
    "GET /onboarding/v1/accounts/{id}/payments": "listAccountPayments",
    "POST /onboarding/v1/orders/{id}/payments": "createOrderPayment",
    "GET /onboarding/v1/orders/{id}/payments": "listOrderPayments",
    "POST /api/orderingMobility/v1/careOrder": "createCareOrder",
    "GET /api/orderingMobility/v1/careOrder": "listCareOrders",
    "GET /api/orderingMobility/v1/careOrder/{care_order_id}": "getCareOrder",
    "POST /api/orderingMobility/v1/careOrder/{care_order_id}/cancel": "cancelCareOrder",
    "GET /sandbox/v1/messages": "listSentMessages",
    "GET /sandbox/v1/clock": "getTestClock",
    "POST /sandbox/v1/clock": "moveTestClock",
    "POST /sandbox/v1/b2b/orders/{id}/advance": "advanceB2bOrder",
}
CAMEL = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$")


def test_every_operation_id_is_pinned_unique_and_camel_case(openapi_document):
    ids = {
        f"{method} {path}": op["operationId"] for method, path, op in operations(openapi_document)
    }

    assert ids == OPERATION_IDS
    assert not [i for i, n in Counter(ids.values()).items() if n > 1]
    assert not [i for i in ids.values() if not CAMEL.match(i)]


def test_schema_names_hold_no_module_paths_and_every_reference_resolves(openapi_document):
    names = set(openapi_document["components"]["schemas"])
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(openapi_document)))

    assert not [n for n in names if "__" in n or "." in n]
    assert {"B2bOrderOut", "DirectOrderOut", "OnboardingAccountOut", "ProblemOut"} <= names
    assert refs <= names


def test_colliding_class_names_take_their_surface_then_their_module():
    renamed = readable_names(
        [
            "orderhub__surfaces__b2b__order_schemas__OrderOut",
            "orderhub__surfaces__direct__schemas__OrderOut",
            "orderhub__surfaces__b2b__order_schemas__InstallationOut",
            "orderhub__surfaces__b2b__quote_schemas__InstallationOut",
            "QuoteOut",
        ]
    )

    assert renamed == {
        "orderhub__surfaces__b2b__order_schemas__OrderOut": "B2bOrderOut",
        "orderhub__surfaces__direct__schemas__OrderOut": "DirectOrderOut",
        "orderhub__surfaces__b2b__order_schemas__InstallationOut": "B2bOrderInstallationOut",
        "orderhub__surfaces__b2b__quote_schemas__InstallationOut": "B2bQuoteInstallationOut",
    }


def test_every_tag_in_use_is_described(openapi_document):
    used = {tag for _, _, op in operations(openapi_document) for tag in op.get("tags", [])}
    described = {t["name"] for t in openapi_document["tags"] if t.get("description")}

    assert used
    assert used <= described


def test_the_server_is_relative_so_tools_call_the_instance_that_served_the_document(client):
    document = client.get("/openapi.json").json()

    assert document["servers"][0]["url"] == "/"
    assert document["openapi"].startswith("3.")


@pytest.mark.parametrize("name", [annotate.EXAMPLES_FILE, annotate.PROBLEM_CODES_FILE])
def test_the_data_files_name_only_operations_that_exist(openapi_document, name):
    ids = {op["operationId"] for _, _, op in operations(openapi_document)}
    data = annotate.load(name)
    keyed = data["operations"] if name == annotate.PROBLEM_CODES_FILE else data

    assert set(keyed) <= ids


def test_each_error_response_lists_its_codes(openapi_document):
    op = openapi_document["paths"]["/b2b/v1/quotes/{id}"]["patch"]
    conflict = op["responses"]["409"]
    shared = openapi_document["x-problem-codes-shared"]

    assert "quote_locked" in conflict["x-problem-codes"]
    assert "`quote_locked`" in conflict["description"]
    assert "validation_failed" in shared["422"]
    assert "validation_failed" in op["responses"]["422"]["x-problem-codes"]
    assert "`validation_failed`" in openapi_document["info"]["description"]


def test_every_listed_code_is_in_a_documented_problem_response(openapi_document):
    for _, _, op in operations(openapi_document):
        for status, response in op["responses"].items():
            if "x-problem-codes" in response:
                assert int(status) >= 400
                assert "application/problem+json" in response["content"], op["operationId"]


def _request(method: str, path: str, route_path: str | None) -> Request:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "scheme": "http",
        "server": ("testserver", 80),
        "query_string": b"",
        "headers": [],
    }
    if route_path:
        scope["route"] = SimpleNamespace(path=route_path)
    return Request(scope)


def test_the_api_tests_report_a_code_the_document_does_not_list(openapi_document):
    codes = DocumentedCodes(openapi_document)
    locked_quote = _request("PATCH", "/b2b/v1/quotes/quo_1", "/quotes/{id}")

    assert codes.undocumented(locked_quote, 409, "quote_locked") is None
    assert codes.undocumented(locked_quote, 422, "validation_failed") is None  # shared
    assert "updateQuote" in codes.undocumented(locked_quote, 409, "made_up_code")
    assert "updateQuote" in codes.undocumented(locked_quote, 404, "quote_locked")
    assert codes.undocumented(locked_quote, 503, "database_unavailable") is None  # shared
    token = _request("POST", "/oauth/token", "/oauth/token")
    assert "issuePartnerToken" in codes.undocumented(token, 401, "invalid_token")
    assert codes.undocumented(_request("GET", "/nowhere", None), 404, "not_found") is None
    assert codes.seen["updateQuote"]["409"] == {"quote_locked", "made_up_code"}

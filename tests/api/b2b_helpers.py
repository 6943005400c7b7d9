"""Plain factory functions for the B2B tests: partner tokens, lookups, exception requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orderhub.partners import service as partners

B2B = "/b2b/v1"
SANDBOX_CLIENT = ("sandbox-partner", "sandbox-partner-secret")
SANDBOX_CLIENT_B = ("sandbox-partner-b", "sandbox-partner-b-secret")
OPERATOR = {"Authorization": "Bearer sandbox-operator-token"}
# Sandbox business customers (src/orderhub/sandbox/data/partners.json).
ALLIANCE_CUSTOMER = "bcu_bluebonnet_bank"
ALLIANCE_ONLY_CUSTOMER = "bcu_red_river_health"  # alliance-only for sandbox-partner
PARTNER_B_ONLY_CUSTOMER = "bcu_gulf_coast_shipping"


def token_form(client: tuple[str, str] = SANDBOX_CLIENT, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": client[0],
        "client_secret": client[1],
    } | overrides


def partner_headers(http: Any, client: tuple[str, str] = SANDBOX_CLIENT) -> dict[str, str]:
    """Headers carrying a fresh partner access token for the client."""
    response = http.post("/oauth/token", data=token_form(client))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def new_partner(session: Session, name: str = "Test Partner") -> partners.IssuedClient:
    return partners.create_partner(session, name=name)


def file_exception(
    http: Any, headers: dict[str, str], customer_id: str = ALLIANCE_ONLY_CUSTOMER, **extra: Any
) -> dict[str, Any]:
    response = http.post(
        f"{B2B}/customers/{customer_id}/exception-requests",
        json={"reason": "The customer asked us for a quote."} | extra,
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def site(line1: str = "1900 North Akard Street", zip_code: str = "75201", **extra: Any) -> dict:
    city = {"75201": "Dallas", "75024": "Plano"}.get(zip_code, "Dallas")
    return {
        "name": "HQ",
        "address": {"addressLine1": line1, "city": city, "state": "TX", "zipCode": zip_code},
        "products": [
            {
                "productId": "dia",
                "accessSpeed": "1G",
                "portSpeed": "1G",
                "installationOption": "standard",
                "discountPercent": 10,
                "promotionIds": ["promo-dia-install-waiver"],
            }
        ],
    } | extra


def quote_body(customer_id: str = ALLIANCE_CUSTOMER, **overrides: Any) -> dict[str, Any]:
    """Two sites, two products: DIA 1G and SIP at HQ, switched ethernet at the branch."""
    hq = site()
    hq["products"].append(
        {"productId": "voice-sip", "accessSpeed": "10M", "installationOption": "remote"}
    )
    branch = site(
        "5800 Legacy Drive",
        "75024",
        name="Branch",
        products=[
            {
                "productId": "ethernet",
                "accessSpeed": "1G",
                "portSpeed": "100M",
                "installationOption": "expedited",
                "discountPercent": 15,
            }
        ],
    )
    return {
        "customerId": customer_id,
        "name": "HQ and branch",
        "billingPreferences": {"billingEmail": "ap@bluebonnet.example.com"},
        "sites": [hq, branch],
    } | overrides


def create_quote(http: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = http.post(f"{B2B}/quotes", json=quote_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# ---- credit, contracts, orders (the rest of issue 4) -----------------------------------

# Sandbox customers whose tax id picks the credit decision (docs/sandbox.md).
DECLINED_CUSTOMER = "bcu_acme_logistics"  # tax id ends 0000
DEPOSIT_CUSTOMER = "bcu_lone_star_clinics"  # 1111: approved with a deposit
REVIEW_CUSTOMER = "bcu_prairie_foods"  # 2222: pending review


def future(days: int) -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=days)).isoformat()


def contract_body(**overrides: Any) -> dict[str, Any]:
    return {
        "contact": {
            "name": "Pat Lee",
            "title": "CFO",
            "email": "pat.lee@bluebonnet.example.com",
            "phone": "214-555-0399",
        },
        "effectiveDate": future(7),
        "termMonths": 36,
    } | overrides


def approved_quote(http: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """A validated quote with an approved credit check."""
    quote = create_quote(http, headers, **overrides)
    url = f"{B2B}/quotes/{quote['id']}"
    assert http.post(f"{url}/validate", headers=headers).json()["valid"]
    credit = http.post(f"{url}/credit-check", headers=headers)
    assert credit.status_code == 200 and credit.json()["decision"] == "approved", credit.text
    return quote


def signed_quote(http: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """A quote whose contract is signed (so it is locked); returns the contract."""
    quote = approved_quote(http, headers, **overrides)
    contract = http.post(
        f"{B2B}/quotes/{quote['id']}/contract", json=contract_body(), headers=headers
    )
    assert contract.status_code == 201, contract.text
    signed = http.post(
        f"{B2B}/contracts/{contract.json()['id']}/sign",
        json={"signedBy": {"name": "Pat Lee", "title": "CFO"}},
        headers=headers,
    )
    assert signed.status_code == 200, signed.text
    return signed.json()


def enrichment(**overrides: Any) -> dict[str, Any]:
    return {
        "customerDefinedGroup": "rollout-q1",
        "installation": {
            "contacts": [{"name": "Sam Ortiz", "phone": "2145550311", "role": "facilities"}],
            "requestedStartDate": future(14),
            "requestedDueDate": future(30),
            "premiseNotes": "Loading dock on Elm St.",
        },
        "shipping": {"email": "receiving@bluebonnet.example.com", "notes": "Ring the bell."},
        "billingConfiguration": {"processId": "P-100", "invoiceNumber": "INV-1"},
    } | overrides


def draft_order(http: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    contract = signed_quote(http, headers, **overrides)
    response = http.post(f"{B2B}/orders", json={"quoteId": contract["quoteId"]}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def submitted_order(http: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    order = draft_order(http, headers, **overrides)
    url = f"{B2B}/orders/{order['id']}"
    assert http.patch(url, json=enrichment(), headers=headers).status_code == 200
    assert http.post(f"{url}/submit", headers=headers).status_code == 200
    return order

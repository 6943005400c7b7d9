"""What each tag of the document groups, in the order the pages show them."""

from __future__ import annotations

from typing import Any

TAGS: list[dict[str, str]] = [
    {
        "name": "authentication",
        "description": "Consumer sign-in (`/msapi/order`): the methods offered, a one-time "
        "code by SMS or e-mail, and the exchange of a code or password for a bearer token.",
    },
    {
        "name": "customers",
        "description": "The signed-in consumer's own customer record, found by phone or e-mail.",
    },
    {
        "name": "offers",
        "description": "The consumer catalog: plans, devices and accessories with prices, "
        "eligibility and promotions.",
    },
    {
        "name": "orders",
        "description": "Consumer orders (`/msapi/order/v1/order...`): the cart, validation, "
        "submission and cancellation. B2B partner orders (`/b2b/v1/orders`): created from a "
        "quote under a signed contract, enriched, handed off and followed through their "
        "provisioning milestones.",
    },
    {
        "name": "credit",
        "description": "The consumer credit check of an order and the policy it sets "
        "(how many lines, deposit and down payment).",
    },
    {
        "name": "fulfillment",
        "description": "Shipping or store pickup, contact, requested date and the terms "
        "a consumer accepts; the stores and the current terms.",
    },
    {
        "name": "numbers",
        "description": "Phone numbers for an order's new lines: search the pool, reserve one "
        "per line (assigned on submit).",
    },
    {
        "name": "partner authentication",
        "description": "OAuth 2.0 client credentials: a partner's client id and secret for a "
        "bearer token used by the B2B, onboarding, care and inventory APIs.",
    },
    {
        "name": "end customers",
        "description": "A partner's business end customers: lookup (with `canQuote`) and "
        "exception requests for customers the partner may not quote yet.",
    },
    {
        "name": "addresses",
        "description": "Postal validation of a business site's address.",
    },
    {
        "name": "opportunities",
        "description": "A partner's opportunity to do business with an end customer: its "
        "quotes are alternatives; an order from one wins it, the partner may close it lost.",
    },
    {
        "name": "quotes",
        "description": "The business catalog and quotes: sites, configured products, "
        "prices and validation. A signed contract locks its quote.",
    },
    {
        "name": "credit and contracts",
        "description": "A quote's business credit check (reused for 30 days), the contract "
        "generated from it and its signature.",
    },
    {
        "name": "status updates",
        "description": "How partners hear of changes: signed webhooks with their deliveries, "
        "and event polling (`GET /b2b/v1/events`).",
    },
    {
        "name": "onboarding accounts",
        "description": "Service-provider onboarding: customer accounts with their contacts "
        "and portal credentials.",
    },
    {
        "name": "onboarding orders",
        "description": "Onboarding orders and service qualification (simple, phone and "
        "address SQ).",
    },
    {
        "name": "onboarding configuration",
        "description": "Packages, each service's requirement sets (configuration, features, "
        "contacts, identifiers), terms and submission into the inventory.",
    },
    {
        "name": "onboarding notes and payments",
        "description": "Notes on an account and card payments through the payments provider.",
    },
    {
        "name": "care orders",
        "description": "Mobility care orders: changes to existing lines, accepted with 202 "
        "and applied by the worker at their effective dates; withdrawal of pending changes.",
    },
    {
        "name": "inventory",
        "description": "The subscriber inventory: an account's lines with features, device "
        "and history, and onboarded services, for the partners allowed on the account.",
    },
    {
        "name": "operations",
        "description": "Health and readiness probes; the operator API (`/operator/v1`, "
        "operator token) for exception request decisions and service activation.",
    },
    {
        "name": "sandbox",
        "description": "Sandbox mode only: messages the sandbox sent (OTP codes), the shared "
        "test clock, and moving a B2B order to its next milestone.",
    },
]


def describe_tags(document: dict[str, Any]) -> None:
    """The tags the operations use, described, in `TAGS` order (any undescribed one last)."""
    used: list[str] = []
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for tag in operation.get("tags", []) if isinstance(operation, dict) else []:
                if tag not in used:
                    used.append(tag)
    described = [tag for tag in TAGS if tag["name"] in used]
    known = {tag["name"] for tag in TAGS}
    document["tags"] = described + [{"name": name} for name in used if name not in known]

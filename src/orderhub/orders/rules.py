"""Pricing and the problems that block submission: pure functions of values."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orderhub.catalog.rules import eligibility


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        data.update(self.details)
        return data

    def to_field_problem(self) -> dict[str, Any]:
        """The shape every error lists its problems in (`field`, `rule`, `message`), with
        `code` kept beside `rule` for the clients of the older shape; a problem of the
        whole order (`order_not_draft`) names the field `order`."""
        return {"field": self.field or "order", "rule": self.code} | self.to_dict()


@dataclass(frozen=True)
class LineItem:
    id: str
    name: str
    lines: int  # phone lines the item needs numbers for
    eligibility: dict[str, Any] = dataclasses.field(default_factory=dict)  # the offer's rules
    offer_id: str = ""
    sold: bool = True  # its offer exists and is active (a cart outlives a retired offer)


@dataclass(frozen=True)
class CreditView:
    decision: str
    max_lines: int


@dataclass(frozen=True)
class FulfillmentView:
    method: str
    address_valid: bool | None
    has_contact: bool
    terms_version: str | None
    terms_accepted: bool
    zip_code: str | None = None  # where it ships, when shipping


@dataclass(frozen=True)
class Reservation:
    item_id: str
    number: str
    reserved_until: datetime | None
    status: str


@dataclass(frozen=True)
class SubmissionFacts:
    status: str
    items: list[LineItem]
    credit: CreditView | None
    fulfillment: FulfillmentView | None
    reservations: list[Reservation]
    terms_version: str
    now: datetime


def submission_problems(facts: SubmissionFacts) -> list[Problem]:
    """Every reason the order cannot be submitted now; empty means it can."""
    problems: list[Problem] = []
    if facts.status != "draft":
        problems.append(Problem("order_not_draft", f"The order is already '{facts.status}'."))
    problems += [
        Problem(
            "offer_not_sold",
            f"Offer {item.offer_id} is no longer sold.",
            f"items.{index}.offerId",
            {"itemId": item.id, "offerId": item.offer_id},
        )
        for index, item in enumerate(facts.items)
        if not item.sold
    ]
    total_lines = sum(item.lines for item in facts.items)
    problems += _credit_problems(facts.credit, total_lines)
    problems += _fulfillment_problems(facts.fulfillment, facts.terms_version)
    problems += _coverage_problems(facts.items, facts.fulfillment)
    problems += _number_problems(facts.items, facts.reservations, facts.now)
    return problems


def _credit_problems(credit: CreditView | None, total_lines: int) -> list[Problem]:
    if credit is None:
        return [Problem("credit_missing", "No credit application was submitted.", "credit")]
    if credit.decision == "declined":
        return [Problem("credit_declined", "The credit application was declined.", "credit")]
    if credit.decision == "manualReview":
        return [
            Problem("credit_under_review", "The credit application awaits manual review.", "credit")
        ]
    if total_lines > credit.max_lines:
        return [
            Problem(
                "too_many_lines",
                f"The order has {total_lines} lines; the credit policy allows {credit.max_lines}.",
                "items",
                {"lines": total_lines, "maxLines": credit.max_lines},
            )
        ]
    return []


def _fulfillment_problems(f: FulfillmentView | None, terms_version: str) -> list[Problem]:
    if f is None:
        return [Problem("fulfillment_missing", "No fulfillment was set up.", "fulfillment")]
    problems = []
    if f.method == "shipping" and not f.address_valid:
        problems.append(
            Problem(
                "address_not_validated",
                "The shipping address did not pass postal validation.",
                "fulfillment.shippingAddress",
            )
        )
    if not f.has_contact:
        problems.append(
            Problem("contact_missing", "The fulfillment has no contact.", "fulfillment.contact")
        )
    if not f.terms_accepted:
        problems.append(
            Problem(
                "terms_not_accepted",
                "The terms and conditions were not accepted.",
                "fulfillment.termsAndConditions",
            )
        )
    elif f.terms_version != terms_version:
        problems.append(
            Problem(
                "terms_outdated",
                f"Terms {f.terms_version} were accepted; the current version is {terms_version}.",
                "fulfillment.termsAndConditions.version",
            )
        )
    return problems


def _coverage_problems(items: list[LineItem], f: FulfillmentView | None) -> list[Problem]:
    """Offers sold only in some ZIP codes must ship there (a new customer has no service
    address when the cart is made, so this is where the rule meets the address)."""
    if f is None or f.method != "shipping" or not f.zip_code:
        return []
    return [
        Problem(
            "not_sold_at_address",
            f"'{item.name}' is {verdict.reason}, where the order ships.",
            "items",
            {"itemId": item.id, "zipCode": f.zip_code},
        )
        for item in items
        if not (
            verdict := eligibility(item.eligibility, zip_code=f.zip_code, customer_type=None)
        ).eligible
    ]


def _number_problems(
    items: list[LineItem], reservations: list[Reservation], now: datetime
) -> list[Problem]:
    problems = []
    for item in items:
        if item.lines == 0:
            continue
        held = [r for r in reservations if r.item_id == item.id]
        expired = [r for r in held if r.reserved_until is not None and r.reserved_until <= now]
        for r in expired:
            problems.append(
                Problem(
                    "reservation_expired",
                    f"The reservation of {r.number} expired; reserve it again.",
                    "numbers",
                    {"itemId": item.id, "number": r.number},
                )
            )
        live = len(held) - len(expired)
        if live < item.lines:
            problems.append(
                Problem(
                    "number_missing",
                    f"Item '{item.name}' needs {item.lines} reserved number(s) and has {live}.",
                    "numbers",
                    {"itemId": item.id, "needed": item.lines, "reserved": live},
                )
            )
    return problems


def monthly_discount(*, monthly_cents: int, promotion: dict[str, Any] | None) -> int:
    """The monthly discount one unit gets from its promotion (never more than its price)."""
    if not promotion:
        return 0
    return min(int(promotion.get("monthlyDiscountCents", 0)), monthly_cents)


def order_totals(items: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """(monthly, one-time) totals from (quantity, unit monthly, monthly discount, unit one-time)."""
    monthly = sum(q * (m - d) for q, m, d, _ in items)
    one_time = sum(q * o for q, _, _, o in items)
    return monthly, one_time

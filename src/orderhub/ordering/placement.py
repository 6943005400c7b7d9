"""Placing a consumer order in one call (TMF622 `POST /productOrder`): the direct
channel's steps, run by the engine in one transaction with the same rules.

1. The cart: the offers, priced from the catalog, each checked for the customer's
   eligibility (`orders.create`).
2. Credit: the customer's credit on file (credit/profiles.py), copied into the order's
   credit application with the policy its decision gives for this order's lines. Nobody
   is asked for an SSN here; a customer without a current decision on file applies
   through the direct channel first (docs/tmf.md).
3. Fulfillment: shipped to the customer's service address, to them as the contact; the
   current terms accepted by placing the order.
4. Numbers: each line gets the number asked for (a `phoneNumber` characteristic) or a
   free one local to the customer, claimed by the same conditional update as a reserve.
5. Submit (`orders/submit.py`): every problem the direct channel's validate would list
   refuses the order at once, all of them together; then it is due for fulfillment
   like any direct order.

Any refusal rolls the whole order back: a refused TMF622 order leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, insert
from sqlalchemy.orm import Session

from orderhub.adapters.postal import PostalValidator
from orderhub.credit import profiles
from orderhub.credit import rules as credit_rules
from orderhub.credit.service import APPLICATIONS
from orderhub.customers import service as customers
from orderhub.errors import FieldProblem, NotFound, ValidationFailed
from orderhub.fulfillment import service as fulfillment
from orderhub.identity.tokens import Principal
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.numbers import rules as number_rules
from orderhub.numbers import service as numbers
from orderhub.orders import service as orders
from orderhub.orders import submit

_CART_FIELD = re.compile(r"^items\.(\d+)\.offerId$")
# Free numbers looked at per line still to number: some may be claimed meanwhile.
CANDIDATES_PER_LINE = 4
_INSERT_APPLICATION = insert(APPLICATIONS)


@dataclass(frozen=True)
class Item:
    offer_id: str
    quantity: int
    # The numbers its lines should have, in order; the others get free local ones.
    numbers: tuple[str, ...] = ()
    area_code: str | None = None  # where its free numbers come from, when given


@dataclass(frozen=True)
class Placement:
    customer_id: str
    items: list[Item]
    requested_date: date | None
    actor: str


def place(
    session: Session,
    *,
    placement: Placement,
    postal: PostalValidator,
    terms_version: str,
    reservation_ttl_seconds: int,
) -> Row:
    """Create, check and submit the order; returns its ledger row, submitted."""
    record = customers.get_record(session, customer_id=placement.customer_id)
    if record is None or record.customer.type not in ("consumer", "business"):
        raise customers.CustomerNotFound(f"No customer '{placement.customer_id}' was found.")
    customer = record.customer
    principal = Principal(
        identifier=customer.phone or customer.email or customer.id,
        customer_id=customer.id,
        expires_at=0,
    )
    profile = profiles.get(session, customer_id=customer.id)
    # Refused for its items and for no credit on file at once: every problem together.
    no_credit = [] if profiles.current(profile, utcnow()) else [_no_credit(customer.id)]
    try:
        order_id = orders.create(
            session,
            principal=principal,
            customer_id=None,
            new_customer=None,
            items=[orders.ItemRequest(i.offer_id, i.quantity) for i in placement.items],
            actor=placement.actor,
        )
    except ValidationFailed as refused:
        # The cart's problems name the direct channel's fields (`items.0.offerId`).
        errors = [
            FieldProblem(f"productOrderItem.{m.group(1)}.productOffering.id", p.rule, p.message)
            if (m := _CART_FIELD.match(p.field))
            else p
            for p in refused.errors
        ]
        raise ValidationFailed(refused.detail, errors=[*errors, *no_credit]) from None
    if no_credit:
        raise ValidationFailed(no_credit[0].message, errors=no_credit)
    order = orders.lock_for_operator(session, order_id=order_id)
    items = orders.items_of(session, order_id=order_id)
    _credit_from_file(
        session, order=order, customer=customer, profile=profile, lines=sum(i.lines for i in items)
    )
    address = next((a for a in record.addresses if a.kind == "service"), None)
    try:
        fulfillment.create(
            session,
            order=order,
            changes=_fulfillment(customer, address, placement.requested_date, terms_version),
            postal=postal,
            terms_version=terms_version,
            actor=placement.actor,
        )
    except ValidationFailed as refused:
        raise ValidationFailed(
            refused.detail, errors=[_named(p.to_dict(), {}) for p in refused.errors]
        ) from None
    _number_lines(
        session,
        order=order,
        items=items,
        wanted=placement.items,
        zip_code=address.zip_code if address else None,
        phone=customer.phone,
        ttl=reservation_ttl_seconds,
        actor=placement.actor,
    )
    try:
        return submit.submit(
            session, order=order, terms_version=terms_version, actor=placement.actor
        )
    except submit.OrderNotSubmittable as refused:
        positions = {item.id: index for index, item in enumerate(items)}
        raise ValidationFailed(
            refused.detail,
            errors=[_named(p, positions) for p in refused.extra["errors"]],
        ) from None


# What the direct channel's submission problems are about, in the order's own terms: the
# customer (credit, address: theirs on file), the items, or the order.
_SUBJECTS = {
    "credit": "relatedParty",
    "fulfillment.shippingAddress": "relatedParty",
    "shippingAddress": "relatedParty",
    "items": "productOrderItem",
    "numbers": "productOrderItem",
    "requestedDate": "requestedCompletionDate",
}


def _named(problem: dict, positions: dict[str, int]) -> FieldProblem:
    """A submission problem named by the TMF622 attribute it is about."""
    # `items.0.offerId` (an offer no longer sold) is about an item as `items` is.
    base = problem["field"]
    field = _SUBJECTS.get(base) or _SUBJECTS.get(base.split(".", 1)[0], "productOrder")
    if field == "productOrderItem" and problem.get("itemId") in positions:
        field = f"productOrderItem.{positions[problem['itemId']]}"
    return FieldProblem(field, problem["rule"], problem["message"])


def _no_credit(customer_id: str) -> FieldProblem:
    return FieldProblem(
        "relatedParty",
        "credit_on_file",
        f"Customer '{customer_id}' has no credit decision on file from the last "
        f"{profiles.VALID_DAYS} days: apply through the direct channel's credit step "
        "first (docs/tmf.md, 'Credit on file').",
    )


def _credit_from_file(
    session: Session, *, order: Row, customer: Row, profile: Row, lines: int
) -> None:
    """The order's credit application, from the customer's decision on file."""
    policy = credit_rules.policy_for(decision=profile.decision, score=profile.score, lines=lines)
    application_id = new_id("cra")
    session.execute(
        _INSERT_APPLICATION,
        {
            "id": application_id,
            "order_id": order.id,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "ssn_last4": None,
            "ssn_hash": None,
            "dob_hash": None,
            "address": {},
            "decision": profile.decision,
            "bureau_reference": profile.bureau_reference,
            "max_lines": policy.max_lines,
            "deposit_required": policy.deposit_required,
            "deposit_cents": policy.deposit_cents,
            "down_payment_percent": policy.down_payment_percent,
            "created_at": utcnow(),
        },
    )
    ledger.record(
        session,
        order_id=order.id,
        type="credit.decided",
        actor="system:credit-on-file",
        data={
            "decision": profile.decision,
            "creditApplicationId": application_id,
            "fromFile": True,
        },
    )


def _fulfillment(
    customer: Row, address: Row | None, requested: date | None, terms_version: str
) -> dict:
    changes: dict = {
        "method": "shipping",
        "contact": {
            "firstName": customer.first_name,
            "lastName": customer.last_name,
            **({"email": customer.email} if customer.email else {}),
            **({"phone": customer.phone} if customer.phone else {}),
        },
        "termsAndConditions": {"accepted": True, "version": terms_version},
    }
    if address is not None:
        changes["shippingAddress"] = {
            "addressLine1": address.line1,
            **({"addressLine2": address.line2} if address.line2 else {}),
            "city": address.city,
            "state": address.state,
            "zipCode": address.zip_code,
        }
    if requested is not None:
        changes["requestedDate"] = requested
    return changes


def _local_area_codes(zip_code: str | None, phone: str | None) -> list[str]:
    """Area codes whose numbers are local to the customer: their own phone's first."""
    local = [
        code
        for code, prefixes in number_rules.AREA_ZIP_PREFIXES.items()
        if zip_code and zip_code[:3] in prefixes
    ]
    if phone and (phone[:3] in local or not local):
        local = [phone[:3], *(c for c in local if c != phone[:3])]
    return local


def _number_lines(
    session: Session,
    *,
    order: Row,
    items: list[Row],
    wanted: list[Item],
    zip_code: str | None,
    phone: str | None,
    ttl: int,
    actor: str,
) -> None:
    """Hold a number for every line. A number asked for and not to be had refuses the
    order; free ones are tried until enough are claimed (another order may win one).
    Lines the credit policy does not allow get none, and lines left without a number
    are listed by submit, with every other problem."""

    def reserve(item: Row, number: str) -> None:
        numbers.reserve(
            session, order=order, item_id=item.id, number=number, ttl_seconds=ttl, actor=actor
        )

    with contextlib.suppress(numbers.CreditRequired, numbers.MaxLinesExceeded):
        for position, (item, asked) in enumerate(zip(items, wanted, strict=True)):
            if item.lines == 0:
                continue
            for index, number in enumerate(asked.numbers[: item.lines]):
                try:
                    reserve(item, number)
                except (numbers.NumberUnavailable, NotFound, ValidationFailed) as refused:
                    raise ValidationFailed.one(
                        f"productOrderItem.{position}.product.productCharacteristic.{index}",
                        "number_unavailable",
                        refused.detail,
                    ) from None
            missing = item.lines - min(len(asked.numbers), item.lines)
            codes = [asked.area_code] if asked.area_code else _local_area_codes(zip_code, phone)
            for code in codes:
                if missing == 0:
                    break
                wanted_count = missing * CANDIDATES_PER_LINE
                for number in numbers.search(session, area_code=code, count=wanted_count):
                    try:
                        reserve(item, number)
                    except (numbers.NumberUnavailable, ValidationFailed):
                        continue  # claimed by another order since the search, or not local
                    missing -= 1
                    if missing == 0:
                        break

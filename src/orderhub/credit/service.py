"""Credit applications: ask the bureau, keep the decision and derive the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from orderhub.adapters.credit_bureau import Applicant, CreditBureau
from orderhub.credit import profiles, rules
from orderhub.credit.models import CreditApplication
from orderhub.errors import Conflict, FieldProblem, ValidationFailed
from orderhub.ids import new_id, utcnow
from orderhub.ledger import service as ledger
from orderhub.orders import service as orders
from orderhub.orders.states import require_draft

MINIMUM_AGE = 18

APPLICATIONS = CreditApplication.__table__
_OF_ORDER = select(APPLICATIONS).where(APPLICATIONS.c.order_id == bindparam("order_id"))
_DELETE_OF_ORDER = delete(APPLICATIONS).where(APPLICATIONS.c.order_id == bindparam("order_id"))
_INSERT = insert(APPLICATIONS)


@dataclass(frozen=True)
class CreditRequest:
    first_name: str
    last_name: str
    date_of_birth: date
    ssn: str
    address: dict[str, str]


def submit(
    session: Session,
    *,
    order: Row,
    request: CreditRequest,
    bureau: CreditBureau,
    key: bytes,
    actor: str,
) -> dict:
    """Evaluate the applicant and store the decision; returns the stored application."""
    require_draft(order.status)
    ssn = request.ssn.replace("-", "").replace(" ", "")
    problems = []
    if reason := rules.ssn_problem(ssn):
        problems.append(FieldProblem("ssn", "ssn_format", f"The SSN {reason}."))
    today = utcnow().date()
    if request.date_of_birth > today or request.date_of_birth.year < 1900:
        problems.append(
            FieldProblem("dateOfBirth", "plausible_date", "The date of birth is not plausible.")
        )
    elif rules.age_on(request.date_of_birth, today) < MINIMUM_AGE:
        problems.append(
            FieldProblem(
                "dateOfBirth", "minimum_age", f"The applicant must be at least {MINIMUM_AGE}."
            )
        )
    if problems:
        raise ValidationFailed("The credit application is not valid.", errors=problems)

    report = bureau.evaluate(
        Applicant(
            first_name=request.first_name,
            last_name=request.last_name,
            date_of_birth=request.date_of_birth,
            ssn=ssn,
            zip_code=request.address["zipCode"],
        )
    )
    lines = orders.lines_of(session, order_id=order.id)
    policy = rules.policy_for(decision=report.decision, score=report.score, lines=lines)
    application = {
        "id": new_id("cra"),
        "order_id": order.id,
        "first_name": request.first_name,
        "last_name": request.last_name,
        "ssn_last4": ssn[-4:],
        "ssn_hash": rules.keyed_hash(key, "ssn", ssn),
        "dob_hash": rules.keyed_hash(key, "dob", request.date_of_birth.isoformat()),
        "address": request.address,
        "decision": report.decision,
        "bureau_reference": report.reference,
        "max_lines": policy.max_lines,
        "deposit_required": policy.deposit_required,
        "deposit_cents": policy.deposit_cents,
        "down_payment_percent": policy.down_payment_percent,
        "created_at": utcnow(),
    }
    # A new application replaces the order's last one (one row per order).
    session.execute(_DELETE_OF_ORDER, {"order_id": order.id})
    session.execute(_INSERT, application)
    if order.customer_id is not None:
        # The customer's credit on file is now this decision (a TMF622 order uses it).
        profiles.put(
            session,
            customer_id=order.customer_id,
            decision=report.decision,
            score=report.score,
            reference=report.reference,
            at=application["created_at"],
        )
    ledger.record(
        session,
        order_id=order.id,
        type="credit.decided",
        actor=actor,
        data={"decision": report.decision, "creditApplicationId": application["id"]},
    )
    return application


def get(session: Session, *, order_id: str) -> Row | None:
    return session.execute(_OF_ORDER, {"order_id": order_id}).first()


def require(session: Session, *, order_id: str) -> Row:
    application = get(session, order_id=order_id)
    if application is None:
        raise Conflict(
            "No credit application was submitted for this order yet.",
            code="credit_missing",
            title="Credit not submitted",
        )
    return application

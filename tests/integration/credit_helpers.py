"""A credit decision for an order written straight through the credit service, for the
race tests that drive the services on their own connections (numbers come after credit)."""

from __future__ import annotations

from datetime import date

from orderhub.adapters.credit_bureau import SandboxCreditBureau
from orderhub.credit import service as credit
from orderhub.identity.tokens import Principal
from orderhub.orders import service as orders

ALEX = Principal("2145550100", "cus_alex_bell", 2**31)
ADDRESS = {"addressLine1": "123 Main St", "city": "Dallas", "state": "TX", "zipCode": "75201"}


def decide_credit(session, *, order_id: str, ssn: str = "123-45-6789") -> None:
    """The sandbox bureau's decision for this SSN (6789: approved, 5 lines; 1111: 3)."""
    order = orders.claim_for_change(session, order_id=order_id, principal=ALEX)
    credit.submit(
        session,
        order=order,
        request=credit.CreditRequest(
            first_name="Alex",
            last_name="Bell",
            date_of_birth=date(1985, 4, 12),
            ssn=ssn,
            address=ADDRESS,
        ),
        bureau=SandboxCreditBureau(),
        key=b"k" * 32,
        actor="test",
    )

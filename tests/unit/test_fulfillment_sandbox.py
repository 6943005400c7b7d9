"""The sandbox fulfillment system's milestones and test values, and the status moves each
milestone makes: plain values, no database."""

from __future__ import annotations

import pytest

from orderhub.adapters.fulfillment import (
    DELAY_SECONDS,
    DELAYED_NOTE,
    FAILED_NOTE,
    SandboxFulfillment,
    Shipment,
    Step,
)
from orderhub.errors import Conflict
from orderhub.orders.progress import moves
from orderhub.orders.states import OrderStatus

SANDBOX = SandboxFulfillment(step_seconds=30)


def shipment(zip_code: str | None = "75201", ctns: tuple[str, ...] = ("2145551000",)) -> Shipment:
    address = {"addressLine1": "123 MAIN ST", "zipCode": zip_code} if zip_code else None
    return Shipment(
        order_id="ord_1",
        method="shipping" if address else "storePickup",
        address=address,
        store_id=None if address else "store-dal-001",
        ctns=ctns,
    )


def path(order: Shipment) -> list[tuple[Step, str | None, float | None]]:
    """Every check from hand-off to the end: (milestone, note, next check in)."""
    reached, seen = None, []
    while True:
        progress = SANDBOX.check(reference="SBX-FUL-1", shipment=order, reached=reached)
        if not progress.milestones:
            return seen
        [milestone] = progress.milestones
        seen.append((milestone.step, milestone.note, progress.check_in_seconds))
        reached = milestone.step


def test_hand_off_gives_a_reference_and_the_first_check_a_step_away():
    handoff = SANDBOX.hand_off(shipment=shipment())

    assert handoff.reference.startswith("SBX-FUL-") and handoff.check_in_seconds == 30


@pytest.mark.parametrize("zip_code", ["75201", "75201-1234", None])
def test_by_default_an_order_ships_activates_its_lines_and_completes(zip_code):
    assert path(shipment(zip_code)) == [
        (Step.SHIPPED, None, 30),
        (Step.LINE_ACTIVATED, None, 30),
        (Step.COMPLETED, None, None),
    ]


def test_an_order_without_lines_has_none_to_activate():
    assert [step for step, *_ in path(shipment(ctns=()))] == [Step.SHIPPED, Step.COMPLETED]


def test_zip4_0000_fails_instead_of_shipping():
    assert path(shipment("75201-0000")) == [(Step.FAILED, FAILED_NOTE, None)]


def test_zip4_2222_is_delayed_a_day_after_shipping():
    assert path(shipment("75201-2222")) == [
        (Step.SHIPPED, None, 30),
        (Step.DELAYED, DELAYED_NOTE, DELAY_SECONDS),
        (Step.LINE_ACTIVATED, None, 30),
        (Step.COMPLETED, None, None),
    ]


@pytest.mark.parametrize(
    ("status", "step", "expected"),
    [
        ("submitted", Step.SHIPPED, ["inFulfillment"]),
        ("inFulfillment", Step.SHIPPED, []),  # operations moved it already
        ("inFulfillment", Step.DELAYED, []),
        ("submitted", Step.DELAYED, []),
        ("submitted", Step.LINE_ACTIVATED, ["inFulfillment"]),
        ("inFulfillment", Step.COMPLETED, ["completed"]),
        ("submitted", Step.COMPLETED, ["inFulfillment", "completed"]),
        ("submitted", Step.FAILED, ["rejected"]),
        ("inFulfillment", Step.FAILED, ["rejected"]),
    ],
)
def test_each_milestone_moves_the_order_along_its_state_table(status, step, expected):
    assert moves(status, step) == [OrderStatus(s) for s in expected]


@pytest.mark.parametrize(
    ("status", "step"),
    [("cancelled", Step.SHIPPED), ("completed", Step.FAILED), ("rejected", Step.COMPLETED)],
)
def test_a_milestone_the_state_table_refuses_is_a_conflict(status, step):
    with pytest.raises(Conflict):
        moves(status, step)

"""Fulfillment port: hands a submitted consumer order to the fulfillment system (the
warehouse and carrier that ship the device, the network that activates the lines) and
reports the milestones it reaches; and its sandbox, which advances on a schedule.

A real system is asked again when the order's check is due (or tells us through a
callback, which would call the same `orders/progress.apply` path); the sandbox reports
one milestone per check, `step_seconds` apart: shipped, line activated (when the order
has lines), completed.

Sandbox test values (docs/sandbox.md), read from the ZIP+4 of the order's shipping
address, like the credit bureau's SSN endings: `-0000` fails (the carrier cannot deliver:
the order is rejected), `-2222` is delayed a day after shipping. Any other address, and
store pickup, is fulfilled on schedule.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Step(StrEnum):
    """A milestone the fulfillment system reports (history type `fulfillment.<step>`)."""

    SHIPPED = "shipped"
    DELAYED = "delayed"
    LINE_ACTIVATED = "line_activated"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class Shipment:
    """What the fulfillment system is given about an order."""

    order_id: str
    method: str | None  # `shipping` or `storePickup`
    address: dict[str, Any] | None  # the (standardized) shipping address
    store_id: str | None
    ctns: tuple[str, ...]  # the lines to activate


@dataclass(frozen=True)
class Milestone:
    step: Step
    note: str | None = None


@dataclass(frozen=True)
class Handoff:
    reference: str
    check_in_seconds: float


@dataclass(frozen=True)
class Progress:
    milestones: list[Milestone]
    # When to ask again; None: the order is done (completed or failed), nothing more comes.
    check_in_seconds: float | None


class Fulfillment(Protocol):
    def hand_off(self, *, shipment: Shipment) -> Handoff: ...

    def check(self, *, reference: str, shipment: Shipment, reached: Step | None) -> Progress:
        """The milestones reached since `reached` (the last one applied; None: none yet)."""
        ...


FAIL_ZIP4 = "0000"
DELAY_ZIP4 = "2222"
DELAY_SECONDS = 24 * 3600.0
FAILED_NOTE = "Sandbox: the carrier cannot deliver to this address."
DELAYED_NOTE = "Sandbox: the shipment is delayed; the next update is due in a day."


class SandboxFulfillment:
    """Deterministic: one milestone per check, `step_seconds` apart."""

    def __init__(self, step_seconds: float) -> None:
        self.step_seconds = step_seconds

    def hand_off(self, *, shipment: Shipment) -> Handoff:
        return Handoff("SBX-FUL-" + secrets.token_hex(5).upper(), self.step_seconds)

    def check(self, *, reference: str, shipment: Shipment, reached: Step | None) -> Progress:
        milestone = self._next(shipment, reached)
        if milestone is None or milestone.step in (Step.COMPLETED, Step.FAILED):
            return Progress([milestone] if milestone else [], None)
        delay = milestone.step == Step.DELAYED
        return Progress([milestone], DELAY_SECONDS if delay else self.step_seconds)

    @staticmethod
    def _next(shipment: Shipment, reached: Step | None) -> Milestone | None:
        zip4 = _zip4(shipment.address)
        if reached is None:
            if zip4 == FAIL_ZIP4:
                return Milestone(Step.FAILED, FAILED_NOTE)
            return Milestone(Step.SHIPPED)
        if reached == Step.SHIPPED and zip4 == DELAY_ZIP4:
            return Milestone(Step.DELAYED, DELAYED_NOTE)
        if reached in (Step.SHIPPED, Step.DELAYED) and shipment.ctns:
            return Milestone(Step.LINE_ACTIVATED)
        if reached in (Step.SHIPPED, Step.DELAYED, Step.LINE_ACTIVATED):
            return Milestone(Step.COMPLETED)
        return None


def _zip4(address: dict[str, Any] | None) -> str | None:
    """The ZIP+4 extension of an address (`75201-2222` -> `2222`), if it has one."""
    zip_code = str((address or {}).get("zipCode") or "")
    _, dash, extension = zip_code.strip().partition("-")
    return extension if dash else None

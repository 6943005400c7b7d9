"""Provisioning port: hands an order to the network provisioning system and reports the
milestones each sub-order reaches; and its sandbox, which advances on a schedule.

A real system is asked again when the order's check is due (or tells us through a
callback, which would call the same `apply` path); the sandbox moves every open
sub-order one milestone per check, `step_seconds` apart.

Sandbox test values (docs/sandbox.md), read from a sub-order's installation premise
notes: `SANDBOX-JEOPARDY` puts it in jeopardy after design (it resumes at the next
check), `SANDBOX-REJECT` has it rejected instead of accepted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SubOrderState:
    id: str
    status: str
    premise_notes: str | None


@dataclass(frozen=True)
class Milestone:
    sub_order_id: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class Handoff:
    reference: str
    check_in_seconds: float


@dataclass(frozen=True)
class Progress:
    milestones: list[Milestone]
    # When to ask again; None: every sub-order is final, nothing more will come.
    check_in_seconds: float | None


class Provisioning(Protocol):
    def hand_off(self, *, order_id: str, sub_orders: list[SubOrderState]) -> Handoff: ...

    def check(self, *, reference: str, sub_orders: list[SubOrderState]) -> Progress: ...


# The sandbox's path; a sub-order in jeopardy resumes at installation scheduling.
_NEXT = {
    "submitted": "accepted",
    "accepted": "design",
    "design": "installationScheduled",
    "jeopardy": "installationScheduled",
    "installationScheduled": "installed",
    "installed": "completed",
}
_FINAL = {"completed", "rejected"}


class SandboxProvisioning:
    """Deterministic: one milestone per open sub-order per check, `step_seconds` apart."""

    def __init__(self, step_seconds: float) -> None:
        self.step_seconds = step_seconds

    def hand_off(self, *, order_id: str, sub_orders: list[SubOrderState]) -> Handoff:
        return Handoff("SBX-PRV-" + secrets.token_hex(5).upper(), self.step_seconds)

    def check(self, *, reference: str, sub_orders: list[SubOrderState]) -> Progress:
        milestones = [m for s in sub_orders if (m := self._next(s)) is not None]
        reached = {m.sub_order_id: m.status for m in milestones}
        still_open = any(reached.get(s.id, s.status) not in _FINAL for s in sub_orders)
        return Progress(milestones, self.step_seconds if still_open else None)

    @staticmethod
    def _next(sub: SubOrderState) -> Milestone | None:
        notes = (sub.premise_notes or "").upper()
        if sub.status == "submitted" and "SANDBOX-REJECT" in notes:
            return Milestone(sub.id, "rejected", "Sandbox: the site cannot be served.")
        if sub.status == "design" and "SANDBOX-JEOPARDY" in notes:
            return Milestone(sub.id, "jeopardy", "Sandbox: a construction permit is delayed.")
        target = _NEXT.get(sub.status)
        return Milestone(sub.id, target) if target else None

"""Contract statuses: generated, then signed (final: a signed contract locks its quote)."""

from __future__ import annotations

from enum import StrEnum

from orderhub.lifecycle import Lifecycle


class ContractStatus(StrEnum):
    GENERATED = "generated"
    SIGNED = "signed"


TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.GENERATED: frozenset({ContractStatus.SIGNED}),
    ContractStatus.SIGNED: frozenset(),
}
LIFECYCLE = Lifecycle(ContractStatus, TRANSITIONS, subject="A contract")
# The new status, or 409 `invalid_transition` naming the refused move.
transition = LIFECYCLE.check

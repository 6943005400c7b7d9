"""Contract statuses: generated, then signed (final: a signed contract locks its quote)."""

from __future__ import annotations

from enum import StrEnum

from orderhub.errors import Conflict


class ContractStatus(StrEnum):
    GENERATED = "generated"
    SIGNED = "signed"


TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.GENERATED: frozenset({ContractStatus.SIGNED}),
    ContractStatus.SIGNED: frozenset(),
}


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Contract cannot change to that status"


def transition(current: str, target: ContractStatus) -> ContractStatus:
    """The new status, or a 409 naming the refused move."""
    source = ContractStatus(current)
    if target not in TRANSITIONS[source]:
        raise InvalidTransition(
            f"A contract that is '{source}' cannot become '{target}'.",
            extra={"currentStatus": str(source), "requestedStatus": str(target)},
        )
    return target

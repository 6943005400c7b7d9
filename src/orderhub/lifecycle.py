"""One way to write a status machine: a StrEnum of statuses, a table of the moves it
allows, and one guard that refuses every other move with 409 `invalid_transition`.

Every status machine of the project is a `Lifecycle` (orders of every channel and their
sub-orders, services and change requests; quotes, contracts, exception requests; the
ledger's common state). A move that is not in the table is refused, never ignored: there
is no fall-through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from orderhub.errors import Conflict

S = TypeVar("S", bound=StrEnum)


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "Status cannot change that way"


class Lifecycle(Generic[S]):
    """The statuses `statuses` may take and the moves between them."""

    def __init__(
        self,
        statuses: type[S],
        moves: Mapping[S, Iterable[S]],
        *,
        subject: str,
        detail: str = "{subject} that is '{current}' cannot become '{target}'.",
    ) -> None:
        self.statuses = statuses
        self.subject = subject  # "An order", "A contract": how the refusal names it
        self.detail = detail  # the refusal's detail, kept as each API has always said it
        self.title = f"{subject.split(' ', 1)[1].capitalize()} cannot change to that status"
        self.moves: dict[S, frozenset[S]] = {s: frozenset(moves.get(s, ())) for s in statuses}
        unknown = {t for targets in self.moves.values() for t in targets} - set(statuses)
        if unknown:
            raise ValueError(f"moves to statuses {unknown} not in {statuses.__name__}")
        self.final = frozenset(s for s, targets in self.moves.items() if not targets)

    def allows(self, current: str, target: str) -> bool:
        return self.statuses(target) in self.moves[self.statuses(current)]

    def check(self, current: str, target: str) -> S:
        """The target status, or 409 `invalid_transition` naming the refused move."""
        source, goal = self.statuses(current), self.statuses(target)
        if goal not in self.moves[source]:
            detail = self.detail.format(subject=self.subject, current=source, target=goal)
            raise self.refusal(detail, current=source, target=goal)
        return goal

    def refusal(self, detail: str, *, current: str, target: str | None = None) -> InvalidTransition:
        """The same 409 for a move the table allows but a rule of the caller refuses."""
        extra = {"currentStatus": str(current)}
        if target is not None:
            extra["requestedStatus"] = str(target)
        return InvalidTransition(detail, title=self.title, extra=extra)

    def is_final(self, status: str) -> bool:
        return self.statuses(status) in self.final

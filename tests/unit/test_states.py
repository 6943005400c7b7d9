"""Order statuses: only the moves in TRANSITIONS are allowed."""

from __future__ import annotations

import itertools

import pytest

from orderhub.lifecycle import InvalidTransition
from orderhub.orders.states import (
    TRANSITIONS,
    OrderNotDraft,
    OrderStatus,
    require_draft,
    transition,
)

S = OrderStatus
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.CANCELLED),
    (S.SUBMITTED, S.IN_FULFILLMENT),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.CANCELLED),
    (S.IN_FULFILLMENT, S.COMPLETED),
    (S.IN_FULFILLMENT, S.REJECTED),
    (S.IN_FULFILLMENT, S.CANCELLED),
}
ALL_MOVES = set(itertools.product(OrderStatus, OrderStatus))
TERMINAL = [S.COMPLETED, S.CANCELLED, S.REJECTED]


def test_table_covers_every_status_and_matches_the_documented_moves() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)
    assert {(src, dst) for src, dsts in TRANSITIONS.items() for dst in dsts} == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_move_returns_the_target(source: OrderStatus, target: OrderStatus) -> None:
    assert transition(str(source), target) is target


@pytest.mark.parametrize(("source", "target"), sorted(ALL_MOVES - ALLOWED))
def test_disallowed_move_is_a_409_naming_both_statuses(
    source: OrderStatus, target: OrderStatus
) -> None:
    with pytest.raises(InvalidTransition) as raised:
        transition(str(source), target)

    error = raised.value
    assert error.status == 409
    assert error.code == "invalid_transition"
    assert error.extra == {"currentStatus": str(source), "requestedStatus": str(target)}
    assert f"'{source}'" in error.detail
    assert f"'{target}'" in error.detail


@pytest.mark.parametrize("status", TERMINAL)
def test_terminal_states_have_no_exits(status: OrderStatus) -> None:
    assert TRANSITIONS[status] == frozenset()


@pytest.mark.parametrize("status", list(OrderStatus))
def test_no_status_moves_to_itself(status: OrderStatus) -> None:
    assert status not in TRANSITIONS[status]


def test_wire_values_are_camel_case() -> None:
    assert [str(s) for s in OrderStatus] == [
        "draft",
        "submitted",
        "inFulfillment",
        "completed",
        "cancelled",
        "rejected",
    ]


def test_require_draft_lets_a_draft_through() -> None:
    assert require_draft("draft") is None


@pytest.mark.parametrize("status", [s for s in OrderStatus if s is not S.DRAFT])
def test_require_draft_refuses_every_other_status(status: OrderStatus) -> None:
    with pytest.raises(OrderNotDraft) as raised:
        require_draft(str(status))

    assert raised.value.status == 409
    assert raised.value.code == "order_not_draft"
    assert raised.value.extra == {"currentStatus": str(status)}

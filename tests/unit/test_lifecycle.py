"""The one status-machine helper and every machine's table: plain values, no database."""

from __future__ import annotations

import itertools
import re
from enum import StrEnum
from pathlib import Path

import pytest

from orderhub import lifecycle
from orderhub.business import states as business
from orderhub.careorders import states as care
from orderhub.contracts import states as contracts
from orderhub.lifecycle import InvalidTransition, Lifecycle
from orderhub.onboarding import states as onboarding
from orderhub.orders import states as orders
from orderhub.partner_orders import states as partner_orders
from orderhub.quotes import states as quotes

SRC = Path(lifecycle.__file__).parent


class Light(StrEnum):
    RED = "red"
    GREEN = "green"
    AMBER = "amber"
    OFF = "off"


LIGHT = Lifecycle(
    Light,
    {Light.RED: {Light.GREEN, Light.OFF}, Light.GREEN: {Light.AMBER}, Light.AMBER: {Light.RED}},
    subject="A traffic light",
)


def test_an_allowed_move_returns_the_target_as_a_member_of_the_enum():
    assert LIGHT.check("red", "green") is Light.GREEN
    assert LIGHT.allows("green", "amber")
    assert not LIGHT.allows("green", "red")


def test_a_refused_move_is_a_409_naming_both_statuses():
    with pytest.raises(InvalidTransition) as refused:
        LIGHT.check("green", "red")

    error = refused.value
    assert (error.status, error.code) == (409, "invalid_transition")
    assert error.title == "Traffic light cannot change to that status"
    assert error.detail == "A traffic light that is 'green' cannot become 'red'."
    assert error.extra == {"currentStatus": "green", "requestedStatus": "red"}


def test_the_detail_can_keep_an_api_s_wording():
    worded = Lifecycle(Light, LIGHT.moves, subject="A lamp", detail="{subject} is '{current}'.")

    with pytest.raises(InvalidTransition) as refused:
        worded.check("off", "red")

    assert refused.value.detail == "A lamp is 'off'."


def test_a_rule_s_refusal_has_the_machine_s_code_and_title():
    error = LIGHT.refusal("Not at night.", current="red")

    assert (error.status, error.code, error.title) == (
        409,
        "invalid_transition",
        "Traffic light cannot change to that status",
    )
    assert error.extra == {"currentStatus": "red"}
    assert LIGHT.refusal("x", current="red", target=Light.OFF).extra["requestedStatus"] == "off"


def test_statuses_without_moves_are_final():
    assert LIGHT.final == {Light.OFF}
    assert LIGHT.is_final("off") and not LIGHT.is_final("red")


def test_a_status_outside_the_enum_is_refused():
    with pytest.raises(ValueError):
        LIGHT.check("red", "blue")
    with pytest.raises(ValueError):
        Lifecycle(Light, {Light.RED: {"blue"}}, subject="A light")  # type: ignore[dict-item]


# Every machine of the project, with its moves written out once more: a change to a
# table is a change to the API and must change this list too.
D, P, Q = orders.OrderStatus, partner_orders.PartnerOrderStatus, onboarding.OrderStatus
C, CO = care.ChangeStatus, care.CareOrderStatus
K, E, QS = contracts.ContractStatus, business.ExceptionStatus, quotes.QuoteStatus
MACHINES: dict[str, tuple[Lifecycle, set[tuple[StrEnum, StrEnum]], set[StrEnum]]] = {
    "orders": (
        orders.LIFECYCLE,
        {
            (D.DRAFT, D.SUBMITTED),
            (D.DRAFT, D.CANCELLED),
            (D.SUBMITTED, D.IN_FULFILLMENT),
            (D.SUBMITTED, D.REJECTED),
            (D.SUBMITTED, D.CANCELLED),
            (D.IN_FULFILLMENT, D.COMPLETED),
            (D.IN_FULFILLMENT, D.REJECTED),
            (D.IN_FULFILLMENT, D.CANCELLED),
        },
        {D.COMPLETED, D.CANCELLED, D.REJECTED},
    ),
    "partner orders and sub-orders": (
        partner_orders.LIFECYCLE,
        {
            (P.DRAFT, P.SUBMITTED),
            *itertools.pairwise(partner_orders.MILESTONES),
            *((s, P.JEOPARDY) for s in partner_orders.MILESTONES[:-1]),
            *((s, P.REJECTED) for s in partner_orders.MILESTONES[:-2]),
            *((P.JEOPARDY, s) for s in partner_orders.MILESTONES[1:]),
            (P.JEOPARDY, P.REJECTED),
        },
        {P.COMPLETED, P.REJECTED},
    ),
    "onboarding orders": (
        onboarding.LIFECYCLE,
        {
            (Q.STARTED, Q.QUALIFIED),
            (Q.QUALIFIED, Q.PACKAGE_SELECTED),
            (Q.PACKAGE_SELECTED, Q.SUBMITTED),
        },
        {Q.SUBMITTED},
    ),
    "care change requests": (
        care.CHANGE_LIFECYCLE,
        {
            (C.RECEIVED, C.SCHEDULED),
            (C.RECEIVED, C.FAILED),
            (C.RECEIVED, C.CANCELLED),
            (C.SCHEDULED, C.COMPLETED),
            (C.SCHEDULED, C.FAILED),
            (C.SCHEDULED, C.CANCELLED),
        },
        {C.COMPLETED, C.FAILED, C.CANCELLED},
    ),
    "care orders": (
        care.ORDER_LIFECYCLE,
        {
            *((CO.RECEIVED, s) for s in CO if s is not CO.RECEIVED),
            *((CO.SCHEDULED, s) for s in CO if s not in {CO.RECEIVED, CO.SCHEDULED}),
        },
        {CO.COMPLETED, CO.PARTIALLY_COMPLETED, CO.FAILED, CO.CANCELLED},
    ),
    "quotes": (quotes.LIFECYCLE, {(QS.DRAFT, QS.VALIDATED), (QS.VALIDATED, QS.DRAFT)}, set()),
    "contracts": (contracts.LIFECYCLE, {(K.GENERATED, K.SIGNED)}, {K.SIGNED}),
    "exception requests": (
        business.LIFECYCLE,
        {(E.PENDING, E.APPROVED), (E.PENDING, E.REJECTED)},
        {E.APPROVED, E.REJECTED},
    ),
}
ALLOWED = [(name, *move) for name, (_, moves, _) in MACHINES.items() for move in sorted(moves)]
REFUSED = [
    (name, *move)
    for name, (machine, moves, _) in MACHINES.items()
    for move in sorted(set(itertools.product(machine.statuses, repeat=2)) - moves)
]


@pytest.mark.parametrize("name", MACHINES)
def test_each_table_is_the_documented_one(name):
    machine, moves, final = MACHINES[name]
    assert {(s, t) for s, targets in machine.moves.items() for t in targets} == moves
    assert machine.final == final


@pytest.mark.parametrize(("name", "current", "target"), ALLOWED)
def test_every_allowed_move_passes(name, current, target):
    assert MACHINES[name][0].check(str(current), str(target)) == target


@pytest.mark.parametrize(("name", "current", "target"), REFUSED)
def test_every_other_move_is_a_409_invalid_transition(name, current, target):
    with pytest.raises(InvalidTransition) as refused:
        MACHINES[name][0].check(str(current), str(target))

    assert (refused.value.status, refused.value.code) == (409, "invalid_transition")
    assert refused.value.extra == {"currentStatus": current, "requestedStatus": target}


@pytest.mark.parametrize("name", MACHINES)
def test_final_statuses_have_no_moves(name):
    machine = MACHINES[name][0]
    assert all(not machine.moves[s] for s in machine.final)


def test_each_module_s_guard_is_its_lifecycle():
    assert orders.transition == orders.LIFECYCLE.check
    assert partner_orders.transition == partner_orders.LIFECYCLE.check
    assert partner_orders.FINAL is partner_orders.LIFECYCLE.final
    assert quotes.transition == quotes.LIFECYCLE.check
    assert contracts.transition == contracts.LIFECYCLE.check
    assert business.transition == business.LIFECYCLE.check
    assert care.check_change == care.CHANGE_LIFECYCLE.check


def test_the_apis_keep_their_words():
    with pytest.raises(InvalidTransition) as order:
        orders.transition("completed", D.CANCELLED)
    with pytest.raises(InvalidTransition) as partner_order:
        partner_orders.transition("rejected", P.ACCEPTED)
    with pytest.raises(InvalidTransition) as contract:
        contracts.transition("signed", K.SIGNED)
    with pytest.raises(InvalidTransition) as decision:
        business.transition("approved", E.REJECTED)

    assert order.value.detail == "An order in status 'completed' cannot become 'cancelled'."
    assert order.value.title == "Order cannot change to that status"
    assert partner_order.value.detail == "An order in status 'rejected' cannot become 'accepted'."
    assert contract.value.detail == "A contract that is 'signed' cannot become 'signed'."
    assert contract.value.title == "Contract cannot change to that status"
    assert decision.value.title == "Exception request cannot change to that status"


def test_an_onboarding_order_only_moves_forward_one_step_at_a_time():
    assert onboarding.advance("started", Q.QUALIFIED) is Q.QUALIFIED
    assert onboarding.advance("packageSelected", Q.QUALIFIED) is Q.PACKAGE_SELECTED
    with pytest.raises(InvalidTransition):
        onboarding.advance("started", Q.PACKAGE_SELECTED)


def test_a_derived_care_order_status_only_takes_moves_of_its_table():
    """Every state of up to three changes, and every move of one of them."""
    for size in (1, 2, 3):
        for before in itertools.product(C, repeat=size):
            for i, change in enumerate(before):
                for target in care.CHANGE_LIFECYCLE.moves[change]:
                    after = (*before[:i], target, *before[i + 1 :])
                    was, now = care.order_status(before), care.order_status(after)
                    assert was == now or care.ORDER_LIFECYCLE.allows(was, now), (before, after)


def _sources() -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(SRC)), p.read_text())
        for p in sorted(SRC.rglob("*.py"))
        if p != Path(lifecycle.__file__)
    ]


def test_no_other_module_has_its_own_refusal_of_a_status_move():
    offenders = [
        path
        for path, text in _sources()
        if re.search(r"class\s+InvalidTransition\b", text)
        or re.search(r"\bInvalidTransition\(", text)
        or re.search(r"""["']invalid_transition["']""", text)
        or re.search(r"raise\s+AssertionError\b", text)
    ]
    assert offenders == []


def test_every_area_s_states_module_builds_its_machines_on_lifecycle():
    states_modules = sorted(SRC.glob("*/states.py"))
    # Eight areas and the ledger's common state.
    assert len(states_modules) == 9
    for path in states_modules:
        assert "from orderhub.lifecycle import Lifecycle" in path.read_text(), path

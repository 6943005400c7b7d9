"""B2B order statuses, enrichment and handoff rules, and the sandbox provisioning port:
plain values, no database."""

from __future__ import annotations

from datetime import date

import pytest

from orderhub.adapters.provisioning import SandboxProvisioning, SubOrderState
from orderhub.contracts import states as contract_states
from orderhub.lifecycle import InvalidTransition
from orderhub.partner_orders import rules
from orderhub.partner_orders.states import (
    FINAL,
    TRANSITIONS,
    OrderNotDraft,
    PartnerOrderStatus,
    derived_status,
    require_draft,
    transition,
)

S = PartnerOrderStatus
TODAY = date(2027, 3, 1)
CONTACT = {"name": "Sam", "phone": "2145550311"}


def test_every_status_has_a_row_and_final_ones_lead_nowhere():
    assert set(TRANSITIONS) == set(PartnerOrderStatus)
    assert all(not TRANSITIONS[s] for s in FINAL)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "design"),
        ("design", "installationScheduled"),
        ("installationScheduled", "installed"),
        ("installed", "completed"),
        ("design", "jeopardy"),
        ("jeopardy", "installationScheduled"),
        ("submitted", "rejected"),
    ],
)
def test_the_milestone_path_and_its_detours_are_allowed(current, target):
    assert transition(current, target) == target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "accepted"),
        ("submitted", "design"),
        ("installed", "rejected"),
        ("completed", "jeopardy"),
        ("rejected", "accepted"),
        ("accepted", "submitted"),
    ],
)
def test_other_moves_are_a_409_naming_both_statuses(current, target):
    with pytest.raises(InvalidTransition) as refused:
        transition(current, target)
    assert refused.value.status == 409
    assert refused.value.extra == {"currentStatus": current, "requestedStatus": target}


def test_only_a_draft_is_changed():
    require_draft("draft")
    with pytest.raises(OrderNotDraft):
        require_draft("submitted")


@pytest.mark.parametrize(
    ("subs", "order"),
    [
        (["draft", "draft"], S.DRAFT),
        (["accepted", "design"], S.ACCEPTED),
        (["design", "jeopardy"], S.JEOPARDY),
        (["rejected", "installed"], S.INSTALLED),
        (["rejected", "rejected"], S.REJECTED),
        (["completed", "completed"], S.COMPLETED),
    ],
)
def test_the_order_status_is_derived_from_its_sub_orders(subs, order):
    assert derived_status(subs) == order


def test_requested_dates_must_be_ahead_and_due_after_start():
    ok = {"requestedStartDate": "2027-03-05", "requestedDueDate": "2027-03-20"}
    backwards = {"requestedStartDate": "2027-03-20", "requestedDueDate": "2027-03-20"}
    past = {"requestedStartDate": "2027-02-01"}

    assert rules.date_problems(ok, at="installation", today=TODAY) == []
    assert [p.rule for p in rules.date_problems(backwards, at="x", today=TODAY)] == [
        "due_before_start"
    ]
    [problem] = rules.date_problems(past, at="installation", today=TODAY)
    assert (problem.field, problem.rule) == ("installation.requestedStartDate", "date_in_past")


def test_handoff_needs_an_installation_contact_per_sub_order_own_or_the_orders():
    order_level = {"contacts": [CONTACT]}
    subs = [rules.SubOrderFacts(None), rules.SubOrderFacts({"contacts": []})]

    with_order_contact = rules.handoff_problems(
        installation=order_level, sub_orders=subs, today=TODAY
    )
    without = rules.handoff_problems(installation=None, sub_orders=subs, today=TODAY)

    # A sub-order's own section replaces the order's as a whole, even an empty one.
    assert [p.field for p in with_order_contact] == ["subOrders.1.installation.contacts"]
    assert [p.rule for p in without] == ["installation_contact_required"] * 2


def test_the_sandbox_moves_each_open_sub_order_one_milestone_per_check():
    sandbox = SandboxProvisioning(step_seconds=5)
    subs = [
        SubOrderState("a", "submitted", None),
        SubOrderState("b", "submitted", "sandbox-reject please"),
        SubOrderState("c", "design", "SANDBOX-JEOPARDY"),
        SubOrderState("d", "jeopardy", "SANDBOX-JEOPARDY"),
        SubOrderState("e", "completed", None),
    ]

    handoff = sandbox.hand_off(order_id="o", sub_orders=subs)
    progress = sandbox.check(reference=handoff.reference, sub_orders=subs)

    assert handoff.reference.startswith("SBX-PRV-") and handoff.check_in_seconds == 5
    assert [(m.sub_order_id, m.status) for m in progress.milestones] == [
        ("a", "accepted"),
        ("b", "rejected"),
        ("c", "jeopardy"),
        ("d", "installationScheduled"),
    ]
    assert progress.check_in_seconds == 5


def test_the_sandbox_stops_checking_once_every_sub_order_is_final():
    sandbox = SandboxProvisioning(step_seconds=5)
    last = [SubOrderState("a", "installed", None), SubOrderState("b", "rejected", None)]

    progress = sandbox.check(reference="r", sub_orders=last)

    assert [m.status for m in progress.milestones] == ["completed"]
    assert progress.check_in_seconds is None


def test_a_contract_is_signed_once():
    assert contract_states.transition("generated", contract_states.ContractStatus.SIGNED)
    with pytest.raises(InvalidTransition):
        contract_states.transition("signed", contract_states.ContractStatus.SIGNED)

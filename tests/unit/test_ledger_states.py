"""The ledger's common state: a pure function of a channel and its status, and every move
a channel can make reads as an allowed move of the common state."""

from __future__ import annotations

import pytest

from orderhub.careorders import states as care
from orderhub.ledger.states import STATES, Channel, OrderState, common_state, statuses_in
from orderhub.onboarding import states as onboarding
from orderhub.orders import states as direct
from orderhub.partner_orders import states as partner

MACHINES = {
    Channel.DIRECT: direct.LIFECYCLE,
    Channel.PARTNER: partner.LIFECYCLE,
    Channel.ONBOARDING: onboarding.LIFECYCLE,
    Channel.CARE: care.ORDER_LIFECYCLE,
}


@pytest.mark.parametrize("channel", list(Channel))
def test_every_status_of_every_channel_has_a_common_state(channel):
    for status in MACHINES[channel].statuses:
        assert common_state(channel, status) in OrderState


@pytest.mark.parametrize("channel", list(Channel))
def test_every_move_a_channel_allows_is_a_move_the_common_state_allows(channel):
    machine = MACHINES[channel]
    for status, targets in machine.moves.items():
        for target in targets:
            before, after = common_state(channel, status), common_state(channel, target)
            if before != after:
                assert STATES.allows(before, after), (channel, status, target)


def test_the_mapping_the_docs_give():
    assert common_state("direct", "draft") == "pending"
    assert common_state("direct", "submitted") == "acknowledged"
    assert common_state("direct", "inFulfillment") == "inProgress"
    assert common_state("partner", "jeopardy") == "held"
    assert common_state("onboarding", "submitted") == "completed"
    assert common_state("care", "partiallyCompleted") == "partial"
    assert sorted(statuses_in("partner", "inProgress")) == [
        "accepted",
        "design",
        "installationScheduled",
        "installed",
    ]


def test_a_final_state_never_moves_again_and_unknown_statuses_are_refused():
    assert STATES.final == {
        OrderState.COMPLETED,
        OrderState.PARTIAL,
        OrderState.FAILED,
        OrderState.REJECTED,
        OrderState.CANCELLED,
    }
    with pytest.raises(ValueError, match="no common state"):
        common_state("direct", "shipped")

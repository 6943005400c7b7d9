"""The opportunity status table: open ends won or lost, and both ends are final."""

from __future__ import annotations

import pytest

from orderhub.lifecycle import InvalidTransition
from orderhub.opportunities.states import LIFECYCLE, OpportunityStatus, transition


def test_an_open_opportunity_is_won_or_lost():
    assert transition("open", "won") is OpportunityStatus.WON
    assert transition("open", "lost") is OpportunityStatus.LOST


@pytest.mark.parametrize("current", ["won", "lost"])
@pytest.mark.parametrize("target", ["open", "won", "lost"])
def test_won_and_lost_are_final(current, target):
    assert LIFECYCLE.is_final(current)
    with pytest.raises(InvalidTransition) as refused:
        transition(current, target)
    assert refused.value.extra == {"currentStatus": current, "requestedStatus": target}
    assert f"'{current}' cannot become '{target}'" in refused.value.detail

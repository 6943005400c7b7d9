from __future__ import annotations

import pytest

from orderhub.onboarding.states import (
    OrderStatus,
    OrderSubmitted,
    StepOutOfOrder,
    advance,
    require_at_least,
)


def test_a_step_before_its_turn_names_the_missing_step():
    with pytest.raises(StepOutOfOrder) as refused:
        require_at_least("started", OrderStatus.QUALIFIED, "packageSelection")
    assert refused.value.extra["missingStep"] == "serviceQualification"
    with pytest.raises(StepOutOfOrder) as refused:
        require_at_least("qualified", OrderStatus.PACKAGE_SELECTED, "serviceConfiguration")
    assert refused.value.extra["missingStep"] == "packageSelection"


def test_a_submitted_order_refuses_every_step():
    with pytest.raises(OrderSubmitted):
        require_at_least("submitted", OrderStatus.STARTED, "serviceQualification")


def test_later_steps_are_allowed_and_status_only_moves_forward():
    require_at_least("packageSelected", OrderStatus.QUALIFIED, "packageSelection")
    assert advance("packageSelected", OrderStatus.QUALIFIED) == OrderStatus.PACKAGE_SELECTED
    assert advance("started", OrderStatus.QUALIFIED) == OrderStatus.QUALIFIED

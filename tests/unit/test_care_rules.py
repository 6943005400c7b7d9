"""Care-order rules that need no lookup, starting from the seed's own example request."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderhub.careorders import rules

SEED = json.loads((Path(__file__).parents[1] / "data" / "care_order_seed.json").read_text())


def _change(**overrides):
    return SEED["careOrderRequest"]["changeRequest"][0] | overrides


def _rules(problems):
    return {(p.field, p.rule) for p in problems}


def test_the_seeds_example_change_request_has_no_problems():
    assert rules.change_request_problems(0, _change()) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("immediate", rules.Effective("immediate")),
        ("nextBillingCycle", rules.Effective("nextBillingCycle")),
        ("2026-12-01", rules.Effective("at", datetime(2026, 12, 1, tzinfo=UTC))),
        (
            "2022-02-15T19:00:00.000-05:00",
            rules.Effective("at", datetime(2022, 2, 16, 0, 0, tzinfo=UTC)),
        ),
        ("2026-12-01T10:00:00", None),  # no zone: ambiguous
        ("tomorrow", None),
        (20261201, None),
    ],
)
def test_effective_dates(value, expected):
    assert rules.parse_effective(value) == expected


def test_each_field_rule_names_its_field():
    change = _change(
        type="upgradeSubscriber",
        ctn="12345",
        effectiveDate="soon",
        suspendServiceReason="Bored",
        items=[
            {
                "id": "sku1",
                "action": "replace",
                "effectiveDate": "2023-02-15T00:00:00Z",
                "expirationDate": "2022-02-15T00:00:00Z",
            },
            "sku2",
        ],
        device={"imei": "35919407716520", "iccid": "12014704272630325832", "networkBlock": "maybe"},
    )
    assert _rules(rules.change_request_problems(3, change)) == {
        ("changeRequest.3.type", "change_type"),
        ("changeRequest.3.ctn", "ctn_format"),
        ("changeRequest.3.effectiveDate", "effective_date"),
        ("changeRequest.3.suspendServiceReason", "reason"),
        ("changeRequest.3.items.0.action", "item_action"),
        ("changeRequest.3.items.0.expirationDate", "after_effective"),
        ("changeRequest.3.items.1", "item"),
        ("changeRequest.3.device.imei", "imei_format"),
        ("changeRequest.3.device.iccid", "iccid_format"),
        ("changeRequest.3.device.networkBlock", "boolean"),
    }


def test_iccid_needs_no_luhn_check_digit_and_may_be_19_or_20_digits():
    for iccid in ("89014704272630325832", "8901470427263032583"):
        device = {"imei": "359194077165207", "iccid": iccid}
        assert rules.change_request_problems(0, _change(device=device)) == []


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("suspendSubscriber", "suspendServiceReason"),
        ("resumeSubscriber", "resumeServiceReason"),
        ("cancelSubscriber", "cancelServiceReason"),
    ],
)
def test_status_changes_need_their_reason(kind, reason):
    change = {"type": kind, "ctn": "1234567890", "effectiveDate": "immediate"}
    assert _rules(rules.change_request_problems(0, change)) == {
        (f"changeRequest.0.{reason}", "required")
    }


def test_network_block_spellings():
    assert rules.network_block("True") is True
    assert rules.network_block(False) is False
    assert rules.network_block("yes") is None

"""Care orders refused (422) for every rule, with each problem's field and rule, and
accepted with warnings: what the API checks before it answers 202."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.care_helpers import (
    CANCELLED,
    DATA_ONLY,
    DAY_PASS,
    ELITE,
    ELITE_IMEI,
    FAN,
    HOTSPOT_100,
    INTL_UNLIMITED,
    NEW_DEVICE,
    OTHER_FAN,
    OTHER_LINE,
    PLANO,
    POOLED,
    SUSPENDED,
    VISUAL_VOICEMAIL,
    VOICE_PACK,
    Partner,
    add,
    care_body,
    change,
    moment,
    pairs,
    problems,
    remove,
)
from tests.helpers import is_problem


@pytest.fixture
def care(client) -> Partner:
    return Partner(client)


# ---- every validation rule ---------------------------------------------------------------


def refusal(field, rule, *changes, why="", also=(), **overrides):
    """An order refused for this rule on this field (under careOrderRequest)."""
    return f"{rule} {why}".strip(), list(changes), overrides, {(field, rule), *also}


C0 = "changeRequest.0"
CTN0, ITEM0 = f"{C0}.ctn", f"{C0}.items.0"
ADD_PACK = change(items=[add(VOICE_PACK)])
REFUSALS = [
    refusal(f"{C0}.type", "change_type", change("upgradeSubscriber")),
    refusal(CTN0, "ctn_format", change(ctn="12345")),
    refusal(f"{C0}.effectiveDate", "effective_date", change(effectiveDate="soon")),
    refusal(
        f"{C0}.cancelEffectiveDate",
        "effective_date",
        change(
            "cancelSubscriber",
            cancelServiceReason="DeviceLost",
            cancelEffectiveDate="2030-01-01T10:00",
        ),
        why="no time zone",
    ),
    refusal(
        f"{C0}.suspendServiceReason",
        "reason",
        change("suspendSubscriber", suspendServiceReason="?"),
    ),
    refusal(f"{C0}.suspendServiceReason", "required", change("suspendSubscriber"), why="suspend"),
    refusal(
        f"{C0}.resumeServiceReason",
        "required",
        change("resumeSubscriber", SUSPENDED),
        why="resume",
        accountGroupId=PLANO,
    ),
    refusal(f"{C0}.cancelServiceReason", "required", change("cancelSubscriber"), why="cancel"),
    refusal(f"{C0}.resetVoiceMail.pin", "required", change(resetVoiceMail={}), why="pin"),
    refusal(f"{ITEM0}.action", "item_action", change(items=[{"id": VOICE_PACK, "action": "on"}])),
    refusal(
        f"{ITEM0}.effectiveDate",
        "date_time",
        change(items=[add(VOICE_PACK, effectiveDate="tomorrow")]),
    ),
    refusal(
        f"{ITEM0}.expirationDate",
        "after_effective",
        change(items=[add(VOICE_PACK, effectiveDate="2030-03-01", expirationDate="2030-02-01")]),
    ),
    refusal(f"{C0}.device.imei", "imei_format", change(device={"imei": "3591940771652"})),
    refusal(f"{C0}.device.iccid", "iccid_format", change(device={"iccid": "1201470427263032583"})),
    refusal(f"{C0}.device.networkBlock", "boolean", change(device={"networkBlock": "maybe"})),
    refusal(
        "foundationAccountNumber",
        "account_access",
        change("upgradeSubscriber"),
        why="unknown account: its only problem",
        foundationAccountNumber="99999999",
    ),
    refusal(
        "foundationAccountNumber",
        "account_access",
        change(ctn=OTHER_LINE),
        why="another client's account",
        foundationAccountNumber=OTHER_FAN,
        accountGroupId=None,
    ),
    refusal(
        "accountGroupId",
        "unknown_account_group",
        change(),
        accountGroupId="73001012789",
    ),
    refusal(CTN0, "ctn_not_on_account", change(ctn=OTHER_LINE), why="another account's line"),
    refusal(CTN0, "ctn_not_on_account", change(ctn="9999999999"), why="unknown line"),
    refusal(CTN0, "ctn_not_in_group", change(), accountGroupId=PLANO),
    refusal(
        CTN0, "subscriber_status", change(ctn=CANCELLED), why="cancelled", accountGroupId=PLANO
    ),
    refusal(
        CTN0,
        "subscriber_status",
        change("cancelSubscriber", CANCELLED, cancelServiceReason="DeviceLost"),
        why="cancelled twice",
        accountGroupId=PLANO,
    ),
    refusal(
        CTN0,
        "subscriber_status",
        change(ctn=SUSPENDED, items=[add(VOICE_PACK)]),
        why="suspended, feature change",
        accountGroupId=PLANO,
    ),
    refusal(
        CTN0,
        "subscriber_status",
        change("suspendSubscriber", SUSPENDED, suspendServiceReason="Lost"),
        why="suspend a suspended line",
        accountGroupId=PLANO,
    ),
    refusal(
        CTN0,
        "subscriber_status",
        change("resumeSubscriber", resumeServiceReason="DeviceFound"),
        why="resume an active line",
    ),
    refusal(f"{C0}.ratePlan", "unknown_rate_plan", change(ratePlan="galaxy")),
    refusal(
        f"{C0}.ratePlan", "feature_not_for_plan", change(ctn=ELITE, ratePlan="business-data-only")
    ),
    refusal(f"{ITEM0}.id", "unknown_sku", change(items=[add("sku00000000000")])),
    refusal(f"{ITEM0}.id", "feature_not_on_line", change(items=[remove(VOICE_PACK)])),
    refusal(f"{ITEM0}.id", "sku_not_for_plan", change(items=[add(HOTSPOT_100)])),
    refusal(
        f"{C0}.items.1.id", "conflicting_items", change(items=[add(DAY_PASS), add(INTL_UNLIMITED)])
    ),
    refusal(f"{ITEM0}.id", "duplicate_feature", change(items=[add(VISUAL_VOICEMAIL)])),
    refusal(f"{ITEM0}.id", "conflicting_feature", change(ctn=ELITE, items=[add(DAY_PASS)])),
    refusal(f"{C0}.device.imei", "device_in_use", change(device={"imei": ELITE_IMEI})),
    refusal(
        "changeRequest.1.device.imei",
        "device_in_use",
        change(device=NEW_DEVICE),
        change(ctn=DATA_ONLY, device=NEW_DEVICE),
        why="claimed twice in one order",
    ),
    refusal(
        "consentToRecurringCharges", "consent_required", ADD_PACK, consentToRecurringCharges=False
    ),
    refusal(
        "consentToRecurringCharges",
        "consent_required",
        ADD_PACK,
        why="consent not sent",
        consentToRecurringCharges=None,
    ),
    refusal(C0, "empty_change", {"type": "updateSubscriber", "ctn": POOLED}),
    refusal(C0, "empty_change", change(items=[], udl=[]), why="empty lists"),
    refusal(
        "changeRequest.1.changeRequestId",
        "duplicate_change_request_id",
        change(changeRequestId="A"),
        change(ctn=ELITE, changeRequestId="A"),
    ),
]


def test_each_rule_refuses_with_its_field_and_rule(care, subtests):
    # A refused order writes nothing, so the cases share one database.
    for name, changes, overrides, expected in REFUSALS:
        with subtests.test(name):
            response = care.send(care_body(*changes, **overrides))
            assert is_problem(response, 422, "validation_failed")
            assert problems(response) == {(f"careOrderRequest.{f}", r) for f, r in expected}
    assert care.orders() == []


def test_every_problem_of_an_order_comes_back_at_once(care):
    response = care.send(
        care_body(
            change(items=[add(HOTSPOT_100), add(VOICE_PACK)]),
            change("suspendSubscriber", ELITE, suspendServiceReason="Bored"),
            change(ctn=DATA_ONLY, device={"imei": "123", "networkBlock": "yes"}),
            consentToRecurringCharges=False,
        )
    )
    root = "careOrderRequest.changeRequest"
    assert problems(response) == {
        (f"{root}.0.items.0.id", "sku_not_for_plan"),
        (f"{root}.1.suspendServiceReason", "reason"),
        (f"{root}.2.device.imei", "imei_format"),
        (f"{root}.2.device.networkBlock", "boolean"),
        ("careOrderRequest.consentToRecurringCharges", "consent_required"),
    }


def test_accepted_orders_carry_warnings_for_what_they_ignore_or_find_past(care):
    order = care.place(
        change("suspendSubscriber", suspendServiceReason="Lost", udl=[{"type": "A", "value": "b"}]),
        change(
            ctn=ELITE,
            effectiveDate="2022-05-01",
            resetVoiceMail={"pin": "8642", "autogeneratedPin": True},
        ),
        change(ctn=DATA_ONLY),  # two changes without a changeRequestId are not duplicates
    )
    suspend, update, label = order["changeRequests"]
    assert pairs(suspend["warnings"]) == {("careOrderRequest.changeRequest.0.udl", "ignored_field")}
    assert pairs(update["warnings"]) == {
        ("careOrderRequest.changeRequest.1.effectiveDate", "date_past"),
        ("careOrderRequest.changeRequest.1.resetVoiceMail.pin", "ignored_field"),
    }
    assert update["effective"] == "date" and moment(update["dueAt"]) <= care.now()
    assert label["warnings"] == [] and label["changeRequestId"] is None

    care.process()  # a past date applies at once
    assert [c["status"] for c in care.order(order["id"])["changeRequests"]] == ["completed"] * 3
    assert care.line(POOLED)["status"] == "suspended"
    assert care.line(POOLED)["udl"] == [{"type": "Cost Center", "value": "CC-1001"}]


# ---- checked against what earlier changes leave -------------------------------------------


def test_a_resume_is_checked_against_the_suspend_already_waiting_for_its_date(care):
    care.place(
        change("suspendSubscriber", suspendServiceReason="Lost", effectiveDate="nextBillingCycle")
    )
    too_early = care.send(care_body(change("resumeSubscriber", resumeServiceReason="DeviceFound")))
    assert problems(too_early) == {("careOrderRequest.changeRequest.0.ctn", "subscriber_status")}
    later = (care.now() + timedelta(days=40)).date().isoformat()
    care.place(change("resumeSubscriber", resumeServiceReason="DeviceFound", effectiveDate=later))


def test_one_order_cannot_add_the_same_feature_to_a_line_twice(care):
    twice = care.send(care_body(change(items=[add(VOICE_PACK)]), change(items=[add(VOICE_PACK)])))
    assert problems(twice) == {("careOrderRequest.changeRequest.1.items.0.id", "duplicate_feature")}


def test_an_order_is_checked_in_the_order_its_changes_take_effect(care):
    # Added at the next cycle, removed now: the remove comes first and finds nothing.
    add_later_remove_now = care.send(
        care_body(
            change(items=[add(VOICE_PACK)], effectiveDate="nextBillingCycle"),
            change(items=[remove(VOICE_PACK)]),
        )
    )
    assert problems(add_later_remove_now) == {
        ("careOrderRequest.changeRequest.1.items.0.id", "feature_not_on_line")
    }
    # Removed at the next cycle, added now: the line still has it when the add applies.
    remove_later_add_now = care.send(
        care_body(
            change(items=[remove(VISUAL_VOICEMAIL)], effectiveDate="nextBillingCycle"),
            change(items=[add(VISUAL_VOICEMAIL)]),
        )
    )
    assert problems(remove_later_add_now) == {
        ("careOrderRequest.changeRequest.1.items.0.id", "duplicate_feature")
    }
    assert care.orders() == []

    # Added back at the next cycle after a remove now: no duplicate, whatever the order.
    order = care.place(
        change(items=[add(VISUAL_VOICEMAIL)], effectiveDate="nextBillingCycle"),
        change(items=[remove(VISUAL_VOICEMAIL)]),
    )
    care.process()
    assert VISUAL_VOICEMAIL not in care.features(POOLED)
    care.run_until(moment(order["changeRequests"][0]["dueAt"]))
    assert care.order(order["id"])["status"] == "completed"
    assert care.features(POOLED) == {VISUAL_VOICEMAIL: "active"}


# ---- dates, digits, nulls ------------------------------------------------------------------

CALENDAR_END = "9999-12-31T23:59:59-05:00"  # past Python's last date once in UTC
FAR_OFF_DATES = [
    refusal(f"{C0}.effectiveDate", "effective_date", change(effectiveDate=CALENDAR_END)),
    refusal(
        f"{C0}.cancelEffectiveDate",
        "effective_date",
        change(
            "cancelSubscriber", cancelServiceReason="DeviceLost", cancelEffectiveDate="2300-01-01"
        ),
        why="year 2300",
    ),
    refusal(f"{C0}.effectiveDate", "effective_date", change(effectiveDate="2300-06-01T00:00:00Z")),
    refusal(
        f"{ITEM0}.effectiveDate",
        "date_time",
        change(items=[add(VOICE_PACK, effectiveDate=CALENDAR_END)]),
    ),
    refusal(
        f"{ITEM0}.expirationDate",
        "date_time",
        change(items=[add(VOICE_PACK, expirationDate=CALENDAR_END)]),
    ),
    refusal(
        f"{ITEM0}.expirationDate",
        "date_time",
        change(items=[add(VOICE_PACK, expirationDate="2300-01-01")]),
        why="year 2300",
    ),
]


def test_dates_past_2199_are_refused_with_their_field_never_a_500(care, subtests):
    for name, changes, overrides, expected in FAR_OFF_DATES:
        with subtests.test(name):
            response = care.send(care_body(*changes, **overrides))
            assert is_problem(response, 422, "validation_failed"), response.text
            assert problems(response) == {(f"careOrderRequest.{f}", r) for f, r in expected}
    assert care.orders() == []


def foreign(digits: str) -> str:
    """The same number in Arabic-Indic digits, which a regex's \\d also takes."""
    return digits.translate(str.maketrans("0123456789", "".join(map(chr, range(0x660, 0x66A)))))


FOREIGN_DIGITS = [
    refusal(CTN0, "ctn_format", change(ctn=foreign(POOLED)), why="ctn"),
    refusal(
        f"{C0}.resetVoiceMail.pin",
        "string_pattern_mismatch",
        change(resetVoiceMail={"pin": foreign("2468")}),
        why="pin",
    ),
    refusal(
        f"{C0}.device.imei", "imei_format", change(device={"imei": foreign(NEW_DEVICE["imei"])})
    ),
    refusal(
        f"{C0}.device.iccid",
        "iccid_format",
        change(device={"iccid": "89" + foreign(NEW_DEVICE["iccid"][2:])}),
    ),
    refusal(
        "foundationAccountNumber",
        "string_pattern_mismatch",
        change(),
        foundationAccountNumber=foreign(FAN),
    ),
]


def test_digits_of_other_scripts_are_refused(care, subtests):
    for name, changes, overrides, expected in FOREIGN_DIGITS:
        with subtests.test(name):
            response = care.send(care_body(*changes, **overrides))
            assert problems(response) == {(f"careOrderRequest.{f}", r) for f, r in expected}
    assert care.orders() == []


def test_explicit_nulls_are_taken_as_absent_fields(care):
    order = care.place(
        change(
            effectiveDate=None,
            suspendServiceReason=None,
            device={"imei": None, "iccid": NEW_DEVICE["iccid"]},
        ),
        change(
            ctn=ELITE,
            cancelServiceReason=None,
            items=[
                {"id": VOICE_PACK, "action": "add", "effectiveDate": None, "expirationDate": None}
            ],
        ),
    )
    for accepted in order["changeRequests"]:
        assert (accepted["effective"], accepted["warnings"]) == ("immediate", [])

    care.process()
    assert care.order(order["id"])["status"] == "completed"
    device = care.line(POOLED)["device"]
    assert (device["imei"], device["iccid"]) == ("359194077165199", NEW_DEVICE["iccid"])
    [pack] = [f for f in care.line(ELITE)["features"] if f["sku"] == VOICE_PACK]
    assert (pack["status"], pack["expirationDate"]) == ("active", None)


def test_an_unknown_account_group_is_named_in_its_problem(care):
    response = care.send(care_body(accountGroupId="99999"))
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["rule"]) == (
        "careOrderRequest.accountGroupId",
        "unknown_account_group",
    )
    assert "'99999'" in problem["message"] and "None" not in problem["message"]

"""Care orders applied by the worker as the sandbox test clock moves: each type at its
effective date, changes that no longer fit when they apply, the replace flags, feature
dates, voicemail PINs and cancelling."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from orderhub.careorders.checks import pin_digest
from tests.api.care_helpers import (
    CARE,
    DALLAS,
    DAY_PASS,
    ELITE,
    ELITE_IMEI,
    HOTSPOT_30,
    HOTSPOT_100,
    INTL_UNLIMITED,
    NEW_DEVICE,
    PLANO,
    POOLED,
    SUSPENDED,
    VISUAL_VOICEMAIL,
    VOICE_PACK,
    Partner,
    add,
    assert_no_pin,
    care_body,
    change,
    midnight,
    moment,
    pairs,
    problems,
)


@pytest.fixture
def care(client) -> Partner:
    return Partner(client)


# ---- applying at the effective date ------------------------------------------------------

# Per change type: the line it acts on, the line's group, and its fields.
TYPES = {
    "updateSubscriber": (POOLED, DALLAS, {"items": [add(VOICE_PACK)]}),
    "suspendSubscriber": (POOLED, DALLAS, {"suspendServiceReason": "Lost"}),
    "resumeSubscriber": (SUSPENDED, PLANO, {"resumeServiceReason": "DeviceFound"}),
    "cancelSubscriber": (ELITE, DALLAS, {"cancelServiceReason": "EmployeeLeftCompany"}),
}


def effect(care: Partner, ctn: str) -> tuple[str, bool]:
    """The line's status, and whether the update's feature is on it."""
    return care.line(ctn)["status"], VOICE_PACK in care.features(ctn)


# What `effect` shows before and after each type of change applies.
BEFORE = {
    "updateSubscriber": ("active", False),
    "suspendSubscriber": ("active", False),
    "resumeSubscriber": ("suspended", False),
    "cancelSubscriber": ("active", False),
}
AFTER = {
    "updateSubscriber": ("active", True),
    "suspendSubscriber": ("suspended", False),
    "resumeSubscriber": ("active", False),
    "cancelSubscriber": ("cancelled", False),
}


@pytest.mark.parametrize("when", ["immediate", "nextBillingCycle", "date"])
@pytest.mark.parametrize("kind", list(TYPES))
def test_each_change_type_applies_at_its_effective_date(care, kind, when):
    ctn, group, fields = TYPES[kind]
    now = care.now()
    value = {"date": (now + timedelta(days=10)).date().isoformat()}.get(when, when)
    name = "cancelEffectiveDate" if kind == "cancelSubscriber" else "effectiveDate"
    order = care.place(change(kind, ctn, **fields, **{name: value}), accountGroupId=group)
    [accepted] = order["changeRequests"]
    due = moment(accepted["dueAt"])
    assert accepted["effective"] == when
    expected_due = {
        "nextBillingCycle": midnight(datetime.fromisoformat(care.line(ctn)["nextBillDate"])),
        "date": midnight((now + timedelta(days=10)).date()),
    }
    if when == "immediate":
        assert now - timedelta(seconds=5) <= due <= care.now()
    else:
        assert due == expected_due[when]
        care.process()
        care.run_until(due - timedelta(minutes=1))
        assert care.order(order["id"])["changeRequests"][0]["status"] == "scheduled"
        assert effect(care, ctn) == BEFORE[kind]
        care.move_clock(to=due)

    care.process()
    done = care.order(order["id"])
    assert done["status"] == "completed" and done["changeRequests"][0]["status"] == "completed"
    assert effect(care, ctn) == AFTER[kind]
    event = care.line(ctn)["history"][-1]
    assert event["type"] == f"subscriber.{kind}"
    assert abs(moment(event["createdAt"]) - due) < timedelta(seconds=5)


def test_a_feature_change_fails_when_the_line_was_suspended_before_it_applied(care):
    order = care.place(
        change(items=[add(VOICE_PACK)], effectiveDate="nextBillingCycle"),
        change(ctn=ELITE, effectiveDate="nextBillingCycle"),
    )
    suspend = care.place(change("suspendSubscriber", suspendServiceReason="Stolen"))
    care.process()
    assert care.order(suspend["id"])["status"] == "completed"
    assert care.line(POOLED)["status"] == "suspended"

    care.run_until(max(moment(c["dueAt"]) for c in order["changeRequests"]))
    feature, label = care.order(order["id"])["changeRequests"]
    assert feature["status"] == "failed" and feature["failure"]["code"] == "subscriber_status"
    assert label["status"] == "completed" and label["failure"] is None
    assert care.order(order["id"])["status"] == "partiallyCompleted"
    assert VOICE_PACK not in care.features(POOLED)
    assert care.line(POOLED)["history"][-1]["type"] == "subscriber.suspendSubscriber"


def test_one_order_may_suspend_a_line_now_and_resume_it_at_the_next_billing_cycle(care):
    order = care.place(
        change("suspendSubscriber", suspendServiceReason="Vacation"),
        change(
            "resumeSubscriber",
            resumeServiceReason="CustomerRequest",
            effectiveDate="nextBillingCycle",
        ),
    )
    care.process()
    assert care.line(POOLED)["status"] == "suspended"
    care.run_until(moment(order["changeRequests"][1]["dueAt"]))
    assert care.order(order["id"])["status"] == "completed"
    assert care.line(POOLED)["status"] == "active"
    history = [e["type"] for e in care.line(POOLED)["history"]]
    assert history[-2:] == ["subscriber.suspendSubscriber", "subscriber.resumeSubscriber"]


def test_a_suspended_line_still_takes_changes_without_features(care):
    order = care.place(change(ctn=SUSPENDED, device=NEW_DEVICE), accountGroupId=PLANO)
    care.process()
    assert care.order(order["id"])["status"] == "completed"
    assert care.line(SUSPENDED)["device"]["imei"] == NEW_DEVICE["imei"]


def test_a_change_that_no_longer_fits_fails_at_application_and_changes_nothing(care):
    first = care.place(change(items=[add(VOICE_PACK)]))
    second = care.place(change(items=[add(VOICE_PACK)], udl=[{"type": "A", "value": "b"}]))
    care.process()
    assert care.order(first["id"])["status"] == "completed"
    failure = care.order(second["id"])["changeRequests"][0]["failure"]
    assert failure["code"] == "duplicate_feature"
    assert care.line(POOLED)["udl"] == [{"type": "Cost Center", "value": "CC-1001"}]


def test_replace_conflicting_features_removes_the_old_one(care):
    care.place(change(ctn=ELITE, items=[add(DAY_PASS)], replaceConflictingFeatures=True))
    care.process()
    line = care.line(ELITE)
    assert care.features(ELITE) == {HOTSPOT_30: "active", DAY_PASS: "active"}
    assert [f["status"] for f in line["features"] if f["sku"] == INTL_UNLIMITED] == ["removed"]


def test_replace_duplicate_features_swaps_the_existing_feature_for_a_new_one(care):
    care.place(change(items=[add(VISUAL_VOICEMAIL)], replaceDuplicateFeatures=True))
    care.process()
    kept = [f for f in care.line(POOLED)["features"] if f["sku"] == VISUAL_VOICEMAIL]
    assert sorted(f["status"] for f in kept) == ["active", "removed"]


def test_a_rate_plan_change_makes_its_features_sellable(care):
    care.place(change(ratePlan="business-unlimited-elite", items=[add(HOTSPOT_100)]))
    care.process()
    line = care.line(POOLED)
    assert line["ratePlan"] == "business-unlimited-elite"
    assert care.features(POOLED) == {VISUAL_VOICEMAIL: "active", HOTSPOT_100: "active"}


def test_future_item_dates_schedule_and_expire_the_feature(care):
    now = care.now()
    starts, ends = now + timedelta(days=5), now + timedelta(days=10)
    care.place(
        change(
            items=[
                add(VOICE_PACK, effectiveDate=starts.isoformat(), expirationDate=ends.isoformat())
            ]
        )
    )
    care.process()
    assert care.features(POOLED)[VOICE_PACK] == "scheduled"
    care.move_clock(days=6)
    assert care.features(POOLED)[VOICE_PACK] == "active"
    care.move_clock(days=5)
    assert care.features(POOLED)[VOICE_PACK] == "expired"


def test_an_expiration_before_its_change_applies_is_warned_about_and_dropped(care):
    now = care.now()
    due = midnight(date.fromisoformat(care.line(POOLED)["nextBillDate"]))
    ends = now + (due - now) / 2  # still to come, but before the change applies
    order = care.place(
        change(
            items=[add(VOICE_PACK, expirationDate=ends.isoformat())],
            effectiveDate="nextBillingCycle",
        )
    )
    [accepted] = order["changeRequests"]
    assert moment(accepted["dueAt"]) == due
    assert pairs(accepted["warnings"]) == {
        ("careOrderRequest.changeRequest.0.items.0.expirationDate", "expiration_past")
    }

    care.process()
    care.run_until(due)
    assert care.order(order["id"])["status"] == "completed"
    [pack] = [f for f in care.line(POOLED)["features"] if f["sku"] == VOICE_PACK]
    assert (pack["status"], pack["expirationDate"]) == ("active", None)


def test_a_chosen_voicemail_pin_is_never_shown_nor_sent(care):
    order = care.place(change(ctn=ELITE, resetVoiceMail={"pin": "97531"}))
    care.process()
    voicemail = care.line(ELITE)["voicemail"]
    assert voicemail["pinSet"] is True and voicemail["autogeneratedPin"] is False
    assert care.texts_to(ELITE) == []
    digest = pin_digest(care.http.app.state.runtime.key, ELITE, "97531")
    for path in (
        f"{CARE}/careOrder/{order['id']}",
        f"{CARE}/careOrder",
        f"/inventory/v1/subscribers/{ELITE}",
    ):
        assert_no_pin(care.http.get(path, headers=care.auth).text, "97531", digest)


def test_a_cancelled_line_loses_its_features_and_refuses_later_orders(care):
    later = care.place(change(ctn=ELITE, effectiveDate="nextBillingCycle"))
    care.place(change("cancelSubscriber", ELITE, cancelServiceReason="EmployeeLeftCompany"))
    care.process()
    line = care.line(ELITE)
    assert line["status"] == "cancelled"
    assert {f["status"] for f in line["features"]} == {"removed"}

    refused = care.send(care_body(change("suspendSubscriber", ELITE, suspendServiceReason="Lost")))
    assert problems(refused) == {("careOrderRequest.changeRequest.0.ctn", "subscriber_status")}
    care.run_until(moment(later["changeRequests"][0]["dueAt"]))
    assert care.order(later["id"])["changeRequests"][0]["failure"]["code"] == "subscriber_status"
    # Its device is free again for another line.
    care.place(change(device={"imei": ELITE_IMEI}))


def test_cancelling_a_line_leaves_a_feature_that_had_already_expired_as_it_ended(care):
    ends = (care.now() + timedelta(days=1)).replace(microsecond=0)
    care.place(change(ctn=ELITE, items=[add(VOICE_PACK, expirationDate=ends.isoformat())]))
    care.process()
    care.move_clock(days=2)
    assert care.features(ELITE)[VOICE_PACK] == "expired"

    care.place(change("cancelSubscriber", ELITE, cancelServiceReason="EmployeeLeftCompany"))
    care.process()
    features = {f["sku"]: f for f in care.line(ELITE)["features"]}
    pack = features.pop(VOICE_PACK)
    assert (pack["status"], moment(pack["expirationDate"])) == ("expired", ends)
    assert {f["status"] for f in features.values()} == {"removed"}  # the ones still running

"""Care-order rules as pure functions: what a change request may say, before any lookup.

The accepted values of every enumeration are listed here and in docs (issue 6); checks
that need the inventory (the account, the CTN, SKUs, devices in use) come on top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from orderhub.errors import FieldProblem

TYPES = ("updateSubscriber", "suspendSubscriber", "resumeSubscriber", "cancelSubscriber")
SUSPEND_REASONS = ("Lost", "Stolen", "CustomerRequest", "Vacation", "Fraud")
RESUME_REASONS = ("CustomerRequest", "DeviceFound", "FraudCleared")
CANCELLATION_REASONS = ("CorporateCustomerCancel", "CustomerRequest", "NonPayment", "Fraud")
CANCEL_SERVICE_REASONS = (
    "EmployeeLeftCompany",
    "DeviceLost",
    "ServiceNoLongerNeeded",
    "SwitchingCarrier",
)
ITEM_ACTIONS = ("add", "remove")
# Dates outside these years are typing mistakes (and 9999-12-31 with a negative offset
# is past the end of Python's calendar once in UTC).
EARLIEST, LATEST = 1970, 2199
# ASCII digits only: \d would also take other scripts' digits.
IMEI = re.compile(r"^[0-9]{15}$")
# 19-20 digits from the 89 (telecom) prefix; no Luhn check: the seed's own example
# (89014704272630325832) does not carry a valid check digit.
ICCID = re.compile(r"^89[0-9]{17,18}$")
CTN = re.compile(r"^[0-9]{10}$")
# Reason fields checked against their enumeration wherever they appear (the seed's
# example carries all of them on an updateSubscriber); each acts only for its type.
REASON_FIELDS = {
    "suspendServiceReason": SUSPEND_REASONS,
    "resumeServiceReason": RESUME_REASONS,
    "cancellationReason": CANCELLATION_REASONS,
    "cancelServiceReason": CANCEL_SERVICE_REASONS,
}
REQUIRED_REASON = {
    "suspendSubscriber": "suspendServiceReason",
    "resumeSubscriber": "resumeServiceReason",
    "cancelSubscriber": "cancelServiceReason",
}


@dataclass(frozen=True)
class Effective:
    """When a change applies: `immediate`, at the `nextBillingCycle`, or at a moment."""

    kind: str  # immediate | nextBillingCycle | at
    at: datetime | None = None


def parse_effective(value: Any) -> Effective | None:
    """`immediate`, `nextBillingCycle`, an ISO date (midnight UTC) or date-time; else None."""
    if value in ("immediate", "nextBillingCycle"):
        return Effective(value)
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                return None  # a moment without a zone is ambiguous
            moment = moment.astimezone(UTC)  # overflows at the calendar's ends
    except (ValueError, OverflowError):
        return None
    if not EARLIEST <= moment.year <= LATEST:
        return None  # no line's change is meant for another century
    return Effective("at", moment)


def parse_moment(value: Any) -> datetime | None:
    parsed = parse_effective(value)
    return parsed.at if parsed is not None and parsed.kind == "at" else None


def change_request_problems(index: int, change: dict[str, Any]) -> list[FieldProblem]:
    """Problems of one change request that need no lookup, named `changeRequest.<i>.<field>`."""
    at = f"changeRequest.{index}"
    problems = []
    kind = change.get("type")
    if kind not in TYPES:
        problems.append(FieldProblem(f"{at}.type", "change_type", f"One of {', '.join(TYPES)}."))
    if not isinstance(change.get("ctn"), str) or not CTN.match(change["ctn"]):
        problems.append(FieldProblem(f"{at}.ctn", "ctn_format", "A CTN is 10 digits."))
    for field in ("effectiveDate", "cancelEffectiveDate"):
        if field in change and parse_effective(change[field]) is None:
            problems.append(
                FieldProblem(
                    f"{at}.{field}",
                    "effective_date",
                    "Use 'immediate', 'nextBillingCycle' or an ISO date or date-time with a zone.",
                )
            )
    for field, allowed in REASON_FIELDS.items():
        if field in change and change[field] not in allowed:
            problems.append(
                FieldProblem(f"{at}.{field}", "reason", f"One of {', '.join(allowed)}.")
            )
    if kind in REQUIRED_REASON and REQUIRED_REASON[kind] not in change:
        field = REQUIRED_REASON[kind]
        problems.append(FieldProblem(f"{at}.{field}", "required", f"A {kind} needs {field}."))
    for position, item in enumerate(change.get("items") or []):
        problems += _item_problems(f"{at}.items.{position}", item)
    device = change.get("device")
    if isinstance(device, dict):
        if "imei" in device and not (
            isinstance(device["imei"], str) and IMEI.match(device["imei"])
        ):
            problems.append(
                FieldProblem(f"{at}.device.imei", "imei_format", "An IMEI is 15 digits.")
            )
        if "iccid" in device and not (
            isinstance(device["iccid"], str) and ICCID.match(device["iccid"])
        ):
            problems.append(
                FieldProblem(
                    f"{at}.device.iccid", "iccid_format", "An ICCID is 19-20 digits starting 89."
                )
            )
        if "networkBlock" in device and network_block(device["networkBlock"]) is None:
            problems.append(FieldProblem(f"{at}.device.networkBlock", "boolean", "true or false."))
    return problems


def _item_problems(at: str, item: Any) -> list[FieldProblem]:
    if not isinstance(item, dict):
        return [FieldProblem(at, "item", "An item is an object with id and action.")]
    problems = []
    if not isinstance(item.get("id"), str) or not item["id"]:
        problems.append(FieldProblem(f"{at}.id", "required", "The feature's SKU is required."))
    if item.get("action") not in ITEM_ACTIONS:
        problems.append(FieldProblem(f"{at}.action", "item_action", "One of add, remove."))
    starts = parse_moment(item["effectiveDate"]) if "effectiveDate" in item else None
    ends = parse_moment(item["expirationDate"]) if "expirationDate" in item else None
    for field, parsed in (("effectiveDate", starts), ("expirationDate", ends)):
        if field in item and parsed is None:
            problems.append(
                FieldProblem(f"{at}.{field}", "date_time", "An ISO date or date-time with a zone.")
            )
    if starts and ends and ends <= starts:
        problems.append(
            FieldProblem(
                f"{at}.expirationDate", "after_effective", "Must be after the effective date."
            )
        )
    return problems


def sends_message(change: dict[str, Any]) -> bool:
    """Whether applying the change sends the subscriber a message (an autogenerated
    voicemail PIN goes out by SMS)."""
    return bool((change.get("resetVoiceMail") or {}).get("autogeneratedPin"))


def network_block(value: Any) -> bool | None:
    """The seed sends `"True"`; accept booleans and their usual spellings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None

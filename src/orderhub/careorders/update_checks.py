"""Checks of an updateSubscriber's contents against the line and the feature catalog:
rate plan, feature items (sold with the plan, duplicates, conflicts), device, voicemail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from orderhub.careorders import rules
from orderhub.errors import FieldProblem

UPDATE_FIELDS = (
    "items",
    "udl",
    "ratePlan",
    "resetVoiceMail",
    "billingContact",
    "subscriberContact",
    "device",
)


def changes_nothing(change: dict[str, Any]) -> bool:
    """No update field, or only empty lists and objects (a voicemail reset still resets)."""
    if change.get("resetVoiceMail") is not None:
        return False
    return all(change.get(name) in (None, [], {}) for name in UPDATE_FIELDS)


def warning(field_name: str, rule: str, message: str) -> dict[str, str]:
    return {"field": field_name, "rule": rule, "message": message}


def plan_problems(at, change, line, plans, catalog, line_features) -> list[FieldProblem]:
    plan = change.get("ratePlan")
    if not plan or plan == line.rate_plan_id:
        return []
    if plan not in plans:
        return [FieldProblem(f"{at}.ratePlan", "unknown_rate_plan", f"No rate plan '{plan}'.")]
    removed = {
        i["id"]
        for i in change.get("items") or []
        if isinstance(i, dict) and i.get("action") == "remove"
    }
    kept = [f.sku for f in line_features.get(line.ctn, []) if f.sku not in removed]
    unsold = [sku for sku in kept if sku in catalog and not sold(catalog[sku], plan)]
    if unsold:
        return [
            FieldProblem(
                f"{at}.ratePlan",
                "feature_not_for_plan",
                f"{', '.join(unsold)} is not sold with '{plan}': remove it in this change.",
            )
        ]
    return []


def sold(feature: Row, plan: str) -> bool:
    return not feature.plans or plan in feature.plans


def item_problems(at, change, items, plan, catalog, current, recurring) -> list[FieldProblem]:
    problems = []
    on_line = {f.sku for f in current}
    removing = {i.get("id") for i in items if i.get("action") == "remove"}
    groups_on_line = {
        catalog[f.sku].conflict_group: f.sku
        for f in current
        if f.sku in catalog and catalog[f.sku].conflict_group and f.sku not in removing
    }
    added: dict[str, str] = {}  # conflict group (or SKU) -> SKU added by this change
    for position, item in enumerate(items):
        where = f"{at}.items.{position}.id"
        sku, action = item.get("id"), item.get("action")
        feature = catalog.get(sku)
        if feature is None:
            if isinstance(sku, str) and sku:
                problems.append(FieldProblem(where, "unknown_sku", f"No feature '{sku}'."))
            continue
        if action == "remove":
            if sku not in on_line:
                problems.append(
                    FieldProblem(
                        where, "feature_not_on_line", f"The line has no '{sku}' to remove."
                    )
                )
            continue
        if action != "add":
            continue
        if not sold(feature, plan):
            problems.append(
                FieldProblem(where, "sku_not_for_plan", f"'{sku}' is not sold with '{plan}'.")
            )
        key = feature.conflict_group or sku
        if key in added:
            problems.append(
                FieldProblem(
                    where,
                    "conflicting_items",
                    f"'{sku}' clashes with '{added[key]}' in this change.",
                )
            )
        added[key] = sku
        if sku in on_line and sku not in removing and not change.get("replaceDuplicateFeatures"):
            problems.append(
                FieldProblem(
                    where,
                    "duplicate_feature",
                    f"The line already has '{sku}': set replaceDuplicateFeatures to replace it.",
                )
            )
        other = groups_on_line.get(feature.conflict_group) if feature.conflict_group else None
        if other and other != sku and not change.get("replaceConflictingFeatures"):
            problems.append(
                FieldProblem(
                    where,
                    "conflicting_feature",
                    f"'{sku}' conflicts with '{other}' on the line: "
                    "set replaceConflictingFeatures to replace it.",
                )
            )
        if feature.recurring:
            recurring.append(sku)
    return problems


def item_warnings(
    at: str, items: list[dict[str, Any]], applies_at: datetime
) -> list[dict[str, str]]:
    """Dates an added feature cannot keep: it starts no earlier than its change applies,
    and an end on or before its start is dropped (as apply.py does)."""
    warnings = []
    for position, item in enumerate(items):
        if item.get("action") != "add":
            continue
        starts = rules.parse_moment(item.get("effectiveDate"))
        ends = rules.parse_moment(item.get("expirationDate"))
        where = f"{at}.items.{position}"
        if starts is not None and starts < applies_at:
            warnings.append(
                warning(
                    f"{where}.effectiveDate",
                    "date_past",
                    "The date is before the change applies: the feature starts then.",
                )
            )
        if ends is not None and ends <= max(starts or applies_at, applies_at):
            warnings.append(
                warning(
                    f"{where}.expirationDate",
                    "expiration_past",
                    "The date is not after the feature starts: "
                    "it is added without an expiration date.",
                )
            )
    return warnings


def device_problems(at, change, line, in_use, claimed) -> list[FieldProblem]:
    imei = (change.get("device") or {}).get("imei")
    if not imei:
        return []
    holder = in_use.get(imei) or claimed.get(imei)
    claimed.setdefault(imei, line.ctn)
    if holder and holder != line.ctn:
        return [
            FieldProblem(
                f"{at}.device.imei", "device_in_use", "The device is active on another line."
            )
        ]
    return []


def voicemail_problems(at, change, warnings) -> list[FieldProblem]:
    reset = change.get("resetVoiceMail")
    if reset is None:
        return []
    if reset.get("autogeneratedPin"):
        if reset.get("pin"):
            warnings.append(
                warning(
                    f"{at}.resetVoiceMail.pin",
                    "ignored_field",
                    "autogeneratedPin is true: a new PIN is generated and sent to the line.",
                )
            )
        return []
    if not reset.get("pin"):
        return [
            FieldProblem(
                f"{at}.resetVoiceMail.pin",
                "required",
                "Give a 4-10 digit pin, or set autogeneratedPin.",
            )
        ]
    return []


@dataclass(frozen=True)
class Planned:
    """A feature an earlier change request of the same order adds to the line."""

    sku: str
    expires_at: datetime | None = None


def features_after(current: list[Any], items: list[dict[str, Any]]) -> list[Any]:
    """The line's features once this change's items apply, for the order's later changes
    (a second add of one SKU to one line in one order is then a duplicate)."""
    removed = {i.get("id") for i in items if i.get("action") != "add"}
    kept = [f for f in current if f.sku not in removed]
    return kept + [Planned(i["id"]) for i in items if i.get("action") == "add" and i.get("id")]

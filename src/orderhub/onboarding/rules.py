"""Service requirements are data; these pure functions check what a client sets against them.

A service type's requirement sets come from its catalog file (configuration fields,
features, contact roles, identifiers). The same checks run on each SET call (the values
sent) and at submit (everything collected), so a provider can change a requirement file
and both follow without code changes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from orderhub import contacts
from orderhub.errors import FieldProblem

FIELD_TYPES = frozenset({"enum", "boolean", "integer", "date", "string"})


def configuration_problems(
    requirements: list[dict[str, Any]], values: dict[str, Any], *, at: str = "configuration"
) -> list[FieldProblem]:
    """One problem per unknown field, missing mandatory field, and value its rule refuses."""
    known = {r["field"]: r for r in requirements}
    problems = [
        FieldProblem(f"{at}.{name}", "unknown_field", f"'{name}' is not a field of this service.")
        for name in values
        if name not in known
    ]
    for name, rule in known.items():
        value = values.get(name)
        if value is None:
            if rule.get("mandatory"):
                problems.append(FieldProblem(f"{at}.{name}", "required", f"'{name}' is required."))
            continue
        if reason := _value_problem(rule, value):
            problems.append(FieldProblem(f"{at}.{name}", reason[0], reason[1]))
    return problems


def _value_problem(rule: dict[str, Any], value: Any) -> tuple[str, str] | None:
    kind = rule["type"]
    if kind == "enum":
        if value not in rule["allowed"]:
            return "allowed_values", f"Use one of: {', '.join(map(str, rule['allowed']))}."
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else ("type", "Must be true or false.")
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return "type", "Must be a whole number."
        if "minimum" in rule and value < rule["minimum"]:
            return "minimum", f"Must be at least {rule['minimum']}."
        if "maximum" in rule and value > rule["maximum"]:
            return "maximum", f"Must be at most {rule['maximum']}."
        return None
    if kind == "date":
        try:
            date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return "date_format", "Must be a date, YYYY-MM-DD."
        return None if isinstance(value, str) else ("date_format", "Must be a date, YYYY-MM-DD.")
    if kind == "string":
        if not isinstance(value, str):
            return "type", "Must be text."
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            return "max_length", f"At most {rule['maxLength']} characters."
        if "pattern" in rule and not re.fullmatch(rule["pattern"], value):
            return "pattern", f"Must match {rule['pattern']}."
        return None
    raise ValueError(f"requirement type {kind!r} is not known")  # a catalog error, not input


def feature_problems(
    features: list[dict[str, Any]], conflicts: list[list[str]], chosen: list[str]
) -> list[FieldProblem]:
    """Unknown or repeated features, mandatory ones left out, and pairs that conflict."""
    known = {f["id"] for f in features}
    problems = []
    seen: set[str] = set()
    for index, feature in enumerate(chosen):
        if feature not in known:
            problems.append(
                FieldProblem(f"features.{index}", "unknown_feature", f"No feature '{feature}'.")
            )
        elif feature in seen:
            problems.append(
                FieldProblem(f"features.{index}", "duplicate", f"'{feature}' is listed twice.")
            )
        seen.add(feature)
    for feature in features:
        if feature["mandatory"] and feature["id"] not in seen:
            problems.append(
                FieldProblem(
                    "features", "mandatory_feature", f"Feature '{feature['id']}' is mandatory."
                )
            )
    for a, b in conflicts:
        if a in seen and b in seen:
            problems.append(
                FieldProblem("features", "conflicting_features", f"'{a}' and '{b}' conflict.")
            )
    return problems


def contact_problems(
    roles: list[dict[str, Any]], contacts: list[dict[str, Any]]
) -> list[FieldProblem]:
    """Contacts by role: known roles, counts within each role's bounds, mandatory fields."""
    by_role = {r["role"]: r for r in roles}
    problems = []
    counts: dict[str, int] = {}
    for index, contact in enumerate(contacts):
        role = by_role.get(contact.get("role"))
        if role is None:
            problems.append(
                FieldProblem(
                    f"contacts.{index}.role",
                    "unknown_role",
                    f"Use one of: {', '.join(by_role) or 'no contacts for this service'}.",
                )
            )
            continue
        counts[role["role"]] = counts.get(role["role"], 0) + 1
        for name in contact:
            if name != "role" and name not in role["fields"]:
                problems.append(
                    FieldProblem(
                        f"contacts.{index}.{name}",
                        "unknown_field",
                        f"'{name}' is not a contact field.",
                    )
                )
        for name in role["mandatoryFields"]:
            if not contact.get(name):
                problems.append(
                    FieldProblem(f"contacts.{index}.{name}", "required", f"'{name}' is required.")
                )
        problems += _contact_format_problems(contact, at=f"contacts.{index}")
    for role in roles:
        n = counts.get(role["role"], 0)
        if not role["min"] <= n <= role["max"]:
            problems.append(
                FieldProblem(
                    "contacts",
                    "contact_count",
                    f"Role '{role['role']}' needs {role['min']} to {role['max']} contacts ({n}).",
                )
            )
    return problems


def _contact_format_problems(contact: dict[str, Any], *, at: str) -> list[FieldProblem]:
    """The contact rule (orderhub/contacts.py) on a contact's e-mail and phone. Values are
    kept as sent, so a phone may be typed in any of the rule's forms (punctuation, +1)."""
    problems = []
    email, phone = contact.get("email"), contact.get("phone")
    if email and not (isinstance(email, str) and contacts.is_email(email)):
        problems.append(contacts.email_problem(f"{at}.email"))
    if phone and not (isinstance(phone, str) and contacts.normalize_phone(phone)):
        problems.append(contacts.phone_problem(f"{at}.phone"))
    return problems


def identifier_problems(
    requirements: list[dict[str, Any]], identifiers: list[dict[str, Any]], realms: list[str]
) -> list[FieldProblem]:
    """Identifiers by name: known, mandatory ones present, values valid, realms available."""
    known = {r["name"]: r for r in requirements}
    given: dict[str, int] = {}
    problems = []
    for index, identifier in enumerate(identifiers):
        rule = known.get(identifier.get("name"))
        if rule is None:
            problems.append(
                FieldProblem(
                    f"identifiers.{index}.name",
                    "unknown_identifier",
                    "Not an identifier of this service.",
                )
            )
            continue
        if rule["name"] in given:
            problems.append(FieldProblem(f"identifiers.{index}.name", "duplicate", "Given twice."))
            continue
        given[rule["name"]] = index
        value = identifier.get("value")
        if not isinstance(value, str) or not value:
            problems.append(
                FieldProblem(f"identifiers.{index}.value", "required", "A value is required.")
            )
        elif rule["type"] == "email" and not contacts.is_email(value):
            problems.append(contacts.email_problem(f"identifiers.{index}.value"))
        elif "pattern" in rule and not re.fullmatch(rule["pattern"], value):
            problems.append(
                FieldProblem(
                    f"identifiers.{index}.value", "pattern", f"Must match {rule['pattern']}."
                )
            )
        realm = identifier.get("realm")
        if rule.get("realmRequired") and not realm:
            problems.append(
                FieldProblem(f"identifiers.{index}.realm", "required", "A realm is required.")
            )
        elif realm and realm not in realms:
            problems.append(
                FieldProblem(
                    f"identifiers.{index}.realm",
                    "unknown_realm",
                    f"Use a realm of the account: {', '.join(realms) or 'none available'}.",
                )
            )
    for name, rule in known.items():
        if rule["mandatory"] and name not in given:
            problems.append(
                FieldProblem("identifiers", "required", f"Identifier '{name}' is required.")
            )
    return problems


def delivery_problems(
    values: dict[str, Any], available: list[dict[str, Any]]
) -> list[FieldProblem]:
    """What the address SQ found at the location bounds the configuration: a technology
    it offers there, and one of that technology's speed tiers."""
    offered = {t["technology"]: t["speedTiers"] for t in available}
    technology, tier = values.get("technology"), values.get("speedTier")
    if technology is None:
        return []
    if technology not in offered:
        return [
            FieldProblem(
                "configuration.technology",
                "not_at_location",
                f"The qualified location offers {', '.join(offered) or 'nothing'}.",
            )
        ]
    if tier is not None and tier not in offered[technology]:
        return [
            FieldProblem(
                "configuration.speedTier",
                "not_at_location",
                f"{technology} there offers {', '.join(offered[technology])}.",
            )
        ]
    return []

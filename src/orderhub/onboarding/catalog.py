"""Loading the onboarding catalog from its files, and reading it (fresh on every call)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from orderhub.ids import utcnow
from orderhub.onboarding import rules
from orderhub.onboarding.models import Location, Package, ServiceType, TermsBlock

TYPES = ServiceType.__table__
PACKAGES = Package.__table__
TERMS = TermsBlock.__table__
LOCATIONS = Location.__table__
# The seed's names of the three checks. `phone`, this catalog's name before the seed's
# was adopted, is still accepted in catalog files and read as `GeneralPhone`.
CHECK_TYPES = ("simple", "GeneralPhone", "address")
CHECK_TYPE_ALIASES = {"phone": "GeneralPhone"}
REQUIREMENT_SETS = ("configuration", "features", "featureConflicts", "contacts", "identifiers")

_TYPE = select(TYPES).where(TYPES.c.id == bindparam("b_id"))
_PACKAGE = select(PACKAGES).where(PACKAGES.c.id == bindparam("b_id"))
_ALL_PACKAGES = select(PACKAGES).order_by(PACKAGES.c.id)
_ALL_TERMS = select(TERMS).order_by(TERMS.c.id)


def load(session: Session, directory: Path) -> tuple[int, int]:
    """Replace the catalog with the files in `directory`: `service_types/*.json`,
    `packages.json` (packages and terms) and `locations.json` (address SQ). Returns
    (service types, packages)."""
    types = [
        json.loads(p.read_text()) for p in sorted((directory / "service_types").glob("*.json"))
    ]
    bundle = json.loads((directory / "packages.json").read_text())
    _check(types, bundle)
    now = utcnow()
    # Whole-catalog replacement in one transaction: a reload never leaves half of it.
    locations = json.loads((directory / "locations.json").read_text())["locations"]
    for table in (TYPES, PACKAGES, TERMS, LOCATIONS):
        session.execute(delete(table))
    _insert(
        session,
        LOCATIONS,
        [
            {
                "id": loc["id"],
                "address": loc["address"],
                "search_key": " ".join(re.split(r"[^a-z0-9]+", loc["address"].lower())),
                "technologies": loc["technologies"],
                "reason": loc.get("reason"),
            }
            for loc in locations
        ],
    )
    _insert(
        session,
        TYPES,
        [
            {
                "id": t["id"],
                "name": t["name"],
                "check_type": check_type_name(t["checkType"]),
                "requirements": {key: t.get(key, []) for key in REQUIREMENT_SETS},
                "updated_at": now,
            }
            for t in types
        ],
    )
    _insert(
        session,
        PACKAGES,
        [
            {
                "id": p["id"],
                "name": p["name"],
                "service_types": p["serviceTypes"],
                "plans": p["plans"],
                "updated_at": now,
            }
            for p in bundle["packages"]
        ],
    )
    if bundle.get("terms"):
        session.execute(
            insert(TERMS),
            [
                {
                    "id": t["id"],
                    "title": t["title"],
                    "version": t["version"],
                    "applies_to": t["appliesTo"],
                    "text": t["text"],
                }
                for t in bundle["terms"]
            ],
        )
    return len(types), len(bundle["packages"])


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:  # an empty list would insert one row of defaults
        session.execute(insert(table), rows)


def _check(types: list[dict[str, Any]], bundle: dict[str, Any]) -> None:
    """Refuse a catalog the rules could not apply (before anything is replaced)."""
    ids = {t["id"] for t in types}
    for t in types:
        if check_type_name(t["checkType"]) not in CHECK_TYPES:
            raise ValueError(f"service type {t['id']}: unknown checkType {t['checkType']!r}")
        for field in t.get("configuration", []):
            if field["type"] not in rules.FIELD_TYPES:
                raise ValueError(
                    f"service type {t['id']}: {field['field']} has type {field['type']!r}"
                )
            if field["type"] == "enum" and not field.get("allowed"):
                raise ValueError(f"service type {t['id']}: enum {field['field']} has no values")
        _check_shapes(t)
        features = {f["id"] for f in t.get("features", [])}
        for pair in t.get("featureConflicts", []):
            if not set(pair) <= features:
                raise ValueError(f"service type {t['id']}: conflict {pair} names unknown features")
    for p in bundle["packages"]:
        if not set(p["serviceTypes"]) <= ids:
            raise ValueError(f"package {p['id']}: unknown service types in {p['serviceTypes']}")


# The keys each requirement entry must have for rules.py to apply it.
_REQUIRED_KEYS = {
    "configuration": {"field", "type", "mandatory"},
    "features": {"id", "mandatory"},
    "contacts": {"role", "min", "max", "fields", "mandatoryFields"},
    "identifiers": {"name", "type", "mandatory"},
}


def _check_shapes(t: dict[str, Any]) -> None:
    for kind, keys in _REQUIRED_KEYS.items():
        for entry in t.get(kind, []):
            if missing := keys - entry.keys():
                raise ValueError(f"service type {t['id']}: a {kind} entry lacks {sorted(missing)}")
            if "pattern" in entry:
                try:
                    re.compile(entry["pattern"])
                except re.error as exc:
                    raise ValueError(f"service type {t['id']}: bad pattern: {exc}") from exc


def check_type_name(raw: str) -> str:
    """The seed's name of a check type, for its name or an accepted alias."""
    return CHECK_TYPE_ALIASES.get(raw, raw)


def service_type(session: Session, type_id: str) -> Row | None:
    return session.execute(_TYPE, {"b_id": type_id}).first()


def package(session: Session, package_id: str) -> Row | None:
    return session.execute(_PACKAGE, {"b_id": package_id}).first()


def packages(session: Session) -> list[Row]:
    return list(session.execute(_ALL_PACKAGES))


def terms(session: Session) -> list[Row]:
    return list(session.execute(_ALL_TERMS))

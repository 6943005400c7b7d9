"""Postal address validation port and its sandbox, which applies real USPS-style rules:
a known state code, a 5-digit ZIP (or ZIP+4) whose first three digits fall in that
state's ranges, a street line that starts with a house number (or is a PO box), and
returns the address standardized (upper case, USPS suffix and unit abbreviations)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Protocol

# First three ZIP digits by state (USPS prefix ranges, inclusive).
ZIP3_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "AL": ((350, 369),),
    "AK": ((995, 999),),
    "AZ": ((850, 865),),
    "AR": ((716, 729),),
    "CA": ((900, 961),),
    "CO": ((800, 816),),
    "CT": ((60, 69),),
    "DE": ((197, 199),),
    "DC": ((200, 205), (569, 569)),
    "FL": ((320, 349),),
    "GA": ((300, 319), (398, 399)),
    "HI": ((967, 968),),
    "ID": ((832, 838),),
    "IL": ((600, 629),),
    "IN": ((460, 479),),
    "IA": ((500, 528),),
    "KS": ((660, 679),),
    "KY": ((400, 427),),
    "LA": ((700, 714),),
    "ME": ((39, 49),),
    "MD": ((206, 219),),
    "MA": ((10, 27), (55, 55)),
    "MI": ((480, 499),),
    "MN": ((550, 567),),
    "MS": ((386, 397),),
    "MO": ((630, 658),),
    "MT": ((590, 599),),
    "NE": ((680, 693),),
    "NV": ((889, 898),),
    "NH": ((30, 38),),
    "NJ": ((70, 89),),
    "NM": ((870, 884),),
    "NY": ((5, 5), (100, 149)),
    "NC": ((270, 289),),
    "ND": ((580, 588),),
    "OH": ((430, 459),),
    "OK": ((730, 749),),
    "OR": ((970, 979),),
    "PA": ((150, 196),),
    "RI": ((28, 29),),
    "SC": ((290, 299),),
    "SD": ((570, 577),),
    "TN": ((370, 385),),
    "TX": ((750, 799), (885, 885)),
    "UT": ((840, 847),),
    "VT": ((50, 54), (56, 59)),
    "VA": ((201, 201), (220, 246)),
    "WA": ((980, 994),),
    "WV": ((247, 268),),
    "WI": ((530, 549),),
    "WY": ((820, 831),),
}

ABBREVIATIONS = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "ROAD": "RD",
    "LANE": "LN",
    "COURT": "CT",
    "PLACE": "PL",
    "PARKWAY": "PKWY",
    "HIGHWAY": "HWY",
    "CIRCLE": "CIR",
    "TERRACE": "TER",
    "TRAIL": "TRL",
    "SQUARE": "SQ",
    "FREEWAY": "FWY",
    "SUITE": "STE",
    "APARTMENT": "APT",
    "BUILDING": "BLDG",
    "FLOOR": "FL",
    "UNIT": "UNIT",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
}

_ZIP = re.compile(r"^([0-9]{5})(?:-([0-9]{4}))?$")
_STREET = re.compile(r"^([0-9]+[A-Z]?|PO BOX [0-9]+)\b")
_CITY = re.compile(r"^[A-Z][A-Z .'-]*$")


@dataclass(frozen=True)
class PostalAddress:
    address_line1: str
    city: str
    state: str
    zip_code: str
    address_line2: str | None = None


@dataclass(frozen=True)
class AddressProblem:
    field: str
    rule: str
    message: str


@dataclass(frozen=True)
class AddressValidation:
    valid: bool
    standardized: PostalAddress | None
    problems: list[AddressProblem] = dataclasses.field(default_factory=list)


class PostalValidator(Protocol):
    def validate(self, address: PostalAddress) -> AddressValidation: ...


def _standardize_line(line: str) -> str:
    words = re.sub(r"[.,]", " ", line.upper()).split()
    line = " ".join(ABBREVIATIONS.get(w, w) for w in words)
    return re.sub(r"^P O BOX\b", "PO BOX", line)  # "P.O. Box" once the dots are gone


def zip_in_state(zip5: str, state: str) -> bool:
    prefix = int(zip5[:3])
    return any(low <= prefix <= high for low, high in ZIP3_RANGES.get(state, ()))


class SandboxPostalValidator:
    def validate(self, address: PostalAddress) -> AddressValidation:
        problems: list[AddressProblem] = []
        line1 = _standardize_line(address.address_line1)
        line2 = _standardize_line(address.address_line2) if address.address_line2 else None
        city = " ".join(address.city.upper().split())
        state = address.state.strip().upper()
        zip_code = address.zip_code.strip()

        if not _STREET.match(line1):
            problems.append(
                AddressProblem(
                    "addressLine1",
                    "house_number_required",
                    "The street line must start with a house number or be a PO box.",
                )
            )
        if not _CITY.match(city):
            problems.append(AddressProblem("city", "invalid_city", "The city name is not valid."))
        if state not in ZIP3_RANGES:
            problems.append(
                AddressProblem(
                    "state", "unknown_state", "The state must be a two-letter USPS state code."
                )
            )
        match = _ZIP.match(zip_code)
        if not match:
            problems.append(
                AddressProblem(
                    "zipCode", "zip_format", "The ZIP code must be 5 digits, or ZIP+4 (12345-6789)."
                )
            )
        elif state in ZIP3_RANGES and not zip_in_state(match.group(1), state):
            problems.append(
                AddressProblem(
                    "zipCode", "zip_not_in_state", f"ZIP code {match.group(1)} is not in {state}."
                )
            )

        if problems:
            return AddressValidation(valid=False, standardized=None, problems=problems)
        return AddressValidation(
            valid=True,
            standardized=PostalAddress(
                address_line1=line1,
                address_line2=line2,
                city=city,
                state=state,
                zip_code=zip_code,
            ),
        )

"""The sandbox postal validator: USPS-style rules and standardization."""

from __future__ import annotations

import pytest

from orderhub.adapters.postal import (
    AddressValidation,
    PostalAddress,
    SandboxPostalValidator,
    zip_in_state,
)


def address(**overrides: object) -> PostalAddress:
    values: dict[str, object] = {
        "address_line1": "123 Main St Suite 400",
        "city": "Dallas",
        "state": "TX",
        "zip_code": "75201",
    }
    values.update(overrides)
    return PostalAddress(**values)  # type: ignore[arg-type]


def validate(**overrides: object) -> AddressValidation:
    return SandboxPostalValidator().validate(address(**overrides))


def rules_of(result: AddressValidation) -> list[tuple[str, str]]:
    return [(p.field, p.rule) for p in result.problems]


def test_valid_dallas_address_is_standardized() -> None:
    result = validate()

    assert result.valid is True
    assert result.problems == []
    assert result.standardized == PostalAddress(
        address_line1="123 MAIN ST STE 400",
        city="DALLAS",
        state="TX",
        zip_code="75201",
        address_line2=None,
    )


def test_suffixes_units_directions_and_punctuation_are_abbreviated() -> None:
    result = validate(
        address_line1="  42  North Elm Avenue, ",
        address_line2="Apartment 7",
        city="  fort   worth ",
        state=" tx ",
        zip_code=" 76102 ",
    )

    assert result.standardized == PostalAddress(
        address_line1="42 N ELM AVE",
        address_line2="APT 7",
        city="FORT WORTH",
        state="TX",
        zip_code="76102",
    )


def test_zip_plus_four_is_accepted_and_kept() -> None:
    result = validate(zip_code="75201-1234")

    assert result.valid is True
    assert result.standardized is not None
    assert result.standardized.zip_code == "75201-1234"


@pytest.mark.parametrize("line1", ["PO Box 42", "po box 42", "12B Elm St"])
def test_po_box_and_lettered_house_numbers_are_accepted(line1: str) -> None:
    assert validate(address_line1=line1).valid is True


def test_dotted_po_box_is_accepted_as_po_box() -> None:
    result = validate(address_line1="P.O. Box 42")

    assert result.standardized is not None
    assert result.standardized.address_line1 == "PO BOX 42"


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        ({"address_line1": "Main St"}, [("addressLine1", "house_number_required")]),
        ({"address_line1": "Box 42"}, [("addressLine1", "house_number_required")]),
        ({"address_line1": ""}, [("addressLine1", "house_number_required")]),
        ({"city": "Dallas 1"}, [("city", "invalid_city")]),
        ({"city": ""}, [("city", "invalid_city")]),
        ({"state": "ZZ"}, [("state", "unknown_state")]),
        ({"state": "Texas"}, [("state", "unknown_state")]),
        ({"zip_code": "7520"}, [("zipCode", "zip_format")]),
        ({"zip_code": "752011"}, [("zipCode", "zip_format")]),
        ({"zip_code": "75201-12"}, [("zipCode", "zip_format")]),
        ({"zip_code": "75201 1234"}, [("zipCode", "zip_format")]),
        ({"zip_code": "ABCDE"}, [("zipCode", "zip_format")]),
        ({"zip_code": "10001"}, [("zipCode", "zip_not_in_state")]),
        ({"zip_code": "90210"}, [("zipCode", "zip_not_in_state")]),
    ],
    ids=[
        "no-house-number",
        "box-without-po",
        "empty-street",
        "digit-in-city",
        "empty-city",
        "unknown-state",
        "state-spelled-out",
        "zip-too-short",
        "zip-too-long",
        "zip4-too-short",
        "zip4-no-dash",
        "zip-letters",
        "ny-zip-in-tx",
        "ca-zip-in-tx",
    ],
)
def test_each_rule_is_reported_alone(
    overrides: dict[str, object], problems: list[tuple[str, str]]
) -> None:
    result = validate(**overrides)

    assert result.valid is False
    assert result.standardized is None
    assert rules_of(result) == problems


def test_zip_is_not_checked_against_an_unknown_state() -> None:
    result = validate(state="ZZ", zip_code="10001")

    assert rules_of(result) == [("state", "unknown_state")]


def test_all_problems_are_reported_together() -> None:
    result = validate(address_line1="Main St", city="1", state="ZZ", zip_code="x")

    assert rules_of(result) == [
        ("addressLine1", "house_number_required"),
        ("city", "invalid_city"),
        ("state", "unknown_state"),
        ("zipCode", "zip_format"),
    ]
    assert all(p.message for p in result.problems)


def test_zip_not_in_state_names_the_zip_and_state() -> None:
    result = validate(zip_code="10001")

    assert result.problems[0].message == "ZIP code 10001 is not in TX."


@pytest.mark.parametrize(
    ("zip5", "state", "inside"),
    [
        ("75201", "TX", True),
        ("88510", "TX", True),  # TX's second range (885)
        ("88410", "TX", False),
        ("06103", "CT", True),  # leading zero prefix 061
        ("00501", "NY", True),
        ("10001", "NY", True),
        ("20500", "DC", True),
        ("56901", "DC", True),
        ("10001", "TX", False),
        ("75201", "ZZ", False),
    ],
)
def test_zip_in_state_uses_inclusive_prefix_ranges(zip5: str, state: str, inside: bool) -> None:
    assert zip_in_state(zip5, state) is inside

"""POST /b2b/v1/addresses/validate: the postal rules as their own endpoint."""

from __future__ import annotations

import pytest

from tests.api.b2b_helpers import B2B, partner_headers
from tests.helpers import is_problem, sign_in

VALIDATE = f"{B2B}/addresses/validate"


def test_a_valid_address_comes_back_standardized(client):
    response = client.post(
        VALIDATE,
        json={
            "addressLine1": "400 West Las Colinas Boulevard",
            "addressLine2": "Suite 5",
            "city": "Irving",
            "state": "tx",
            "zipCode": "75039-1234",
        },
        headers=partner_headers(client),
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "valid": True,
        "standardizedAddress": {
            "addressLine1": "400 W LAS COLINAS BLVD",
            "addressLine2": "STE 5",
            "city": "IRVING",
            "state": "TX",
            "zipCode": "75039-1234",
        },
        "problems": [],
    }


def test_an_invalid_address_is_an_answer_listing_every_problem(client):
    response = client.post(
        VALIDATE,
        json={"addressLine1": "Main Street", "city": "Dallas", "state": "TX", "zipCode": "10001"},
        headers=partner_headers(client),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["valid"] is False and body["standardizedAddress"] is None
    assert {(p["field"], p["rule"]) for p in body["problems"]} == {
        ("addressLine1", "house_number_required"),
        ("zipCode", "zip_not_in_state"),
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"city": "Dallas", "state": "TX", "zipCode": "75201"}, "addressLine1"),
        (
            {"addressLine1": "1 Main St", "city": "Dallas", "state": "TEX", "zipCode": "75201"},
            "state",
        ),
        (
            {
                "addressLine1": "1 Main St",
                "city": "Dallas",
                "state": "TX",
                "zipCode": "75201",
                "country": "US",
            },
            "country",
        ),
    ],
    ids=["missing line", "state length", "unknown field"],
)
def test_a_malformed_address_is_a_422_naming_the_field(client, body, field):
    response = client.post(VALIDATE, json=body, headers=partner_headers(client))
    assert is_problem(response, 422, "validation_failed")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_address_validation_needs_a_partner_token(client):
    body = {"addressLine1": "1 Main St", "city": "Dallas", "state": "TX", "zipCode": "75201"}
    assert is_problem(client.post(VALIDATE, json=body), 401, "unauthorized")
    assert is_problem(
        client.post(VALIDATE, json=body, headers=sign_in(client)), 401, "invalid_token"
    )

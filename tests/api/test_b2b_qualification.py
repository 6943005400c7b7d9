"""Site qualification at quote validation (seed 002 "qualify, price, contract and order",
issue 13 item 7): the sandbox's test addresses (docs/sandbox.md) through the HTTP API."""

from __future__ import annotations

from tests.api.b2b_helpers import B2B, create_quote, partner_headers, site


def product(product_id: str, access_speed: str, **extra) -> dict:
    options = {"dia": ("1G", "standard"), "ethernet": ("1G", "standard")}
    port, install = options.get(product_id, (None, "remote"))
    return (
        {
            "productId": product_id,
            "accessSpeed": access_speed,
            "installationOption": install,
        }
        | ({"portSpeed": min(port, access_speed, key=_mbps)} if port else {})
        | extra
    )


def _mbps(speed: str) -> int:
    return int(speed[:-1]) * (1000 if speed.endswith("G") else 1)


def place(name: str, line1: str, city: str, zip_code: str, *products: dict) -> dict:
    test_site = site(line1, zip_code, name=name, products=list(products))
    test_site["address"]["city"] = city
    return test_site


def validate(client, headers, *sites: dict) -> dict:
    quote = create_quote(client, headers, sites=list(sites))
    response = client.post(f"{B2B}/quotes/{quote['id']}/validate", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_product_at_every_unservable_site_is_named_with_the_fastest_speed_that_fits(
    client,
):
    headers = partner_headers(client)

    answer = validate(
        client,
        headers,
        place("HQ", "1900 North Akard Street", "Dallas", "75201", product("dia", "10G")),
        place(
            "Depot",
            "200 Depot Street",
            "Van Horn",
            "79998",
            product("dia", "1G"),
            product("ethernet", "100M"),
            product("voice-sip", "50M"),
        ),
        place(
            "Ranch",
            "12 Lost Ranch Road",
            "Marfa",
            "79843",
            product("dia", "100M"),
            product("voice-sip", "50M"),
        ),
        place("Plant", "300 Fiber Loop", "Alpine", "79997", product("dia", "10G")),
        place("Outpost", "100 Main Street", "El Paso", "79999", product("voice-sip", "10M")),
        place("Annex", "9999 Elm Street", "Dallas", "75201", product("dia", "100M")),
    )

    assert answer["valid"] is False and answer["status"] == "draft"
    assert [
        (p["field"], p["rule"], p.get("maxAccessSpeed"), p.get("maxMbps"))
        for p in answer["problems"]
    ] == [
        ("sites.1.products.0.accessSpeed", "speed_not_available", "100M", 100),
        ("sites.1.products.1", "not_serviceable", None, None),
        ("sites.2.products.0.accessSpeed", "speed_not_available", None, 50),
        ("sites.3.products.0.accessSpeed", "speed_not_available", "1G", 1000),
        ("sites.4.products.0", "not_serviceable", None, None),
        ("sites.5.products.0", "not_serviceable", None, None),
    ]
    depot = answer["problems"][0]
    assert depot["code"] == depot["rule"]
    assert "Depot" in depot["message"] and "Dedicated Internet" in depot["message"]
    assert "only copper reaches ZIP 79998" in depot["message"]
    assert "ethernet needs fiber" in answer["problems"][1]["message"]


def test_choosing_a_speed_the_site_can_have_makes_the_quote_valid(client):
    headers = partner_headers(client)
    quote = create_quote(
        client,
        headers,
        sites=[place("Depot", "200 Depot Street", "Van Horn", "79998", product("dia", "1G"))],
    )
    url = f"{B2B}/quotes/{quote['id']}"
    refused = client.post(f"{url}/validate", headers=headers).json()

    fixed = client.patch(
        url,
        json={
            "sites": [
                place(
                    "Depot",
                    "200 Depot Street",
                    "Van Horn",
                    "79998",
                    product("dia", refused["problems"][0]["maxAccessSpeed"]),
                )
            ]
        },
        headers=headers,
    )
    answer = client.post(f"{url}/validate", headers=headers).json()

    assert fixed.status_code == 200, fixed.text
    assert answer == {"quoteId": quote["id"], "valid": True, "status": "validated", "problems": []}


def test_a_quote_is_saved_whatever_qualification_will_say_and_the_walkthrough_sites_serve(
    client,
):
    """Qualification runs at validation only: drafting a design for a site the network
    does not reach yet is allowed; the sandbox flow's own addresses are all servable."""
    headers = partner_headers(client)

    draft = create_quote(
        client,
        headers,
        sites=[
            place("Outpost", "100 Main Street", "El Paso", "79999", product("voice-sip", "10M"))
        ],
    )
    walkthrough = create_quote(client, headers)  # 1900 N Akard St and 5800 Legacy Dr
    answer = client.post(f"{B2B}/quotes/{walkthrough['id']}/validate", headers=headers).json()

    assert draft["status"] == "draft"
    assert answer["valid"] is True and answer["problems"] == []


def test_qualification_is_skipped_for_an_address_that_failed_the_postal_check(client):
    headers = partner_headers(client)
    bad = place("Outpost", "Main Street", "El Paso", "79999", product("voice-sip", "10M"))

    answer = validate(client, headers, bad)

    assert [(p["field"], p["rule"]) for p in answer["problems"]] == [
        ("sites.0.address", "address_not_validated")
    ]

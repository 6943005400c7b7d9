"""Opportunities (seed 002, issue 13 item 6): opened for a customer, quotes under them as
alternatives, won by the order of one of its quotes, closed as lost by the partner."""

from __future__ import annotations

from tests.api.b2b_helpers import (
    ALLIANCE_CUSTOMER,
    ALLIANCE_ONLY_CUSTOMER,
    B2B,
    DEPOSIT_CUSTOMER,
    SANDBOX_CLIENT_B,
    contract_body,
    create_quote,
    partner_headers,
    quote_body,
    signed_quote,
)
from tests.helpers import is_problem

OPPORTUNITIES = f"{B2B}/opportunities"


def open_opportunity(http, headers, customer_id: str = ALLIANCE_CUSTOMER, **extra) -> dict:
    response = http.post(
        OPPORTUNITIES,
        json={"customerId": customer_id, "name": "WAN refresh"} | extra,
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_an_opportunity_is_opened_for_a_customer_and_read_back(client):
    headers = partner_headers(client)

    opened = open_opportunity(client, headers, description="Three sites, fiber first.")
    read = client.get(f"{OPPORTUNITIES}/{opened['id']}", headers=headers)

    assert opened["id"].startswith("opp_")
    assert opened["status"] == "open" and opened["customerId"] == ALLIANCE_CUSTOMER
    assert opened["name"] == "WAN refresh"
    assert opened["description"] == "Three sites, fiber first."
    assert opened["quotes"] == [] and opened["closedAt"] is None
    assert opened["lostReason"] is opened["wonQuoteId"] is opened["wonOrderId"] is None
    assert read.status_code == 200 and read.json() == opened


def test_name_and_description_are_optional_and_a_repeated_key_replays_the_first_answer(client):
    headers = partner_headers(client) | {"Idempotency-Key": "opp-key-1"}
    body = {"customerId": ALLIANCE_CUSTOMER}

    first = client.post(OPPORTUNITIES, json=body, headers=headers)
    again = client.post(OPPORTUNITIES, json=body, headers=headers)
    other = client.post(OPPORTUNITIES, json=body | {"name": "x"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json()["name"] is None and first.json()["description"] is None
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert is_problem(other, 422)  # the key was used for another request
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_quotes_under_one_opportunity_are_its_alternatives(client):
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    url = f"{OPPORTUNITIES}/{opportunity['id']}"

    # With opportunityId the customer comes from the opportunity (customerId optional).
    first = create_quote(client, headers, opportunityId=opportunity["id"], name="Fiber")
    body = quote_body(opportunityId=opportunity["id"], name="Copper")
    del body["customerId"]
    second = client.post(f"{B2B}/quotes", json=body, headers=headers)
    assert second.status_code == 201, second.text
    second = second.json()
    client.post(f"{B2B}/quotes/{first['id']}/validate", headers=headers)
    create_quote(client, headers)  # another opportunity's quote

    detail = client.get(url, headers=headers).json()
    page = client.get(f"{url}/quotes", params={"limit": 1}, headers=headers).json()
    rest = client.get(f"{url}/quotes", params={"offset": 1}, headers=headers).json()
    validated = client.get(f"{url}/quotes", params={"status": "validated"}, headers=headers)
    filtered = client.get(
        f"{B2B}/quotes", params={"opportunityId": opportunity["id"]}, headers=headers
    ).json()

    assert first["opportunityId"] == second["opportunityId"] == opportunity["id"]
    assert second["customerId"] == ALLIANCE_CUSTOMER
    assert detail["quotes"] == [
        {"id": first["id"], "status": "validated", "name": "Fiber"},
        {"id": second["id"], "status": "draft", "name": "Copper"},
    ]
    assert detail["status"] == "open"
    assert [q["id"] for q in page["quotes"]] == [second["id"]]  # newest first
    assert (page["limit"], page["offset"]) == (1, 0)
    assert [q["id"] for q in rest["quotes"]] == [first["id"]]
    assert [q["id"] for q in validated.json()["quotes"]] == [first["id"]]
    assert {q["id"] for q in filtered["quotes"]} == {first["id"], second["id"]}


def test_a_quote_without_an_opportunity_still_opens_one_for_itself(client):
    """Clients written before opportunities send only customerId, as they always did."""
    headers = partner_headers(client)

    quote = create_quote(client, headers, name="Legacy client")
    opportunity = client.get(f"{OPPORTUNITIES}/{quote['opportunityId']}", headers=headers)

    assert opportunity.status_code == 200
    assert opportunity.json()["status"] == "open"
    assert opportunity.json()["name"] == "Legacy client"
    assert opportunity.json()["customerId"] == quote["customerId"]
    assert opportunity.json()["quotes"] == [
        {"id": quote["id"], "status": "draft", "name": "Legacy client"}
    ]


def test_opportunities_are_listed_newest_first_with_filters_and_paging(client):
    headers = partner_headers(client)
    older = open_opportunity(client, headers)
    other_customer = open_opportunity(client, headers, customer_id=DEPOSIT_CUSTOMER)
    newest = open_opportunity(client, headers)
    client.post(
        f"{OPPORTUNITIES}/{older['id']}/close",
        json={"outcome": "lost", "reason": "Went with a competitor."},
        headers=headers,
    )

    def ids(**params) -> list[str]:
        response = client.get(OPPORTUNITIES, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [x["id"] for x in response.json()["opportunities"]]

    mine = {older["id"], other_customer["id"], newest["id"]}
    assert [i for i in ids(limit=100) if i in mine] == [
        newest["id"],
        other_customer["id"],
        older["id"],
    ]
    assert other_customer["id"] in ids(customerId=DEPOSIT_CUSTOMER)
    assert older["id"] not in ids(customerId=DEPOSIT_CUSTOMER)
    assert older["id"] in ids(status="lost") and newest["id"] not in ids(status="lost")
    assert older["id"] not in ids(status="open", customerId=ALLIANCE_CUSTOMER, limit=100)
    assert len(ids(limit=1)) == 1
    listed = client.get(OPPORTUNITIES, params={"limit": 1}, headers=headers).json()
    assert "quotes" not in listed["opportunities"][0]
    assert is_problem(client.get(OPPORTUNITIES, params={"status": "x"}, headers=headers), 422)
    assert is_problem(client.get(OPPORTUNITIES, params={"limit": 0}, headers=headers), 422)


def test_a_lost_opportunity_takes_no_more_quotes_and_cannot_close_again(client):
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    url = f"{OPPORTUNITIES}/{opportunity['id']}"

    lost = client.post(
        f"{url}/close", json={"outcome": "lost", "reason": "Budget cut."}, headers=headers
    )
    quote = client.post(
        f"{B2B}/quotes", json=quote_body(opportunityId=opportunity["id"]), headers=headers
    )
    again = client.post(
        f"{url}/close", json={"outcome": "lost", "reason": "Again."}, headers=headers
    )

    assert lost.status_code == 200, lost.text
    assert lost.json()["status"] == "lost" and lost.json()["lostReason"] == "Budget cut."
    assert lost.json()["closedAt"] is not None
    assert is_problem(quote, 409, "opportunity_closed"), quote.text
    assert quote.json()["opportunityStatus"] == "lost"
    assert is_problem(again, 409, "invalid_transition")
    assert again.json()["currentStatus"] == "lost"


def test_closing_takes_only_the_lost_outcome_with_a_reason(client):
    headers = partner_headers(client)
    url = f"{OPPORTUNITIES}/{open_opportunity(client, headers)['id']}/close"

    won = client.post(url, json={"outcome": "won", "reason": "x"}, headers=headers)
    no_reason = client.post(url, json={"outcome": "lost"}, headers=headers)
    empty = client.post(url, json={"outcome": "lost", "reason": ""}, headers=headers)

    for response in (won, no_reason, empty):
        assert is_problem(response, 422, "validation_failed"), response.text


def test_an_order_from_one_of_its_quotes_wins_the_opportunity(client):
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    url = f"{OPPORTUNITIES}/{opportunity['id']}"
    contract = signed_quote(client, headers, opportunityId=opportunity["id"])
    alternative = signed_quote(client, headers, opportunityId=opportunity["id"])

    order = client.post(f"{B2B}/orders", json={"quoteId": contract["quoteId"]}, headers=headers)
    won = client.get(url, headers=headers).json()
    second = client.post(f"{B2B}/orders", json={"quoteId": alternative["quoteId"]}, headers=headers)
    close = client.post(f"{url}/close", json={"outcome": "lost", "reason": "x"}, headers=headers)
    quote = client.post(
        f"{B2B}/quotes", json=quote_body(opportunityId=opportunity["id"]), headers=headers
    )

    assert order.status_code == 201, order.text
    assert won["status"] == "won" and won["closedAt"] is not None
    assert (won["wonQuoteId"], won["wonOrderId"]) == (contract["quoteId"], order.json()["id"])
    assert is_problem(second, 409, "invalid_transition")
    assert order.json()["id"] in second.json()["detail"]
    assert is_problem(close, 409, "invalid_transition")
    assert close.json()["currentStatus"] == "won"
    assert is_problem(quote, 409, "opportunity_closed"), quote.text


def test_a_quote_of_a_lost_opportunity_cannot_be_ordered(client):
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    contract = signed_quote(client, headers, opportunityId=opportunity["id"])
    client.post(
        f"{OPPORTUNITIES}/{opportunity['id']}/close",
        json={"outcome": "lost", "reason": "Lost on price."},
        headers=headers,
    )

    order = client.post(f"{B2B}/orders", json={"quoteId": contract["quoteId"]}, headers=headers)
    orders = client.get(f"{B2B}/orders", headers=headers).json()["orders"]

    assert is_problem(order, 409, "invalid_transition")
    assert order.json()["currentStatus"] == "lost"
    assert contract["quoteId"] not in {o["quoteId"] for o in orders}  # rolled back


def test_another_partners_opportunity_is_not_found(client):
    opportunity = open_opportunity(client, partner_headers(client))
    other = partner_headers(client, SANDBOX_CLIENT_B)
    url = f"{OPPORTUNITIES}/{opportunity['id']}"

    answers = [
        client.get(url, headers=other),
        client.get(f"{url}/quotes", headers=other),
        client.post(f"{url}/close", json={"outcome": "lost", "reason": "x"}, headers=other),
        client.post(
            f"{B2B}/quotes", json=quote_body(opportunityId=opportunity["id"]), headers=other
        ),
    ]

    for answer in answers:
        assert is_problem(answer, 404, "opportunity_not_found"), answer.text
    assert opportunity["id"] not in {
        x["id"] for x in client.get(OPPORTUNITIES, headers=other).json()["opportunities"]
    }


def test_opening_checks_the_customer_as_quoting_does(client):
    headers = partner_headers(client)

    alliance_only = client.post(
        OPPORTUNITIES, json={"customerId": ALLIANCE_ONLY_CUSTOMER}, headers=headers
    )
    unknown = client.post(OPPORTUNITIES, json={"customerId": "bcu_nobody"}, headers=headers)
    missing = client.post(OPPORTUNITIES, json={"name": "x"}, headers=headers)
    extra = client.post(
        OPPORTUNITIES, json={"customerId": ALLIANCE_CUSTOMER, "status": "won"}, headers=headers
    )
    anonymous = client.post(OPPORTUNITIES, json={"customerId": ALLIANCE_CUSTOMER})

    assert is_problem(alliance_only, 409, "customer_not_quotable")
    assert is_problem(unknown, 404, "customer_not_found")
    assert is_problem(missing, 422, "validation_failed")
    assert is_problem(extra, 422, "validation_failed")
    assert is_problem(anonymous, 401)


def test_a_quote_names_its_customer_or_its_opportunity_and_they_must_agree(client):
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    neither = quote_body()
    del neither["customerId"]

    mismatch = client.post(
        f"{B2B}/quotes",
        json=quote_body(opportunityId=opportunity["id"], customerId=DEPOSIT_CUSTOMER),
        headers=headers,
    )
    missing = client.post(f"{B2B}/quotes", json=neither, headers=headers)
    unknown = client.post(
        f"{B2B}/quotes", json=quote_body(opportunityId="opp_nope"), headers=headers
    )

    assert is_problem(mismatch, 422, "validation_failed")
    assert mismatch.json()["errors"][0]["field"] == "customerId"
    assert mismatch.json()["errors"][0]["rule"] == "customer_mismatch"
    assert is_problem(missing, 422, "validation_failed")
    assert missing.json()["errors"][0]["field"] == "customerId"
    assert is_problem(unknown, 404, "opportunity_not_found")
    assert (
        client.get(f"{OPPORTUNITIES}/{opportunity['id']}", headers=headers).json()["quotes"] == []
    )


def test_a_contract_is_still_one_per_quote_under_a_shared_opportunity(client):
    """Two alternatives each get their own contract: the opportunity does not merge them."""
    headers = partner_headers(client)
    opportunity = open_opportunity(client, headers)
    first = signed_quote(client, headers, opportunityId=opportunity["id"])
    second = create_quote(client, headers, opportunityId=opportunity["id"])
    url = f"{B2B}/quotes/{second['id']}"
    assert client.post(f"{url}/validate", headers=headers).json()["valid"]
    assert client.post(f"{url}/credit-check", headers=headers).status_code == 200

    contract = client.post(f"{url}/contract", json=contract_body(), headers=headers)

    assert contract.status_code == 201, contract.text
    assert contract.json()["quoteId"] == second["id"] != first["quoteId"]

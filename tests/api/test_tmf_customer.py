"""TMF629 Customer: consumer customers, business customers and onboarding accounts, per
caller; operations create, change and delete; every change is a `customer.*` event."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from orderhub.customers import directory, management
from orderhub.webhooks.models import OutboxEvent
from tests.api.b2b_helpers import SANDBOX_CLIENT_B, partner_headers
from tests.api.test_onboarding import new_account
from tests.api.test_tmf_inventory import union_plans
from tests.api.tmf_helpers import CUSTOMERS, OPERATOR, tmf_error
from tests.helpers import create_order, random_phone, sign_in

CUSTOMER = f"{CUSTOMERS}/customer"
ALEX = "cus_alex_bell"
ALLIED = "bcu_bluebonnet_bank"  # prt_sandbox's alliance
PARTNER_B_ONLY = "bcu_gulf_coast_shipping"
SECRETS = ("ssn", "dateOfBirth", "password", "username", "bureau", "dob")


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()]


def events(database, subject: str) -> list[tuple[str, str, dict]]:
    with database.transaction() as session:
        rows = session.execute(
            select(OutboxEvent.type, OutboxEvent.owner, OutboxEvent.data)
            .where(OutboxEvent.subject == subject, OutboxEvent.type.like("customer.%"))
            .order_by(OutboxEvent.seq)
        ).all()
    return [tuple(r) for r in rows]


def individual(**overrides) -> dict:
    return {
        "name": "Robin Quinn",
        "engagedParty": {"@referredType": "Individual", "id": "new"},
        "contactMedium": [
            {"mediumType": "email", "characteristic": {"emailAddress": "Robin.Quinn@Example.com"}},
            {"mediumType": "phone", "characteristic": {"phoneNumber": random_phone()}},
            {
                "mediumType": "postalAddress",
                "characteristic": {
                    "street1": "5800 Legacy Dr",
                    "city": "Plano",
                    "stateOrProvince": "TX",
                    "postCode": "75024",
                },
            },
        ],
    } | overrides


def organization(**overrides) -> dict:
    return {
        "name": "Trinity River Supply, LLC",
        "engagedParty": {"@referredType": "Organization", "id": "new"},
        "characteristic": [{"name": "taxId", "value": "75-9990001"}],
        "contactMedium": [
            {"mediumType": "phone", "characteristic": {"phoneNumber": "(214) 555-0199"}},
            {
                "mediumType": "postalAddress",
                "characteristic": {
                    "street1": "1900 North Akard Street",
                    "city": "Dallas",
                    "stateOrProvince": "TX",
                    "postCode": "75201",
                },
            },
        ],
    } | overrides


def test_operations_list_every_kind_with_paging_and_fields(client):
    listed = client.get(CUSTOMER, headers=OPERATOR, params={"limit": 100})
    every = ids(listed)
    assert {ALEX, ALLIED, PARTNER_B_ONLY} <= set(every)
    assert listed.headers["X-Total-Count"] == str(len(every))
    page = client.get(CUSTOMER, headers=OPERATOR, params={"limit": 2, "offset": 1})
    assert ids(page) == every[1:3] and page.headers["X-Result-Count"] == "2"
    slim = client.get(CUSTOMER, headers=OPERATOR, params={"fields": "name"}).json()[0]
    assert set(slim) == {"id", "href", "@type", "name", "engagedParty"}


def test_a_consumer_customer_as_operations_see_it(client):
    alex = client.get(f"{CUSTOMER}/{ALEX}", headers=OPERATOR)
    assert alex.status_code == 200, alex.text
    body = alex.json()
    assert body["href"].endswith(f"{CUSTOMER}/{ALEX}")
    assert body["name"] == "Alex Bell" and body["status"] == "active"
    assert body["engagedParty"] == {
        "id": ALEX,
        "name": "Alex Bell",
        "@referredType": "Individual",
    }
    media = {m["mediumType"]: m["characteristic"] for m in body["contactMedium"]}
    assert media["email"]["emailAddress"] == "alex.bell@example.com"
    assert media["phone"]["phoneNumber"] == "2145550100"
    assert media["postalAddress"]["postCode"] == "75201"
    assert body["account"][0]["id"] == "900000000101"
    for profile in body.get("creditProfile", []):
        assert set(profile) == {"@type", "creditProfileDate", "creditScore", "decision", "validFor"}
    assert not any(secret in alex.text for secret in SECRETS)


def test_a_consumer_sees_only_their_own_record(client):
    alex = sign_in(client)
    assert ids(client.get(CUSTOMER, headers=alex)) == [ALEX]
    assert client.get(f"{CUSTOMER}/{ALEX}", headers=alex).status_code == 200
    for other in ("cus_jordan_lee", ALLIED, "nope"):
        tmf_error(client.get(f"{CUSTOMER}/{other}", headers=alex), 404, "customer_not_found")
    tmf_error(client.patch(f"{CUSTOMER}/cus_jordan_lee", json={}, headers=alex), 404)
    tmf_error(client.delete(f"{CUSTOMER}/cus_jordan_lee", headers=alex), 404)


def test_a_partner_sees_its_allied_customers_and_its_onboarding_accounts(client):
    partner = partner_headers(client)
    account = new_account(client, partner)
    seen = ids(client.get(CUSTOMER, headers=partner, params={"limit": 100}))
    assert ALLIED in seen and account["id"] in seen
    assert PARTNER_B_ONLY not in seen and ALEX not in seen
    tmf_error(client.get(f"{CUSTOMER}/{PARTNER_B_ONLY}", headers=partner), 404)
    tmf_error(client.get(f"{CUSTOMER}/{ALEX}", headers=partner), 404)
    allied = client.get(f"{CUSTOMER}/{ALLIED}", headers=partner).json()
    assert allied["engagedParty"]["@referredType"] == "Organization"
    characteristics = {c["name"]: c["value"] for c in allied["characteristic"]}
    assert characteristics["allianceStatus"] == "alliance" and "taxId" not in characteristics
    onboarding = client.get(f"{CUSTOMER}/{account['id']}", headers=partner)
    assert onboarding.json()["engagedParty"]["@referredType"] == "Individual"
    assert not any(secret in onboarding.text for secret in SECRETS)
    assert "casey.jones" not in onboarding.text  # the portal username
    other = partner_headers(client, SANDBOX_CLIENT_B)
    seen_by_b = ids(client.get(CUSTOMER, headers=other, params={"limit": 100}))
    assert PARTNER_B_ONLY in seen_by_b and ALLIED not in seen_by_b
    tmf_error(client.get(f"{CUSTOMER}/{account['id']}", headers=other), 404)
    # Partners change nothing here; onboarding accounts are the onboarding API's.
    tmf_error(client.patch(f"{CUSTOMER}/{ALLIED}", json={}, headers=partner), 403)
    tmf_error(client.delete(f"{CUSTOMER}/{account['id']}", headers=partner), 403)
    tmf_error(client.post(CUSTOMER, json=organization(), headers=partner), 403, "operator_only")


def test_operations_create_an_individual_who_can_then_sign_in(client, database):
    body = individual()
    phone = body["contactMedium"][1]["characteristic"]["phoneNumber"]
    created = client.post(CUSTOMER, json=body, headers=OPERATOR)
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["id"].startswith("cus_")
    assert created.headers["location"] == customer["href"]
    assert customer["engagedParty"]["@referredType"] == "Individual"
    media = {m["mediumType"]: m["characteristic"] for m in customer["contactMedium"]}
    assert media["email"]["emailAddress"] == "robin.quinn@example.com"
    assert media["postalAddress"]["street1"] == "5800 LEGACY DR"
    assert len(customer["account"]) == 1
    assert events(database, customer["id"]) == [
        ("customer.created", "operations", {"name": "Robin Quinn", "status": "active"})
    ]
    robin = sign_in(client, phone)
    assert ids(client.get(CUSTOMER, headers=robin)) == [customer["id"]]
    # Sign-in identifiers are one customer's.
    tmf_error(client.post(CUSTOMER, json=individual(), headers=OPERATOR), 409, "contact_taken")


def test_create_refuses_what_it_cannot_take(client):
    bad_contacts = individual(
        contactMedium=[
            {"mediumType": "email", "characteristic": {"emailAddress": "not-an-email"}},
            {"mediumType": "phone", "characteristic": {"phoneNumber": "12"}},
        ]
    )
    refused = tmf_error(client.post(CUSTOMER, json=bad_contacts, headers=OPERATOR), 400)
    assert [e["field"] for e in refused["errors"]] == [
        "contactMedium[0].characteristic.emailAddress",
        "contactMedium[1].characteristic.phoneNumber",
    ]
    assert "not-an-email" not in str(refused)
    for body, field in (
        (individual(name="Cher"), "name"),
        (
            individual(engagedParty={"@referredType": "Robot", "id": "x"}),
            "engagedParty.@referredType",
        ),
        (individual(creditProfile=[{"creditScore": 800}]), "creditProfile"),
        (individual(favouriteColour="blue"), "favouriteColour"),
        (organization(characteristic=[]), "characteristic"),
    ):
        refused = tmf_error(client.post(CUSTOMER, json=body, headers=OPERATOR), 400)
        assert refused["errors"][0]["field"] == field, refused
    tmf_error(client.post(CUSTOMER, json=individual(), headers=sign_in(client)), 403)


def test_values_longer_than_their_columns_are_refused(client):
    def with_address(**characteristic) -> list[dict]:
        address = organization()["contactMedium"][1]["characteristic"] | characteristic
        return [{"mediumType": "postalAddress", "characteristic": address}]

    for too_long in (
        {"city": "D" * 101},
        {"street1": "1 " + "A" * 199},
        {"street2": "B" * 201},
        {"stateOrProvince": "TXX"},
        {"postCode": "75201-12345"},
    ):
        for body in (
            organization(contactMedium=with_address(**too_long)),
            individual(contactMedium=with_address(**too_long)),
        ):
            tmf_error(client.post(CUSTOMER, json=body, headers=OPERATOR), 400)
        tmf_error(
            client.patch(
                f"{CUSTOMER}/{ALLIED}",
                json={"contactMedium": with_address(**too_long)},
                headers=OPERATOR,
            ),
            400,
        )
    ampersands = "&" * 60  # its lookup key, "and and ...", is longer than its column
    tmf_error(client.post(CUSTOMER, json=organization(name=ampersands), headers=OPERATOR), 400)
    tmf_error(
        client.patch(f"{CUSTOMER}/{ALLIED}", json={"name": ampersands}, headers=OPERATOR), 400
    )
    tmf_error(
        client.post(CUSTOMER, json=individual(name="A" * 101 + " Bell"), headers=OPERATOR), 400
    )
    longest = organization(
        contactMedium=with_address(city="D" * 100, street1="1 " + "A" * 198), name="N" * 200
    )
    assert client.post(CUSTOMER, json=longest, headers=OPERATOR).status_code == 201  # they fit


def test_contact_attributes_not_kept_are_refused_by_name(client):
    email = {"mediumType": "email", "characteristic": {"emailAddress": "pat@example.com"}}

    def refused(body: dict) -> list[tuple[str, str]]:
        errors = tmf_error(client.post(CUSTOMER, json=body, headers=OPERATOR), 400)["errors"]
        return [(e["field"], e["rule"]) for e in errors]

    def with_email(**more) -> dict:
        medium = email | more
        medium["characteristic"] = email["characteristic"] | more.pop("characteristic", {})
        return individual(contactMedium=[medium])

    assert refused(with_email(characteristic={"faxNumber": "2145550111", "city": "Plano"})) == [
        ("contactMedium[0].characteristic.city", "not_supported"),
        ("contactMedium[0].characteristic.faxNumber", "not_supported"),
    ]
    assert refused(with_email(validFor={"startDateTime": "2026-01-01T00:00:00Z"})) == [
        ("contactMedium[0].validFor", "not_supported")
    ]
    assert refused(with_email(preferred=False)) == [("contactMedium[0].preferred", "not_supported")]
    phone = {"mediumType": "phone", "characteristic": {"phoneNumber": random_phone()}}
    phone["characteristic"]["emailAddress"] = "pat@example.com"
    assert refused(individual(contactMedium=[phone])) == [
        ("contactMedium[0].characteristic.emailAddress", "not_supported")
    ]
    assert refused(individual(engagedParty={"@referredType": "Individual", "role": "Owner"})) == [
        ("engagedParty.role", "not_supported")
    ]
    taxed = organization(characteristic=[{"name": "taxId", "value": "75-9990002"}])
    taxed["characteristic"][0]["characteristicRelationship"] = [{"id": "x"}]
    assert refused(taxed) == [("characteristic[0].characteristicRelationship", "not_supported")]
    # Accepted and ignored: a medium's contactType and preferred true, the engaged party's
    # name and href (a reference is its id).
    kept = with_email(preferred=True, characteristic={"contactType": "home"})
    kept["engagedParty"] |= {"name": "Someone Else", "href": "http://x/y"}
    made = client.post(CUSTOMER, json=kept, headers=OPERATOR)
    assert made.status_code == 201, made.text
    assert made.json()["engagedParty"]["name"] == "Robin Quinn"


def test_operations_create_an_organization(client, database):
    created = client.post(CUSTOMER, json=organization(), headers=OPERATOR)
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["id"].startswith("bcu_")
    assert customer["engagedParty"]["@referredType"] == "Organization"
    characteristics = {c["name"]: c["value"] for c in customer["characteristic"]}
    assert characteristics["taxId"] == "759990001"
    assert events(database, customer["id"])[0][0] == "customer.created"
    # Without an alliance row it does not exist for a partner.
    tmf_error(client.get(f"{CUSTOMER}/{customer['id']}", headers=partner_headers(client)), 404)
    tmf_error(client.post(CUSTOMER, json=organization(), headers=OPERATOR), 409, "tax_id_taken")
    unknown_place = organization(
        characteristic=[{"name": "taxId", "value": "759990002"}],
        contactMedium=[
            {
                "mediumType": "postalAddress",
                "characteristic": {
                    "street1": "Nowhere",
                    "city": "Dallas",
                    "stateOrProvince": "TX",
                    "postCode": "99999",
                },
            }
        ],
    )
    tmf_error(client.post(CUSTOMER, json=unknown_place, headers=OPERATOR), 400)


def test_a_consumer_changes_their_postal_address_and_operations_the_rest(client, database):
    alex = sign_in(client)
    changed = client.patch(
        f"{CUSTOMER}/{ALEX}",
        json={
            "engagedParty": {"id": ALEX, "@referredType": "Individual"},
            "contactMedium": [
                {
                    "mediumType": "postalAddress",
                    "characteristic": {
                        "street1": "1900 North Akard Street",
                        "city": "Dallas",
                        "stateOrProvince": "TX",
                        "postCode": "75201",
                    },
                }
            ],
        },
        headers=alex,
    )
    assert changed.status_code == 200, changed.text
    media = {m["mediumType"]: m["characteristic"] for m in changed.json()["contactMedium"]}
    assert media["postalAddress"]["city"] == "DALLAS"  # standardized
    assert media["phone"]["phoneNumber"] == "2145550100"  # a medium not sent is kept
    assert events(database, ALEX) == [
        ("customer.changed", f"customer:{ALEX}", {"name": "Alex Bell", "status": "active"})
    ]
    tmf_error(
        client.patch(f"{CUSTOMER}/{ALEX}", json={"name": "Al Bell"}, headers=alex),
        403,
        "operator_only",
    )
    tmf_error(
        client.patch(
            f"{CUSTOMER}/{ALEX}",
            json={
                "contactMedium": [{"mediumType": "phone", "characteristic": {"phoneNumber": "1"}}]
            },
            headers=alex,
        ),
        400,
    )
    tmf_error(
        client.patch(
            f"{CUSTOMER}/{ALEX}",
            json={"engagedParty": {"id": ALLIED, "@referredType": "Organization"}},
            headers=alex,
        ),
        400,
    )
    suspended = client.patch(
        f"{CUSTOMER}/{ALEX}", json={"status": "suspended", "name": "Alexis Bell"}, headers=OPERATOR
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended" and suspended.json()["name"] == "Alexis Bell"
    assert [e[0] for e in events(database, ALEX)][1:] == [
        "customer.status_changed",
        "customer.changed",
    ]
    tmf_error(client.patch(f"{CUSTOMER}/{ALEX}", json={"status": "gone"}, headers=OPERATOR), 400)


def test_a_consumer_cannot_change_the_identifiers_they_sign_in_with(client, database):
    alex = sign_in(client)
    for medium in (
        {"mediumType": "email", "characteristic": {"emailAddress": "attacker@evil.example"}},
        {"mediumType": "phone", "characteristic": {"phoneNumber": random_phone()}},
    ):
        body = tmf_error(
            client.patch(f"{CUSTOMER}/{ALEX}", json={"contactMedium": [medium]}, headers=alex),
            403,
            "identifier_change_not_allowed",
        )
        assert "proof" in body["message"]
    media = {
        m["mediumType"]: m["characteristic"]
        for m in client.get(f"{CUSTOMER}/{ALEX}", headers=OPERATOR).json()["contactMedium"]
    }
    assert media["email"]["emailAddress"] != "attacker@evil.example"
    assert media["phone"]["phoneNumber"] == "2145550100"
    assert events(database, ALEX) == []
    # Operations vouch for what they set: they still change a consumer's e-mail.
    vouched = client.patch(
        f"{CUSTOMER}/{ALEX}",
        json={
            "contactMedium": [
                {"mediumType": "email", "characteristic": {"emailAddress": "alex@new.example"}}
            ]
        },
        headers=OPERATOR,
    )
    assert vouched.status_code == 200, vouched.text
    assert "alex@new.example" in vouched.text


def test_operations_change_a_business_customer(client, database):
    changed = client.patch(
        f"{CUSTOMER}/{ALLIED}", json={"name": "Bluebonnet Bank, N.A."}, headers=OPERATOR
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Bluebonnet Bank, N.A."
    assert events(database, ALLIED)[0][0] == "customer.changed"
    partner = partner_headers(client)
    assert client.get(f"{CUSTOMER}/{ALLIED}", headers=partner).json()["name"] == (
        "Bluebonnet Bank, N.A."
    )


def test_a_patch_that_changes_nothing_publishes_nothing(client, database):
    same = client.get(f"{CUSTOMER}/{ALLIED}", headers=OPERATOR).json()
    unchanged = client.patch(
        f"{CUSTOMER}/{ALLIED}",
        json={"name": same["name"], "contactMedium": same["contactMedium"][:1]},
        headers=OPERATOR,
    )
    assert unchanged.status_code == 200, unchanged.text
    assert client.patch(f"{CUSTOMER}/{ALEX}", json={"name": "Alex Bell"}, headers=OPERATOR)
    assert events(database, ALLIED) == [] and events(database, ALEX) == []
    blank = tmf_error(
        client.patch(f"{CUSTOMER}/{ALLIED}", json={"name": "  "}, headers=OPERATOR), 400
    )
    assert blank["errors"][0]["rule"] == "blank"


def test_an_onboarding_account_without_names_is_named_by_its_number():
    def named(customer: dict) -> str:
        row = SimpleNamespace(customer=customer, number="OA-1001")
        return directory.ManagedCustomer(directory.ONBOARDING, row).name

    assert named({"type": "business"}) == "Onboarding account OA-1001"
    assert named({"firstName": "Pat", "lastName": None}) == "Pat"
    assert named({"firstName": "Pat", "lastName": "Lee", "companyName": "Lee Co"}) == "Lee Co"


def test_delete_only_a_customer_nothing_refers_to(client, database):
    new = client.post(CUSTOMER, json=individual(), headers=OPERATOR).json()
    alex = sign_in(client)
    tmf_error(client.delete(f"{CUSTOMER}/{ALEX}", headers=alex), 403, "operator_only")
    create_order(client, alex)
    tmf_error(client.delete(f"{CUSTOMER}/{ALEX}", headers=OPERATOR), 409, "customer_in_use")
    tmf_error(client.delete(f"{CUSTOMER}/{ALLIED}", headers=OPERATOR), 409, "customer_in_use")
    assert client.delete(f"{CUSTOMER}/{new['id']}", headers=OPERATOR).status_code == 204
    tmf_error(client.get(f"{CUSTOMER}/{new['id']}", headers=OPERATOR), 404)
    assert [e[0] for e in events(database, new["id"])] == ["customer.created", "customer.deleted"]
    organization_id = client.post(CUSTOMER, json=organization(), headers=OPERATOR).json()["id"]
    assert client.delete(f"{CUSTOMER}/{organization_id}", headers=OPERATOR).status_code == 204


def test_a_reference_the_checks_missed_is_a_409_not_a_500(client, database, monkeypatch):
    # As when an order is inserted between the checks and the delete.
    alex = sign_in(client)
    create_order(client, alex)
    monkeypatch.setattr(management, "_in_use", lambda session, checks: None)
    body = tmf_error(client.delete(f"{CUSTOMER}/{ALEX}", headers=OPERATOR), 409, "customer_in_use")
    assert "refers to the customer" in body["message"]
    assert client.get(f"{CUSTOMER}/{ALEX}", headers=OPERATOR).status_code == 200
    assert events(database, ALEX) == []


def test_a_prospect_has_no_customer_record_yet(client):
    prospect = sign_in(client, random_phone())
    listed = client.get(CUSTOMER, headers=prospect)
    assert ids(listed) == [] and listed.headers["X-Total-Count"] == "0"
    tmf_error(client.get(f"{CUSTOMER}/{ALEX}", headers=prospect), 404)
    one = client.get(f"{CUSTOMER}/{ALEX}", headers=OPERATOR, params={"fields": "status"})
    assert set(one.json()) == {"id", "href", "@type", "status", "engagedParty"}


def test_a_consumers_and_a_partners_lists_read_their_own_customers_only(client, database):
    alex, partner = sign_in(client), partner_headers(client)
    with union_plans(database, "customer_keys") as plans:
        assert ids(client.get(CUSTOMER, headers=alex)) == [ALEX]
        assert ALLIED in ids(client.get(CUSTOMER, headers=partner))
        assert client.get(f"{CUSTOMER}/{ALLIED}", headers=partner).status_code == 200
    assert len(plans) == 5  # a count and a page per list, one retrieve
    for plan in plans:
        for table in ("customers", "business_customers", "onboarding_accounts"):
            assert f"SCAN {table}" not in plan, plan

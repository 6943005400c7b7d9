"""Service-provider onboarding through HTTP: accounts, orders and service qualification."""

from __future__ import annotations

from orderhub.demo import onboarding as demo_onboarding
from tests.api.b2b_helpers import OPERATOR, SANDBOX_CLIENT_B, partner_headers
from tests.helpers import is_problem, sign_in

ONB = "/onboarding/v1"


def account_body(username: str = "casey.jones", **overrides) -> dict:
    contact = {
        "firstName": "Casey",
        "lastName": "Jones",
        "email": "casey@example.com",
        "phone": "2175550123",
    }
    return {
        "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
        "primaryContact": contact,
        "billingContact": contact,
        "portal": {"username": username, "password": "correct horse battery"},
    } | overrides


def new_account(client, headers, username: str = "casey.jones") -> dict:
    response = client.post(f"{ONB}/accounts", json=account_body(username), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def new_order(client, headers) -> dict:
    account = new_account(client, headers)
    response = client.post(f"{ONB}/accounts/{account['id']}/orders", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_accounts_are_created_read_and_found_by_credentials(client):
    headers = partner_headers(client)
    account = new_account(client, headers)
    assert account["username"] == "casey.jones"
    assert not {"password", "passwordHash", "portal"} & account.keys()
    assert account["identifierRealms"] == ["isp.example", "voice.example"]
    assert client.get(f"{ONB}/accounts/{account['id']}", headers=headers).json() == account

    found = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "Casey.Jones", "password": "correct horse battery"},
        headers=headers,
    )
    assert found.status_code == 200 and found.json()["id"] == account["id"]


def test_wrong_credentials_do_not_say_which_part_was_wrong(client):
    headers = partner_headers(client)
    new_account(client, headers)
    wrong_password = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "casey.jones", "password": "wrong wrong wrong"},
        headers=headers,
    )
    unknown_user = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "nobody.here", "password": "correct horse battery"},
        headers=headers,
    )
    assert is_problem(wrong_password, 401, "invalid_credentials")
    assert is_problem(unknown_user, 401, "invalid_credentials")
    assert wrong_password.json()["detail"] == unknown_user.json()["detail"]


def test_five_wrong_passwords_in_a_row_lock_the_portal_sign_in(client):
    headers = partner_headers(client)
    new_account(client, headers)

    def sign_in(password: str):
        return client.post(
            f"{ONB}/accounts/find-by-credentials",
            json={"username": "casey.jones", "password": password},
            headers=headers,
        )

    # A right password clears the count: four wrong, one right, four wrong is no lock.
    for _ in range(4):
        assert is_problem(sign_in("wrong wrong wrong"), 401, "invalid_credentials")
    assert sign_in("correct horse battery").status_code == 200
    for _ in range(4):
        assert is_problem(sign_in("wrong wrong wrong"), 401, "invalid_credentials")
    assert is_problem(sign_in("wrong wrong wrong"), 401, "invalid_credentials")  # the fifth
    locked = sign_in("correct horse battery")
    assert is_problem(locked, 429, "sign_in_locked")
    assert 800 < int(locked.headers["Retry-After"]) <= 901
    assert "correct horse" not in locked.text
    # Another account of the provider is not affected.
    new_account(client, headers, username="robin.jones")
    other = client.post(
        f"{ONB}/accounts/find-by-credentials",
        json={"username": "robin.jones", "password": "correct horse battery"},
        headers=headers,
    )
    assert other.status_code == 200, other.text


def test_a_taken_username_and_bad_fields_are_refused(client):
    headers = partner_headers(client)
    new_account(client, headers)
    assert is_problem(
        client.post(f"{ONB}/accounts", json=account_body(), headers=headers), 409, "username_taken"
    )
    bad = client.post(
        f"{ONB}/accounts",
        json=account_body(portal={"username": "x", "password": "short"}),
        headers=headers,
    )
    assert is_problem(bad, 422)
    assert {e["field"] for e in bad.json()["errors"]} == {"portal.username", "portal.password"}


def test_another_providers_account_and_order_do_not_exist(client):
    order = new_order(client, partner_headers(client))
    other = partner_headers(client, SANDBOX_CLIENT_B)
    assert is_problem(client.get(f"{ONB}/accounts/{order['accountId']}", headers=other), 404)
    assert is_problem(client.get(f"{ONB}/orders/{order['id']}", headers=other), 404)
    assert is_problem(
        client.post(
            f"{ONB}/orders/{order['id']}/sq/simple",
            json={"serviceTypeId": "email-hosting"},
            headers=other,
        ),
        404,
    )
    assert is_problem(client.get(f"{ONB}/orders/{order['id']}", headers=sign_in(client)), 401)


def test_the_three_kinds_of_sq_and_the_orders_history(client):
    headers = partner_headers(client)
    order = new_order(client, headers)
    assert order["status"] == "started"
    oid = order["id"]

    simple = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "email-hosting"}, headers=headers
    )
    assert simple.status_code == 200 and simple.json()["qualified"] is True

    failed = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550100"},
        headers=headers,
    ).json()
    assert failed["qualified"] is False and failed["reason"]
    phone = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550101"},
        headers=headers,
    ).json()
    assert phone["qualified"] is True

    found = client.post(
        f"{ONB}/orders/{oid}/sq/address/find", json={"query": "example street"}, headers=headers
    ).json()["locations"]
    assert [loc["locationId"] for loc in found] == ["LOC000000001", "LOC000000002"]
    address = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC000000001"},
        headers=headers,
    ).json()
    assert address["qualified"] is True
    assert address["details"]["technologies"][0]["technology"] == "FTTP"

    final = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert final["status"] == "qualified"
    assert final["qualifiedServiceTypes"] == ["email-hosting", "home-broadband", "voip-line"]
    assert [e["type"] for e in final["events"]] == [
        "order.started",
        "sq.qualified",
        "sq.failed",
        "sq.qualified",
        "sq.qualified",
    ]


def test_an_unserviceable_address_fails_the_sq_with_its_reason(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    result = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC000000004"},
        headers=headers,
    ).json()
    assert result["qualified"] is False
    assert result["reason"] == "No network reaches this address yet."
    order = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert order["status"] == "started" and order["qualifiedServiceTypes"] == []


def test_sq_input_errors_name_the_field(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    wrong_kind = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "home-broadband"}, headers=headers
    )
    assert is_problem(wrong_kind, 422, "validation_failed")
    assert wrong_kind.json()["errors"][0]["rule"] == "wrong_check_type"
    unknown = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "teleport"}, headers=headers
    )
    assert unknown.json()["errors"][0]["rule"] == "unknown_service_type"
    bad_phone = client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "12"},
        headers=headers,
    )
    assert bad_phone.json()["errors"][0]["field"] == "phoneNumber"
    no_location = client.post(
        f"{ONB}/orders/{oid}/sq/address",
        json={"serviceTypeId": "home-broadband", "locationId": "LOC9"},
        headers=headers,
    )
    assert no_location.json()["errors"][0]["rule"] == "unknown_location"


def qualify(client, headers, oid: str, *, voip_phone: str = "2175550101") -> None:
    for path, body in (
        ("sq/address", {"serviceTypeId": "home-broadband", "locationId": "LOC000000001"}),
        ("sq/phone", {"serviceTypeId": "voip-line", "phoneNumber": voip_phone}),
    ):
        assert (
            client.post(f"{ONB}/orders/{oid}/{path}", json=body, headers=headers).status_code == 200
        )


def services_by_type(client, headers, oid: str) -> dict[str, str]:
    listed = client.get(f"{ONB}/orders/{oid}/services", headers=headers).json()["services"]
    return {s["serviceTypeId"]: s["id"] for s in listed}


# The set-up the demo walk uses: one valid value set per requirement set and service.
GOOD = demo_onboarding.SETUP


def test_the_whole_flow_creates_preactive_services_in_the_inventory(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid)

    offered = client.get(f"{ONB}/orders/{oid}/packages", headers=headers).json()["packages"]
    assert {p["id"] for p in offered} == {"home-essentials", "broadband-only"}
    details = client.get(f"{ONB}/package-plans/home-essentials-12", headers=headers).json()
    assert (details["monthly"], details["termMonths"]) == ("89.00", 12)
    assert [s["serviceTypeId"] for s in details["services"]] == ["home-broadband", "voip-line"]

    chosen = client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    assert chosen.status_code == 200, chosen.text
    again = client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "broadband-only-m2m"}, headers=headers
    )
    assert is_problem(again, 409, "package_already_selected")

    ids = services_by_type(client, headers, oid)
    reqs = client.get(
        f"{ONB}/orders/{oid}/services/{ids['home-broadband']}/requirements/configuration",
        headers=headers,
    ).json()
    assert {f["field"] for f in reqs["configuration"]} >= {"technology", "speedTier"}
    realms = client.get(f"{ONB}/orders/{oid}/identifier-realms", headers=headers).json()
    assert realms["realms"] == ["isp.example", "voice.example"]

    for type_id, sets in GOOD.items():
        for kind, body in sets.items():
            r = client.put(
                f"{ONB}/orders/{oid}/services/{ids[type_id]}/{kind}", json=body, headers=headers
            )
            assert r.status_code == 200, (type_id, kind, r.text)

    no_terms = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert is_problem(no_terms, 409, "order_incomplete")
    assert [p["rule"] for p in no_terms.json()["problems"]] == ["terms_not_accepted"]

    terms = client.get(f"{ONB}/orders/{oid}/terms", headers=headers).json()["blocks"]
    assert {t["id"] for t in terms} == {"general", "contract-term", "voip-emergency"}
    accepted = client.post(
        f"{ONB}/orders/{oid}/terms/acceptance",
        json={"accepted": [{"id": t["id"], "version": t["version"]} for t in terms]},
        headers=headers,
    )
    assert accepted.status_code == 200 and accepted.json()["acceptedAt"]

    submitted = client.post(
        f"{ONB}/orders/{oid}/submit", headers=headers | {"Idempotency-Key": "onb-1"}
    )
    assert submitted.status_code == 200, submitted.text
    result = submitted.json()
    assert result["status"] == "submitted" and len(result["serviceIds"]) == 2
    replay = client.post(
        f"{ONB}/orders/{oid}/submit", headers=headers | {"Idempotency-Key": "onb-1"}
    )
    assert replay.json() == result

    sold_on = {}
    for service_id in result["serviceIds"]:
        svc = client.get(f"/inventory/v1/services/{service_id}", headers=headers).json()
        assert svc["status"] == "preActive"
        assert svc["packageSubscriptionId"] == result["packageSubscriptionId"]
        sold_on[svc["serviceTypeId"]] = svc["qualification"]
    # Each service keeps the SQ it was sold on: where, or on which number.
    assert sold_on["home-broadband"]["kind"] == "address"
    assert sold_on["home-broadband"]["locationId"] == "LOC000000001"
    assert (sold_on["voip-line"]["kind"], sold_on["voip-line"]["phoneNumber"]) == (
        "GeneralPhone",
        "2175550101",
    )
    order = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert order["status"] == "submitted"
    assert order["events"][-1]["type"] == "order.submitted"
    assert is_problem(client.post(f"{ONB}/orders/{oid}/submit", headers=headers), 409)

    # Fulfilment done: operations activate each service, once.
    first = result["serviceIds"][0]
    activate = f"/operator/v1/inventory/services/{first}/activate"
    assert is_problem(client.post(activate, headers=headers), 401)  # a partner may not
    activated = client.post(activate, headers=OPERATOR)
    assert activated.status_code == 200, activated.text
    assert activated.json()["status"] == "active"
    svc = client.get(f"/inventory/v1/services/{first}", headers=headers).json()
    assert svc["status"] == "active"
    again = client.post(activate, headers=OPERATOR)
    assert is_problem(again, 409, "service_not_preactive")
    assert again.json()["currentStatus"] == "active"
    missing = "/operator/v1/inventory/services/svc_missing/activate"
    assert is_problem(client.post(missing, headers=OPERATOR), 404, "service_not_found")


def test_steps_out_of_order_are_409_naming_the_missing_step(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    packages = client.get(f"{ONB}/orders/{oid}/packages", headers=headers)
    assert is_problem(packages, 409, "step_out_of_order")
    assert packages.json()["missingStep"] == "serviceQualification"
    qualify(client, headers, oid)
    early = client.put(
        f"{ONB}/orders/{oid}/services/osv_x/features", json={"features": []}, headers=headers
    )
    assert is_problem(early, 409, "step_out_of_order")
    assert early.json()["missingStep"] == "packageSelection"
    assert is_problem(client.get(f"{ONB}/orders/{oid}/terms", headers=headers), 409)


def test_a_failed_sq_keeps_its_packages_out_of_reach(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid, voip_phone="2175550100")  # fails: ends in 0
    offered = client.get(f"{ONB}/orders/{oid}/packages", headers=headers).json()["packages"]
    assert [p["id"] for p in offered] == ["broadband-only"]
    refused = client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    assert is_problem(refused, 422)
    assert refused.json()["errors"][0]["rule"] == "not_qualified"


def test_requirement_sets_refuse_bad_values_field_by_field(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid)
    client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    broadband = services_by_type(client, headers, oid)["home-broadband"]
    url = f"{ONB}/orders/{oid}/services/{broadband}"

    config = client.put(
        f"{url}/configuration", json={"values": {"technology": "DSL"}}, headers=headers
    )
    assert is_problem(config, 422)
    assert {(e["field"], e["rule"]) for e in config.json()["errors"]} == {
        ("configuration.technology", "allowed_values"),
        ("configuration.speedTier", "required"),
    }
    conflict = client.put(
        f"{url}/features", json={"features": ["ipv6", "modem-rental", "modem-byo"]}, headers=headers
    )
    assert [e["rule"] for e in conflict.json()["errors"]] == ["conflicting_features"]
    shape = client.put(f"{url}/features", json={"features": "ipv6"}, headers=headers)
    assert is_problem(shape, 422)
    assert shape.json()["errors"][0]["field"] == "features"

    client.post(f"{ONB}/orders/{oid}/terms/acceptance", json={"accepted": []}, headers=headers)
    incomplete = client.post(f"{ONB}/orders/{oid}/submit", headers=headers)
    assert is_problem(incomplete, 409, "order_incomplete")
    problems = incomplete.json()["problems"]
    assert {"configuration.technology", "features", "contacts", "identifiers"} <= {
        p["field"] for p in problems
    }
    assert {p["serviceTypeId"] for p in problems if p["field"] != "termsAndConditions"} == {
        "home-broadband",
        "voip-line",
    }


def test_a_reloaded_requirement_file_changes_get_set_and_submit_over_http(client, tmp_path):
    import json
    import shutil

    from orderhub.onboarding import catalog
    from orderhub.sandbox.loader import DATA

    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid)
    client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    voip = services_by_type(client, headers, oid)["voip-line"]
    config = GOOD["voip-line"]["configuration"]
    url = f"{ONB}/orders/{oid}/services/{voip}"
    assert client.put(f"{url}/configuration", json=config, headers=headers).status_code == 200

    # The provider makes `channels` mandatory in the file and reloads the catalog.
    files = tmp_path / "onboarding"
    shutil.copytree(DATA / "onboarding", files)
    path = files / "service_types" / "voip_line.json"
    changed = json.loads(path.read_text())
    next(f for f in changed["configuration"] if f["field"] == "channels")["mandatory"] = True
    path.write_text(json.dumps(changed))
    with client.app.state.runtime.database.transaction() as session:
        catalog.load(session, files)

    reqs = client.get(f"{url}/requirements/configuration", headers=headers).json()
    assert next(f for f in reqs["configuration"] if f["field"] == "channels")["mandatory"]
    refused = client.put(f"{url}/configuration", json=config, headers=headers)
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [
        ("configuration.channels", "required")
    ]
    client.post(f"{ONB}/orders/{oid}/terms/acceptance", json={"accepted": []}, headers=headers)
    blocked = client.post(f"{ONB}/orders/{oid}/submit", headers=headers).json()
    assert ("configuration.channels", "required") in {
        (p["field"], p["rule"]) for p in blocked["problems"]
    }


def test_odd_shapes_in_requirement_bodies_are_422_not_500(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    qualify(client, headers, oid)
    client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    url = f"{ONB}/orders/{oid}/services/{services_by_type(client, headers, oid)['home-broadband']}"
    nested: dict = {"a": 1}
    for _ in range(300):
        nested = {"a": nested}
    for kind, body in (
        ("contacts", {"contacts": [{"role": ["technical"]}]}),
        ("contacts", {"contacts": [{"role": "technical", "firstName": nested}]}),
        ("contacts", {"contacts": ["technical"]}),
        ("identifiers", {"identifiers": [{"name": ["x"], "value": "v"}]}),
        (
            "identifiers",
            {"identifiers": [{"name": "pppoeUsername", "value": "abc", "password": "x"}]},
        ),
        ("configuration", {"values": {"technology": nested}}),
    ):
        response = client.put(f"{url}/{kind}", json=body, headers=headers)
        assert is_problem(response, 422), (
            kind,
            body if body is not nested else "nested",
            response.text,
        )
    twice = client.put(
        f"{url}/identifiers",
        json={
            "identifiers": [{"name": "pppoeUsername", "value": "abc", "realm": "isp.example"}] * 2
        },
        headers=headers,
    )
    assert [e["rule"] for e in twice.json()["errors"]] == ["duplicate"]
    no_version = client.post(
        f"{ONB}/orders/{oid}/terms/acceptance",
        json={"accepted": [{"id": "general"}]},
        headers=headers,
    )
    assert is_problem(no_version, 422)


def test_a_customer_must_be_named(client):
    headers = partner_headers(client)
    nameless = account_body(customer={"type": "residential"})
    assert is_problem(client.post(f"{ONB}/accounts", json=nameless, headers=headers), 422)
    business = account_body("acme.ops", customer={"type": "business", "companyName": "Acme"})
    assert client.post(f"{ONB}/accounts", json=business, headers=headers).status_code == 201


def test_the_address_sq_bounds_technology_and_speed_and_submit_rechecks_sq(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    for path, body in (
        ("sq/address", {"serviceTypeId": "home-broadband", "locationId": "LOC000000002"}),
        ("sq/phone", {"serviceTypeId": "voip-line", "phoneNumber": "2175550101"}),
    ):
        client.post(f"{ONB}/orders/{oid}/{path}", json=body, headers=headers)
    client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "home-essentials-12"}, headers=headers
    )
    url = f"{ONB}/orders/{oid}/services/{services_by_type(client, headers, oid)['home-broadband']}"

    def configure(technology: str, tier: str):
        return client.put(
            f"{url}/configuration",
            json={"values": {"technology": technology, "speedTier": tier}},
            headers=headers,
        )

    fttp = configure("FTTP", "100/40")  # allowed by the catalog, not offered at LOC2
    assert [(e["field"], e["rule"]) for e in fttp.json()["errors"]] == [
        ("configuration.technology", "not_at_location")
    ]
    too_fast = configure("FTTN", "100/40")
    assert [(e["field"], e["rule"]) for e in too_fast.json()["errors"]] == [
        ("configuration.speedTier", "not_at_location")
    ]
    assert configure("FTTN", "50/20").status_code == 200

    # The VoIP line's SQ fails after the package was chosen: submit says so.
    client.post(
        f"{ONB}/orders/{oid}/sq/phone",
        json={"serviceTypeId": "voip-line", "phoneNumber": "2175550100"},
        headers=headers,
    )
    blocked = client.post(f"{ONB}/orders/{oid}/submit", headers=headers).json()
    assert {(p.get("serviceTypeId"), p["field"], p["rule"]) for p in blocked["problems"]} >= {
        ("voip-line", "serviceQualification", "not_qualified")
    }


def _ready_broadband_order(client, headers, username: str) -> str:
    """A broadband-only order with every requirement set and the terms accepted."""
    account = new_account(client, headers, username=username)
    oid = client.post(f"{ONB}/accounts/{account['id']}/orders", headers=headers).json()["id"]
    qualify(client, headers, oid)
    chosen = client.post(
        f"{ONB}/orders/{oid}/package", json={"packagePlanId": "broadband-only-m2m"}, headers=headers
    )
    assert chosen.status_code == 200, chosen.text
    sid = services_by_type(client, headers, oid)["home-broadband"]
    for kind, body in GOOD["home-broadband"].items():
        r = client.put(f"{ONB}/orders/{oid}/services/{sid}/{kind}", json=body, headers=headers)
        assert r.status_code == 200, (kind, r.text)
    terms = client.get(f"{ONB}/orders/{oid}/terms", headers=headers).json()["blocks"]
    client.post(
        f"{ONB}/orders/{oid}/terms/acceptance",
        json={"accepted": [{"id": t["id"], "version": t["version"]} for t in terms]},
        headers=headers,
    )
    return oid


def test_two_customers_never_hold_one_pppoe_username(client):
    headers = partner_headers(client)
    first = _ready_broadband_order(client, headers, "casey.one")
    second = _ready_broadband_order(client, headers, "casey.two")  # same identifier, not held yet
    assert client.post(f"{ONB}/orders/{first}/submit", headers=headers).status_code == 200

    # Submitting the second now is refused whole: nothing of it reaches the inventory.
    taken = client.post(f"{ONB}/orders/{second}/submit", headers=headers)
    assert is_problem(taken, 409, "identifier_taken")
    assert taken.json()["identifiers"] == [
        {"realm": "isp.example", "name": "pppoeUsername", "value": "casey.jones"}
    ]
    assert client.get(f"{ONB}/orders/{second}", headers=headers).json()["status"] != "submitted"

    # Setting it again says so at once.
    sid = services_by_type(client, headers, second)["home-broadband"]
    url = f"{ONB}/orders/{second}/services/{sid}/identifiers"
    same = {
        "identifiers": [{"name": "pppoeUsername", "value": "casey.jones", "realm": "isp.example"}]
    }
    refused = client.put(url, json=same, headers=headers)
    assert is_problem(refused, 422)
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [
        ("identifiers.0.value", "identifier_taken")
    ]
    other = {
        "identifiers": [{"name": "pppoeUsername", "value": "casey.two", "realm": "isp.example"}]
    }
    assert client.put(url, json=other, headers=headers).status_code == 200
    assert client.post(f"{ONB}/orders/{second}/submit", headers=headers).status_code == 200

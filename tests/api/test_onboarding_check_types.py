"""Issue 13 item 12: the phone SQ's check type has the seed's name, `GeneralPhone`;
`phone` stays an alias, in a catalog file and in the SQ path."""

from __future__ import annotations

import json
import shutil

from orderhub.onboarding import catalog
from tests.api.b2b_helpers import partner_headers
from tests.api.test_onboarding import ONB, new_order
from tests.helpers import is_problem

VOIP = {"serviceTypeId": "voip-line", "phoneNumber": "2175550101"}


def test_the_phone_sq_answers_the_seeds_check_type_on_both_paths(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]

    seed_path = client.post(f"{ONB}/orders/{oid}/sq/general-phone", json=VOIP, headers=headers)
    alias_path = client.post(f"{ONB}/orders/{oid}/sq/phone", json=VOIP, headers=headers)

    assert seed_path.status_code == 200, seed_path.text
    assert alias_path.status_code == 200, alias_path.text
    assert seed_path.json()["kind"] == alias_path.json()["kind"] == "GeneralPhone"
    order = client.get(f"{ONB}/orders/{oid}", headers=headers).json()
    assert {q["kind"] for q in order["qualifications"]} == {"GeneralPhone"}
    assert order["qualifiedServiceTypes"] == ["voip-line"]


def test_another_check_type_is_refused_naming_the_seeds_name(client):
    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]

    wrong = client.post(
        f"{ONB}/orders/{oid}/sq/simple", json={"serviceTypeId": "voip-line"}, headers=headers
    )

    assert is_problem(wrong, 422)
    assert wrong.json()["errors"][0]["rule"] == "wrong_check_type"
    assert "GeneralPhone" in wrong.json()["errors"][0]["message"]


def test_a_catalog_file_may_still_say_phone(client, tmp_path):
    from orderhub.sandbox.loader import DATA

    files = tmp_path / "onboarding"
    shutil.copytree(DATA / "onboarding", files)
    path = files / "service_types" / "voip_line.json"
    assert json.loads(path.read_text())["checkType"] == "GeneralPhone"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"checkType": "phone"}))
    with client.app.state.runtime.database.transaction() as session:
        catalog.load(session, files)
        assert catalog.service_type(session, "voip-line").check_type == "GeneralPhone"

    headers = partner_headers(client)
    oid = new_order(client, headers)["id"]
    answer = client.post(f"{ONB}/orders/{oid}/sq/general-phone", json=VOIP, headers=headers)
    assert answer.json()["kind"] == "GeneralPhone" and answer.json()["qualified"] is True


def test_an_unknown_check_type_in_a_catalog_file_is_refused(tmp_path):
    import pytest

    from orderhub.sandbox.loader import DATA

    files = tmp_path / "onboarding"
    shutil.copytree(DATA / "onboarding", files)
    path = files / "service_types" / "voip_line.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"checkType": "Phone"}))
    with pytest.raises(ValueError, match="unknown checkType"):
        catalog._check([json.loads(path.read_text())], {"packages": []})

"""Site qualification: the sandbox's documented rules, and the validation problems made of
its answers (pure functions, no database)."""

from __future__ import annotations

import pytest

from orderhub.adapters.postal import PostalAddress
from orderhub.adapters.site_qualification import SandboxSiteQualifier, Serviceability
from orderhub.quotes import rules

SANDBOX = SandboxSiteQualifier()
DIA_SPEEDS = {"100M": 100, "500M": 500, "1G": 1000, "10G": 10000}


def at(line1: str, zip_code: str) -> PostalAddress:
    return PostalAddress(address_line1=line1, city="DALLAS", state="TX", zip_code=zip_code)


@pytest.mark.parametrize(
    ("address", "family", "expected"),
    [
        (at("1900 N AKARD ST", "75201"), "ethernet", (True, None)),
        (at("5800 LEGACY DR", "75024"), "dedicatedInternet", (True, None)),
        (at("100 MAIN ST", "79999"), "voice", (False, None)),
        (at("9999 ELM ST", "75201"), "dedicatedInternet", (False, None)),
        (at("99999 ELM ST", "75201"), "dedicatedInternet", (True, None)),  # not house 9999
        (at("200 DEPOT ST", "79998"), "dedicatedInternet", (True, 100)),
        (at("200 DEPOT ST", "79998-1234"), "voice", (True, 100)),
        (at("200 DEPOT ST", "79998"), "ethernet", (False, None)),
        (at("12 LOST RANCH RD", "79843"), "dedicatedInternet", (True, 50)),
        (at("12 Lost Ranch Road", "79843"), "ethernet", (False, None)),
        (at("300 FIBER LOOP", "79997"), "ethernet", (True, 1000)),
    ],
)
def test_the_sandbox_rules(address, family, expected):
    answer = SANDBOX.qualify(address, family=family)
    assert (answer.serviceable, answer.max_mbps) == expected
    assert (answer.reason is None) == (expected == (True, None))


def facts(access_speed: str | None, answer: Serviceability) -> rules.ServiceFacts:
    return rules.ServiceFacts(
        "Dedicated Internet",
        access_speed,
        DIA_SPEEDS,
        answer.serviceable,
        answer.max_mbps,
        answer.reason,
    )


def found(*service: rules.ServiceFacts) -> list[rules.QuoteProblem]:
    site = rules.SiteFacts("HQ", True, [[] for _ in service], list(service))
    return rules.problems(sites=[site], billing={"billingEmail": "ap@x.example"})


def test_a_speed_over_the_limit_names_the_fastest_that_fits():
    (problem,) = found(facts("10G", Serviceability(True, 1000, "lit up to 1 Gbps")))

    assert (problem.code, problem.field) == (
        "speed_not_available",
        "sites.0.products.0.accessSpeed",
    )
    assert (problem.max_access_speed, problem.max_mbps) == ("1G", 1000)
    assert "up to 1000 Mbps (lit up to 1 Gbps)" in problem.message and "HQ" in problem.message
    assert problem.to_dict()["maxAccessSpeed"] == "1G"


def test_a_limit_below_every_speed_of_the_product_offers_none():
    (problem,) = found(facts("100M", Serviceability(True, 50, "fixed wireless")))

    assert problem.max_access_speed is None and problem.max_mbps == 50
    assert "none of its speeds fits" in problem.message


def test_no_problem_within_the_limit_or_before_a_speed_is_chosen():
    assert (
        found(facts("1G", Serviceability(True, 1000)), facts(None, Serviceability(True, 50))) == []
    )


def test_an_unserviceable_site_names_each_product():
    off = Serviceability(False, reason="no network")
    problems = found(facts("1G", off), facts(None, off))

    assert [(p.code, p.field) for p in problems] == [
        ("not_serviceable", "sites.0.products.0"),
        ("not_serviceable", "sites.0.products.1"),
    ]
    assert "maxMbps" not in problems[0].to_dict()

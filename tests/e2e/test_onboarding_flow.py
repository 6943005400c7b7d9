"""Seed 003 end to end against a real server: account to PreActive services, read back."""

from __future__ import annotations

import re
import subprocess

import httpx
from sqlalchemy import select

from orderhub.demo import onboarding as demo_onboarding
from orderhub.inventory.models import InventoryService
from orderhub.onboarding.models import OnboardingOrder
from tests.e2e.conftest import ORDERHUB


def test_onboarding_walks_to_preactive_services_in_the_inventory(serve, database):
    url = serve()
    with httpx.Client(base_url=url, timeout=30) as client:
        result = demo_onboarding.run(client)

    assert result["status"] == "submitted"
    assert {s["serviceTypeId"] for s in result["services"]} == {"home-broadband", "voip-line"}
    assert {s["status"] for s in result["services"]} == {"preActive"}
    assert result["services"][0]["identifiers"]  # what was set is what was provisioned
    with database.transaction(write=False) as session:
        order = session.get(OnboardingOrder, result["orderId"])
        kept = session.scalars(
            select(InventoryService.id).where(InventoryService.id.in_(result["serviceIds"]))
        ).all()
    assert order.status == "submitted"
    assert order.package_subscription_id == result["packageSubscriptionId"]
    assert sorted(kept) == sorted(result["serviceIds"])


def test_demo_flow_onboarding_runs_against_a_running_server(serve):
    url = serve()
    run = subprocess.run(
        [ORDERHUB, "demo", "--flow", "onboarding", "--url", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"Onboarding order oor_\w+ submitted", run.stdout)
    assert run.stdout.count("preActive") == 2

"""The care-order flow of seed 004, run against a server: `orderhub demo --flow care`.

The seed's example care order, sent verbatim (202, with its warnings), scheduled by the
worker; the sandbox test clock moved to the change's effective date (the line's next
billing cycle); the worker applies it; the care order and the changed line read back.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable
from importlib import resources
from typing import Any

import httpx

from orderhub.demo.steps import DemoFailed, Step

CARE = "/api/orderingMobility/v1"
CLOCK = "/sandbox/v1/clock"
CLIENT = {"client_id": "sandbox-partner", "client_secret": "sandbox-partner-secret"}
# A byte-for-byte copy of the seed's example (tests/data/care_order_seed.json), shipped
# with the package so the demo runs from an installed wheel.
EXAMPLE = resources.files("orderhub.sandbox") / "data" / "care_order_seed.json"
FINAL = ("completed", "partiallyCompleted", "failed")


def example() -> dict[str, Any]:
    """The seed's example care order request."""
    return json.loads(EXAMPLE.read_bytes())


def run(
    client: httpx.Client,
    *,
    on_step: Callable[[Step], None] = lambda step: None,
    wait_seconds: float = 30.0,
) -> dict[str, Any]:
    """Send the seed's care order and see it applied at the next billing cycle; returns
    the 202 answer (`accepted`), the final care order, the line and what became of the
    test clock (`clockReset`)."""
    headers: dict[str, str] = {}

    def call(name: str, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = client.request(
            method, path, headers=headers | kwargs.pop("headers", {}), **kwargs
        )
        on_step(
            Step(name, method, path, response.status_code, response.elapsed.total_seconds() * 1000)
        )
        if response.status_code != expect:
            raise DemoFailed(
                f"{name}: {method} {path} answered {response.status_code}: {response.text[:500]}"
            )
        return response.json()

    def wait_for(name: str, path: str, statuses: tuple[str, ...]) -> dict[str, Any]:
        """Poll the care order until the worker has moved it into one of `statuses`."""
        started = time.monotonic()
        while True:
            response = client.get(path, headers=headers)
            order = response.json() if response.status_code == 200 else {}
            waited = time.monotonic() - started
            if order.get("status") in statuses or response.status_code != 200:
                break
            if waited > wait_seconds:
                on_step(Step(name, "GET", path, response.status_code, waited * 1000))
                raise DemoFailed(
                    f"{name}: the care order is still '{order.get('status')}' after "
                    f"{wait_seconds:.0f} s. Is a worker running? `orderhub serve` runs one "
                    "unless ORDERHUB_WORKER_IN_SERVER=0; then start `orderhub worker`."
                )
            time.sleep(0.2)
        on_step(Step(name, "GET", path, response.status_code, waited * 1000))
        if response.status_code != 200:
            raise DemoFailed(f"{name}: GET {path} answered {response.status_code}")
        return order

    token = call(
        "token", "POST", "/oauth/token", 200, data={"grant_type": "client_credentials"} | CLIENT
    )
    headers["Authorization"] = f"Bearer {token['access_token']}"
    # The test clock is shared by everyone on this sandbox: put it back only if it was
    # at real time, never undo somebody else's move.
    was_real_time = call("read test clock", "GET", CLOCK, 200)["offsetSeconds"] == 0
    moved = False

    def reset_clock() -> bool:
        if moved and was_real_time:
            call("reset test clock", "POST", CLOCK, 200, json={"reset": True})
            return True
        return False

    try:
        accepted = call(
            "care order (seed example)",
            "POST",
            f"{CARE}/careOrder",
            202,
            content=EXAMPLE.read_bytes(),  # verbatim, not re-serialized
            headers={
                "Content-Type": "application/json",
                "X-ATT-ClientId": CLIENT["client_id"],
                "X-ATT-MessageId": str(uuid.uuid4()),
                "X-ATT-ConversationId": f"orderhub-demo-{uuid.uuid4().hex[:12]}",
            },
        )
        order_path = f"{CARE}/careOrder/{accepted['id']}"
        wait_for("worker schedules it", order_path, ("scheduled", *FINAL))
        due = max(change["dueAt"] for change in accepted["changeRequests"])
        call("move test clock to due date", "POST", CLOCK, 200, json={"now": due})
        moved = True
        done = wait_for("worker applies it", order_path, FINAL)
        if done["status"] != "completed":
            failures = [c["failure"] for c in done["changeRequests"] if c["failure"]]
            raise DemoFailed(f"the care order ended {done['status']}: {failures}")
        ctns = sorted({change["ctn"] for change in done["changeRequests"]})
        lines = [call("subscriber", "GET", f"/inventory/v1/subscribers/{ctn}", 200) for ctn in ctns]
    except BaseException:
        with contextlib.suppress(DemoFailed, httpx.HTTPError):
            reset_clock()  # best effort; the first failure is the one to report
        raise
    return {
        "accepted": accepted,
        "careOrder": done,
        "subscribers": lines,
        "clockReset": reset_clock(),
    }

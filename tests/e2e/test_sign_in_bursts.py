"""Bursts of wrong sign-ins against a real server: it stays responsive and the locks hold.

An attack battery found that ~20 concurrent wrong portal sign-ins hung every request
(each held a connection while the hash ran, then asked the pool for a second), that
parallel guesses outran the portal's lock, and that consumer password checks ran on the
event loop. Here 150-request bursts hit a served process while a separate prober process
times /healthz throughout.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

from orderhub.bench.httpclient import Connection
from tests.api.b2b_helpers import SANDBOX_CLIENT, token_form
from tests.helpers import BASE

ONB = "/onboarding/v1"
BURST = 150
# Polls /healthz on one keep-alive connection every 10 ms until stdin closes, then
# prints the latencies (ms). A process of its own, so the burst's client does not
# delay its clock.
PROBER = r"""
import http.client, json, sys, threading, time, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
latencies = []
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
while not stop.is_set():
    started = time.perf_counter()
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
    latencies.append((time.perf_counter() - started) * 1000)
    time.sleep(0.01)
print(json.dumps(latencies))
"""


def _partner_headers(url: str) -> dict[str, str]:
    response = httpx.post(f"{url}/oauth/token", data=token_form(SANDBOX_CLIENT))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _portal_account(url: str, headers: dict[str, str], username: str) -> None:
    contact = {"firstName": "Casey", "lastName": "Jones", "email": "c@example.com"}
    body = {
        "customer": {"type": "residential", "firstName": "Casey", "lastName": "Jones"},
        "primaryContact": contact | {"phone": "2175550123"},
        "billingContact": contact | {"phone": "2175550123"},
        "portal": {"username": username, "password": "correct horse battery"},
    }
    response = httpx.post(f"{url}{ONB}/accounts", json=body, headers=headers, timeout=10)
    assert response.status_code == 201, response.text


async def _burst(url: str, calls: list[tuple[str, dict]]) -> list[tuple[int, str, float]]:
    """Send every call at once, each on its own connection; (status, problem code,
    seconds) per call. The bench's small client: httpx would spend more CPU sending the
    burst than the server spends answering it, on the same two cores."""

    async def one(path: str, kwargs: dict) -> tuple[int, str, float]:
        connection = Connection(url, timeout=60)
        started = time.perf_counter()
        try:
            response = await connection.request("POST", path, **kwargs)
        finally:
            connection.close()
        code = response.json().get("code", "") if response.status_code >= 400 else ""
        return response.status_code, code, time.perf_counter() - started

    return await asyncio.gather(*(one(path, kwargs) for path, kwargs in calls))


def _probed(url: str, calls: list[tuple[str, dict]]) -> tuple[list, list[float]]:
    prober = subprocess.Popen(
        [sys.executable, "-c", PROBER, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)  # a few quiet probes first
    results = asyncio.run(_burst(url, calls))
    time.sleep(0.3)
    out, _ = prober.communicate("", timeout=30)
    return results, json.loads(out)


def _p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98]


def _stayed_responsive(latencies: list[float]) -> bool:
    """/healthz answered under 100 ms at p95 and under 1 s always (the faults this guards
    against put it at 1.7 s median, or hung it for minutes). With a few dozen probes p99
    is the slowest one, which one scheduler hiccup of the suite beside it can push past
    100 ms on 2 cores (seen in CI: one probe of ~40 at 107-179 ms)."""
    if len(latencies) <= 20:
        return False  # too few probes to say
    p95 = statistics.quantiles(latencies, n=100)[94]
    return p95 < 100 and max(latencies) < 1000


def _burst_keeps_health_fast(
    url: str, calls_for: Callable[[int], list[tuple[str, dict]]], expect: Callable
) -> None:
    """Probe /healthz through a burst (`calls_for(attempt)`, fresh names each attempt),
    checking each burst's answers with `expect(results)`. Up to three bursts, for one to
    keep the bound: on a 2-core CI machine the test suite beside it can steal one 100 ms
    slice from the prober, where a server with the fault misses it by seconds on every
    burst."""
    misses = []
    for attempt in range(3):
        results, latencies = _probed(url, calls_for(attempt))
        expect(results)
        if _stayed_responsive(latencies):
            return
        misses.append(sorted(latencies)[-5:])
    raise AssertionError(f"/healthz slowed by the bursts: slowest probes {misses}")


def test_bursts_of_wrong_sign_ins_leave_health_checks_fast(serve):
    url = serve()
    headers = _partner_headers(url)

    # Given 150 concurrent wrong portal sign-ins for one account...
    def portal(attempt: int) -> list[tuple[str, dict]]:
        victim = f"burst.victim{attempt}"
        _portal_account(url, headers, victim)
        body = {"username": victim}
        return [
            (
                f"{ONB}/accounts/find-by-credentials",
                {"json": body | {"password": f"guess {i}"}, "headers": headers},
            )
            for i in range(BURST)
        ]

    # ...every one is answered 401 or 429 within seconds, at most five were checked,
    # and /healthz answered fast throughout.
    def portal_answers(results: list) -> None:
        assert {status for status, _, _ in results} <= {401, 429}, results
        assert max(seconds for _, _, seconds in results) < 10
        assert sum(status == 401 for status, _, _ in results) <= 5

    _burst_keeps_health_fast(url, portal, portal_answers)

    # Given 150 concurrent consumer password sign-ins: wrong passwords for a customer and
    # unknown usernames (each costs a full hash, so nobody learns who exists)...
    def consumer(attempt: int) -> list[tuple[str, dict]]:
        return [
            (
                f"{BASE}/v1/auth",
                {
                    "json": {
                        "method": "password",
                        "username": "alex.bell@example.com"
                        if i % 2
                        else f"nobody{attempt}-{i}@example.com",
                        "password": f"guess {i}",
                    }
                },
            )
            for i in range(BURST)
        ]

    def consumer_answers(results: list) -> None:
        assert {status for status, _, _ in results} <= {401, 429}, results
        assert max(seconds for _, _, seconds in results) < 10

    _burst_keeps_health_fast(url, consumer, consumer_answers)
    # The server is not wedged afterwards: a right password signs in at once.
    time.sleep(1.0)
    right = httpx.post(
        f"{url}{BASE}/v1/auth",
        json={
            "method": "password",
            "username": "jordan.lee@example.com",
            "password": "sandbox-Jordan-2026",
        },
        timeout=10,
    )
    assert right.status_code == 200, right.text


def test_parallel_guesses_never_outrun_the_lock(serve):
    url = serve()
    headers = _partner_headers(url)
    _portal_account(url, headers, "lock.target")

    # Given 12 guesses sent at once, the right password among 11 wrong ones...
    guesses = ["correct horse battery" if i == 7 else f"wrong {i}" for i in range(12)]
    calls = [
        (
            f"{ONB}/accounts/find-by-credentials",
            {"json": {"username": "lock.target", "password": p}, "headers": headers},
        )
        for p in guesses
    ]
    results = asyncio.run(_burst(url, calls))
    # ...at most the budget's five were checked (answered 200 or 401); the rest were
    # refused before any check.
    checked = [status for status, _, _ in results if status in (200, 401)]
    assert len(checked) <= 5, results
    assert all(code in ("sign_in_locked", "sign_in_busy") for s, code, _ in results if s == 429)

"""Against a real server process: the demo CLI, restarts, and a race over HTTP."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from orderhub.customers.models import Customer
from orderhub.ledger.models import Order
from orderhub.numbers.models import PhoneNumber
from tests.e2e.conftest import ORDERHUB
from tests.helpers import BASE, create_order, sign_in, submit_credit


def test_demo_command_submits_an_order_that_is_in_the_database(serve, database):
    url = serve()
    run = subprocess.run(
        [ORDERHUB, "demo", "--url", url], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    order_id = re.search(r"Submitted order (ord_\w+)", run.stdout).group(1)
    with database.transaction(write=False) as session:
        order = session.get(Order, order_id)
        assert order.status == "submitted" and order.customer_id == "cus_alex_bell"
        assert (
            session.scalar(
                select(func.count())
                .select_from(PhoneNumber)
                .where(PhoneNumber.order_id == order_id, PhoneNumber.status == "assigned")
            )
            == 1
        )


def test_a_second_start_adds_no_sandbox_data_twice(serve, database):
    def counts() -> tuple[int, int]:
        with database.transaction(write=False) as session:
            return (
                session.scalar(select(func.count()).select_from(Customer)),
                session.scalar(select(func.count()).select_from(PhoneNumber)),
            )

    serve()
    first = counts()
    url = serve()  # the same database again
    assert counts() == first
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}


def test_fifty_concurrent_requests_for_one_number_have_one_winner(serve, database):
    url = serve(workers=2)
    with httpx.Client(base_url=url, timeout=60) as client:
        headers = sign_in(client)
        orders = [create_order(client, headers) for _ in range(50)]
        for order in orders:  # numbers come after credit
            submit_credit(client, headers, order["id"])
    number = "9725551500"

    def reserve(order: dict) -> int:
        with httpx.Client(base_url=url, timeout=60) as c:
            return c.patch(
                f"{BASE}/v1/order/{order['id']}/number.reserve",
                headers=headers,
                json={"number": number, "itemId": order["items"][0]["id"]},
            ).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(reserve, orders))
    assert statuses.count(200) == 1, statuses
    assert statuses.count(409) == 49, statuses
    with database.transaction(write=False) as session:
        holder = session.scalar(select(PhoneNumber.order_id).where(PhoneNumber.number == number))
    assert holder == orders[statuses.index(200)]["id"]


def _concurrently(url: str, count: int, call) -> list[httpx.Response]:
    def one(_: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as c:
            return call(c)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_repeats_of_one_keyed_submit_all_get_the_first_answer(serve):
    from tests.helpers import ready_order

    url = serve(workers=3)
    with httpx.Client(base_url=url, timeout=60) as client:
        headers = sign_in(client)
        order = ready_order(client, headers)
    keyed = headers | {"Idempotency-Key": "submit-race"}
    answers = _concurrently(
        url,
        6,
        lambda c: c.post(f"{BASE}/v1/order/submit", headers=keyed, json={"orderId": order["id"]}),
    )
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert len({a.json()["confirmationNumber"] for a in answers}) == 1

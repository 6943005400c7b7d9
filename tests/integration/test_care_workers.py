"""Care-order workers apply each change request exactly once, and each line's in order.

Real `orderhub worker` processes run against the test's fresh database: two of them race
over 500 queued change requests of two partners, and one is killed mid-batch and another
finishes its work. What they did is compared with applying each line's changes in order,
in Python.
In process: applying a line or scheduling twice does nothing the second time, a line
another worker holds is skipped, and a line's changes keep their order however many
batches the worker schedules them in.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Row, func, select

from orderhub.adapters.messaging import SandboxMessenger
from orderhub.bench.server import ORDERHUB
from orderhub.careorders import service as care
from orderhub.careorders import worker
from orderhub.careorders.service import CARE_ORDERS, CHANGES
from orderhub.config import Settings
from orderhub.db import Database
from orderhub.identity.service import signing_key
from orderhub.ids import utcnow
from orderhub.inventory.service import (
    LINE_EVENTS,
    LINE_FEATURES,
    SUBSCRIBERS,
    NewLine,
    add_lines,
)
from orderhub.webhooks.service import EVENTS

PLAN = "mobile-select-pooled"
ORDER_SIZE = 100  # the most change requests one care order may hold
VOICEMAIL = "sku12037300058"  # no charge, no conflict group, sold with every plan
CALLING = "sku12037300066"  # recurring: every order consents to recurring charges
FINISH_SECONDS = 120.0


# -- Given: new lines and care orders queued for them -------------------------------------


@dataclass(frozen=True)
class Account:
    """A sandbox partner's mobility account (src/orderhub/sandbox/data/inventory.json)."""

    partner: str
    client: str
    fan: str
    group: str
    exchange: str  # the new lines' numbers: 469 <exchange> nnnn


BLUEBONNET = Account("prt_sandbox", "sandbox-partner", "81730304", "73001012763", "999")
GULF_COAST = Account("prt_sandbox_b", "sandbox-partner-b", "81730312", "73001012789", "998")

# Care orders in the order they arrive, each one account's change requests.
Plan = list[tuple[Account, list[dict[str, Any]]]]


def _key(database: Database, settings: Settings) -> bytes:
    """The key the worker processes use too (made now, so they never race to create it)."""
    with database.transaction() as session:
        return signing_key(session, settings)


def _new_lines(database: Database, count: int, account: Account = BLUEBONNET) -> list[str]:
    ctns = [f"469{account.exchange}{n:04d}" for n in range(count)]
    with database.transaction() as session:
        add_lines(
            session,
            lines=[
                NewLine(
                    ctn=ctn,
                    account_number=account.fan,
                    rate_plan_id=PLAN,
                    status="active",
                    account_group_id=account.group,
                    bill_cycle_day=1,
                )
                for ctn in ctns
            ],
            actor="test",
        )
    return ctns


def _change(ctn: str, turn: int, *, pauses: bool) -> dict[str, Any]:
    """The line's change number `turn`: labels that later turns overwrite, feature adds,
    and on pausing lines a suspend (turn 6) and a resume (turn 8) with a label between."""
    base = {"changeRequestId": f"{ctn}-{turn}", "ctn": ctn, "effectiveDate": "immediate"}
    if pauses and turn == 6:
        return base | {"type": "suspendSubscriber", "suspendServiceReason": "Lost"}
    if pauses and turn == 8:
        return base | {"type": "resumeSubscriber", "resumeServiceReason": "DeviceFound"}
    change = base | {
        "type": "updateSubscriber",
        "udl": [{"type": f"Label {turn % 3}", "value": f"{ctn}/{turn}"}],
    }
    if turn == 1:
        change["items"] = [{"id": VOICEMAIL, "action": "add"}]
    if turn == 3:  # the same feature again: replaces the one turn 1 added
        change |= {"items": [{"id": VOICEMAIL, "action": "add"}], "replaceDuplicateFeatures": True}
    if turn == 5:
        change["items"] = [{"id": CALLING, "action": "add"}]
    return change


def _plan(
    ctns: list[str], per_line: int, account: Account = BLUEBONNET, size: int = ORDER_SIZE
) -> Plan:
    """The account's care orders of `size` change requests: turn by turn over all the lines,
    so each order holds changes of many lines and each line's changes span several orders."""
    queue = [
        _change(ctn, turn, pauses=index % 5 == 0)
        for turn in range(per_line)
        for index, ctn in enumerate(ctns)
    ]
    return [(account, queue[start : start + size]) for start in range(0, len(queue), size)]


def _interleaved(*plans: Plan) -> Plan:
    """The accounts' orders arriving by turns: one of each, then the next of each."""
    return [order for order in chain(*zip_longest(*plans)) if order is not None]


def _changes(plan: Plan) -> list[dict[str, Any]]:
    return [change for _, changes in plan for change in changes]


def _accept(database: Database, plan: Plan, key: bytes) -> list[str]:
    """Accept each order, one after the other, a second apart; returns their ids. A resume
    is accepted because the suspend accepted before it is projected onto its line."""
    first = utcnow() - timedelta(hours=1)
    order_ids = []
    for number, (account, changes) in enumerate(plan):
        with database.transaction() as session:
            order, _ = care.accept(
                session,
                partner_id=account.partner,
                client_id=account.client,
                message_id=f"msg-{number}",
                conversation_id=None,
                request={
                    "foundationAccountNumber": account.fan,
                    "accountGroupId": account.group,
                    "consentToRecurringCharges": True,
                    "changeRequest": changes,
                },
                now=first + timedelta(seconds=number),
                key=key,
            )
        order_ids.append(order.id)
    return order_ids


# -- What applying each line's changes in order gives --------------------------------------


@dataclass
class Line:
    status: str = "active"
    udl: list[dict[str, str]] = field(default_factory=list)
    features: list[tuple[str, str]] = field(default_factory=list)  # (sku, status)
    history: list[str] = field(default_factory=list)  # change request ids, in order


def _expected(plan: Plan) -> dict[str, Line]:
    lines: dict[str, Line] = {}
    for change in _changes(plan):
        line = lines.setdefault(change["ctn"], Line())
        line.history.append(change["changeRequestId"])
        if change["type"] == "suspendSubscriber":
            line.status = "suspended"
        elif change["type"] == "resumeSubscriber":
            line.status = "active"
        for item in change.get("items", []):
            for index, (sku, status) in enumerate(line.features):
                if sku == item["id"] and status == "active":
                    line.features[index] = (sku, "removed")
            line.features.append((item["id"], "active"))
        labels = {label["type"]: label for label in line.udl}
        labels |= {label["type"]: label for label in change.get("udl", [])}
        line.udl = list(labels.values())
    return lines


# -- Then: what the database holds ---------------------------------------------------------


def _status_counts(database: Database, order_ids: list[str]) -> Counter[str]:
    with database.transaction(write=False) as session:
        rows = session.execute(
            select(CHANGES.c.status, func.count())
            .where(CHANGES.c.care_order_id.in_(order_ids))
            .group_by(CHANGES.c.status)
        )
        return Counter({status: count for status, count in rows})


def _outbox(database: Database, type: str) -> list[dict[str, Any]]:
    with database.transaction(write=False) as session:
        return list(
            session.execute(
                select(EVENTS.c.data).where(EVENTS.c.type == type).order_by(EVENTS.c.seq)
            )
            .scalars()
            .all()
        )


@dataclass
class Outcome:
    """What the database holds about the planned changes and their lines."""

    changes: dict[str, Row]  # by change id
    orders: dict[str, str]  # care order id -> status
    history: list[Row]  # the lines' history rows written by care orders, oldest first
    lines: dict[str, Row]
    features: dict[str, list[tuple[str, str]]]  # ctn -> (sku, status) of each feature row


def _outcome(database: Database, plan: Plan, order_ids: list[str]) -> Outcome:
    ctns = sorted({change["ctn"] for change in _changes(plan)})
    with database.transaction(write=False) as session:
        changes = session.execute(select(CHANGES).where(CHANGES.c.care_order_id.in_(order_ids)))
        orders = session.execute(
            select(CARE_ORDERS.c.id, CARE_ORDERS.c.status).where(CARE_ORDERS.c.id.in_(order_ids))
        )
        history = session.execute(
            select(LINE_EVENTS)
            .where(LINE_EVENTS.c.ctn.in_(ctns), LINE_EVENTS.c.type != "subscriber.created")
            .order_by(LINE_EVENTS.c.id)
        )
        lines = session.execute(select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn.in_(ctns)))
        outcome = Outcome(
            changes={row.id: row for row in changes},
            orders={row.id: row.status for row in orders},
            history=list(history),
            lines={row.ctn: row for row in lines},
            features={},
        )
        for row in session.execute(select(LINE_FEATURES).where(LINE_FEATURES.c.ctn.in_(ctns))):
            outcome.features.setdefault(row.ctn, []).append((row.sku, row.status))
    assert len(outcome.changes) == len(_changes(plan))
    return outcome


def _assert_each_change_done_once(database: Database, outcome: Outcome) -> None:
    """Nothing lost, nothing applied or published twice, whatever each change's outcome."""
    changes = outcome.changes
    left = [
        c.change_request_id for c in changes.values() if c.status not in ("completed", "failed")
    ]
    assert not left, f"{len(left)} changes were never finished, e.g. {left[:5]}"
    # One history row per applied change (written with its effect), none for a failed one.
    applied = Counter(row.data["changeId"] for row in outcome.history)
    completed = [id for id, change in changes.items() if change.status == "completed"]
    assert applied == dict.fromkeys(completed, 1), "changes applied more (or less) than once"
    assert all(
        row.type == f"subscriber.{changes[row.data['changeId']].type}" for row in outcome.history
    )
    # One event per move of each change: to scheduled, then to where it ended.
    moves = Counter(
        (event["changeId"], event["previousStatus"], event["status"])
        for event in _outbox(database, "care_change.status_changed")
    )
    assert moves == Counter(
        [(id, "received", "scheduled") for id in changes]
        + [(id, "scheduled", change.status) for id, change in changes.items()]
    )
    order_moves = [
        (event["careOrderId"], event["status"])
        for event in _outbox(database, "care_order.status_changed")
    ]
    assert len(order_moves) == len(set(order_moves)), "an order's move was published twice"
    assert dict(order_moves) == outcome.orders  # each order's last event says where it is


def _assert_lines_as_if_applied_in_order(outcome: Outcome, plan: Plan) -> None:
    """Every change completed, and each line is what applying its changes in order gives.

    The order is easily lost: a cycle of `worker.process_due` schedules at most
    `worker.BATCH` received changes, so one order's changes are scheduled over several
    cycles (or, on PostgreSQL, by two workers at once), and a line's scheduled changes
    must wait for its earlier ones still `received`. Out of order, a feature added just
    before a suspend fails ("The line is suspended"), and a label keeps an older value.
    """
    expected = _expected(plan)
    failed = [
        (c.change_request_id, c.failure_code, c.failure_detail)
        for c in outcome.changes.values()
        if c.status != "completed"
    ]
    assert not failed, f"{len(failed)} changes failed, e.g. {failed[:5]}"
    assert set(outcome.orders.values()) == {"completed"}
    seen: dict[str, list[str]] = {}
    for row in outcome.history:
        seen.setdefault(row.ctn, []).append(row.data["changeRequestId"])
    out_of_order = [ctn for ctn, line in expected.items() if seen.get(ctn) != line.history]
    assert not out_of_order, (
        f"{len(out_of_order)} of {len(expected)} lines saw their changes out of order, e.g. "
        f"{out_of_order[0]}: {seen.get(out_of_order[0])}"
    )
    assert {ctn: (row.status, row.udl) for ctn, row in outcome.lines.items()} == {
        ctn: (line.status, line.udl) for ctn, line in expected.items()
    }
    assert {ctn: sorted(rows) for ctn, rows in outcome.features.items()} == {
        ctn: sorted(line.features) for ctn, line in expected.items() if line.features
    }


def _assert_applied_once_in_order(database: Database, plan: Plan, order_ids: list[str]) -> None:
    outcome = _outcome(database, plan, order_ids)
    _assert_each_change_done_once(database, outcome)
    _assert_lines_as_if_applied_in_order(outcome, plan)


# -- Worker processes ----------------------------------------------------------------------


@dataclass
class Workers:
    """`orderhub worker` processes on the test's database, each logging to its own file."""

    database_url: str
    logs: Path
    started: list[tuple[subprocess.Popen, Path]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = os.environ | {
            "ORDERHUB_DATABASE_URL": self.database_url,
            "ORDERHUB_SANDBOX": "1",
            "ORDERHUB_WORKER_POLL_SECONDS": "0.05",
        }
        env.pop("ORDERHUB_SECRET_KEY", None)  # the key stored in the database, as the test's
        return env

    def start(self) -> subprocess.Popen:
        log = self.logs / f"worker-{len(self.started)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [ORDERHUB, "worker"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((process, log))
        return process

    def once(self) -> None:
        """`orderhub worker --once`: process everything due, then exit."""
        done = subprocess.run(
            [ORDERHUB, "worker", "--once"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=FINISH_SECONDS,
        )
        assert done.returncode == 0, f"worker --once failed:\n{done.stdout}\n{done.stderr}"

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the worker's own way out
        for process, _ in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def output(self) -> str:
        return "\n".join(
            f"--- worker {process.pid} (exit {process.returncode}) ---\n" + log.read_text()[-3000:]
            for process, log in self.started
        )

    def failures(self) -> list[str]:
        """The log lines of failed cycles or changes: a deadlock between workers, say."""
        return [
            line
            for _, log in self.started
            for line in log.read_text().splitlines()
            if "cycle failed" in line or "failed to apply" in line
        ]

    def wait_until_done(self, database: Database, order_ids: list[str]) -> None:
        """Until none of the orders' changes is left to schedule or apply; fails if a worker
        dies or it takes too long."""
        deadline = time.monotonic() + FINISH_SECONDS
        while True:
            counts = _status_counts(database, order_ids)
            if counts["received"] + counts["scheduled"] == 0:
                return
            dead = [p.pid for p, _ in self.started if p.poll() is not None]
            assert not dead, f"worker(s) {dead} exited; {counts}\n{self.output()}"
            assert time.monotonic() < deadline, (
                f"not done after {FINISH_SECONDS:.0f} s: {dict(counts)}\n{self.output()}"
            )
            time.sleep(0.05)


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[Workers]:
    running = Workers(database_url, tmp_path)
    yield running
    running.stop_all()
    print(running.output())  # shown with the test's report when it fails


# -- The tests -----------------------------------------------------------------------------


def test_two_workers_race_over_500_changes_of_two_partners_and_apply_each_once_in_order(
    database, settings, workers
):
    key = _key(database, settings)
    # 25 lines per partner, 10 changes each (5 lines also suspend and resume), in orders of
    # 30 arriving by turns: most of a worker's batches of 50 hold both partners' changes,
    # the one partner's first in some batches and the other's first in others.
    plan = _interleaved(
        *(
            _plan(_new_lines(database, 25, account), per_line=10, account=account, size=30)
            for account in (BLUEBONNET, GULF_COAST)
        )
    )
    order_ids = _accept(database, plan, key)
    assert _status_counts(database, order_ids) == {"received": 500}
    assert {account.partner for account, _ in plan[:2]} == {"prt_sandbox", "prt_sandbox_b"}

    workers.start()
    workers.start()
    workers.wait_until_done(database, order_ids)
    workers.stop_all()

    _assert_applied_once_in_order(database, plan, order_ids)
    assert workers.failures() == [], workers.output()


def test_a_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    database, settings, workers
):
    key = _key(database, settings)
    ctns = _new_lines(database, 40)
    plan = _plan(ctns, per_line=10)  # 4 orders of 100
    order_ids = _accept(database, plan, key)

    process = workers.start()
    deadline = time.monotonic() + FINISH_SECONDS
    while not (counts := _status_counts(database, order_ids))["completed"]:
        assert process.poll() is None, f"the worker exited\n{workers.output()}"
        assert time.monotonic() < deadline, f"nothing completed\n{workers.output()}"
        time.sleep(0.002)
    workers.kill(process)  # SIGKILL: whatever it had begun is left to the database to undo
    left = _status_counts(database, order_ids)
    assert left["received"] + left["scheduled"] > 0, (
        f"the worker finished before it was killed ({counts}): queue more changes"
    )

    workers.once()
    _assert_applied_once_in_order(database, plan, order_ids)
    published = len(_outbox(database, "care_change.status_changed"))
    workers.once()  # nothing is left to do: nothing moves, nothing is published
    assert len(_outbox(database, "care_change.status_changed")) == published


def test_applying_a_line_or_scheduling_twice_does_nothing_the_second_time(database, settings):
    key = _key(database, settings)
    [ctn] = _new_lines(database, 1)
    plan = _plan([ctn], per_line=6)  # one order: labels and three feature adds
    order_ids = _accept(database, plan, key)
    now = utcnow()

    with database.transaction() as session:
        scheduled = worker.schedule_received(session, now=now)
    with database.transaction() as session:
        again = (
            worker.schedule_received(session, now=now),
            worker.schedule_received(session, now=now),
        )
    assert (scheduled, again) == (6, (0, 0))
    assert len(_outbox(database, "care_change.status_changed")) == 6

    messenger = SandboxMessenger()
    with database.transaction() as session:
        applied = worker.apply_due_on_line(session, ctn=ctn, now=now, key=key, messenger=messenger)
    with database.transaction() as session:
        again = tuple(
            worker.apply_due_on_line(session, ctn=ctn, now=now, key=key, messenger=messenger)
            for _ in range(2)
        )
    assert (applied, again) == (6, (0, 0))
    _assert_applied_once_in_order(database, plan, order_ids)


def test_a_line_another_worker_holds_is_skipped_until_it_is_free(database, settings):
    if database.is_sqlite:
        pytest.skip("SQLite has one writer at a time: a second one waits, it never skips")
    key = _key(database, settings)
    [ctn] = _new_lines(database, 1)
    plan = _plan([ctn], per_line=3)
    order_ids = _accept(database, plan, key)
    now, messenger = utcnow(), SandboxMessenger()
    with database.transaction() as session:
        worker.schedule_received(session, now=now)

    with database.transaction() as holder:
        holder.execute(select(SUBSCRIBERS).where(SUBSCRIBERS.c.ctn == ctn).with_for_update())
        with database.transaction() as session:
            skipped = worker.apply_due_on_line(
                session, ctn=ctn, now=now, key=key, messenger=messenger
            )
    with database.transaction() as session:
        applied = worker.apply_due_on_line(session, ctn=ctn, now=now, key=key, messenger=messenger)
    assert (skipped, applied) == (0, 3)
    _assert_applied_once_in_order(database, plan, order_ids)


def test_a_lines_changes_apply_in_order_even_when_scheduled_over_several_batches(
    database, settings
):
    # More changes of one line in one order than the worker schedules per batch.
    key = _key(database, settings)
    [ctn] = _new_lines(database, 1)
    count = worker.BATCH + 10
    changes = [
        {
            "changeRequestId": f"{ctn}-{turn}",
            "ctn": ctn,
            "type": "updateSubscriber",
            "effectiveDate": "immediate",
            "udl": [{"type": "Seat", "value": str(turn)}],
        }
        for turn in range(count)
    ]
    plan = [(BLUEBONNET, changes)]
    order_ids = _accept(database, plan, key)

    asyncio.run(_process_until_idle(database, key, now=utcnow()))

    # Not scheduled in one batch, yet applied in order: see _assert_lines_as_if_applied_in_order.
    _assert_applied_once_in_order(database, plan, order_ids)


async def _process_until_idle(database: Database, key: bytes, *, now: datetime) -> None:
    """What `orderhub worker --once` does for care changes, in this process."""
    messenger = SandboxMessenger()
    while await worker.process_due(database, key=key, messenger=messenger, sandbox=True, now=now):
        pass

"""Starting and stopping the server processes under test, on free local ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from orderhub.bench import floor

READY_SECONDS = 60.0
STOP_SECONDS = 15.0
ORDERHUB = str(Path(sys.executable).with_name("orderhub"))


class ServerFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Running:
    url: str
    pid: int  # the root of the process tree: uvicorn's supervisor when workers > 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def orderhub_command(port: int, workers: int) -> list[str]:
    # `orderhub serve` exactly as an operator starts it: the bench measures the real thing.
    command = [ORDERHUB] if Path(ORDERHUB).exists() else [sys.executable, "-m", "orderhub"]
    return [
        *command,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]


def floor_command(port: int, workers: int) -> list[str]:
    # The same uvicorn settings `orderhub serve` uses below warning level: no access log.
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "orderhub.bench.floor:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


@contextmanager
def serving(
    app: str,
    *,
    database_url: str,
    workers: int,
    log: Path,
    background: bool = True,
    env: dict[str, str] | None = None,
) -> Iterator[Running]:
    """Run OrderHub (`app="orderhub"`) or the floor (`app="floor"`) until the block ends;
    `background=False` turns off the loops each `orderhub serve` process runs
    (ORDERHUB_WORKER_IN_SERVER=0), so only `orderhub worker` processes do that work;
    `env` adds settings (ORDERHUB_*) to the process's environment."""
    port = _free_port()
    env = _env(database_url) | (env or {})
    if not background:
        env["ORDERHUB_WORKER_IN_SERVER"] = "0"
    if app == "floor":
        floor.ensure_table(database_url)
        command = floor_command(port, workers)
        env[floor.URL_VARIABLE] = database_url
    else:
        command = orderhub_command(port, workers)
    with log.open("w") as out:
        # Its own process group, so that stopping it stops every worker it started.
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(process, url, log)
        yield Running(url, process.pid)
    finally:
        _stop(process)


def _env(database_url: str) -> dict[str, str]:
    return os.environ | {"ORDERHUB_DATABASE_URL": database_url, "ORDERHUB_SANDBOX": "1"}


@contextmanager
def working(*, database_url: str, count: int, log: Path) -> Iterator[list[int]]:
    """Run `count` `orderhub worker` processes until the block ends; yields their pids
    once each has logged that its loops run."""
    command = [ORDERHUB] if Path(ORDERHUB).exists() else [sys.executable, "-m", "orderhub"]
    processes, logs = [], [log.with_suffix(f".{n}.log") for n in range(count)]
    try:
        for path in logs:
            with path.open("w") as out:
                processes.append(
                    subprocess.Popen(
                        [*command, "worker"],
                        env=_env(database_url),
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        deadline = time.monotonic() + READY_SECONDS
        for process, path in zip(processes, logs, strict=True):
            # `orderhub worker` logs one line as its loops start (cli/serve.py).
            while "worker:" not in path.read_text():
                if process.poll() is not None:
                    raise ServerFailed(f"worker exited with {process.returncode}: {_tail(path)}")
                if time.monotonic() > deadline:
                    raise ServerFailed(f"worker not started after {READY_SECONDS:.0f} s")
                time.sleep(0.05)
        yield [p.pid for p in processes]
    finally:
        for process in processes:
            _stop(process)


def _wait_ready(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise ServerFailed(f"server not ready after {READY_SECONDS:.0f} s: {_tail(log)}")


def _stop(process: subprocess.Popen) -> None:
    # SIGTERM to the whole group: uvicorn's parent and workers shut down gracefully.
    # Should they hang, SIGKILL the group, so no worker outlives its server.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text().splitlines()[-lines:])
    except OSError:
        return "(no log)"

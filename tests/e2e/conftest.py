"""A real `orderhub serve` process on a free port, against the test's fresh database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ORDERHUB = str(Path(sys.executable).with_name("orderhub"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, *, workers: int = 1, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"ORDERHUB_DATABASE_URL": database_url, "ORDERHUB_SANDBOX": "1"}
    process = subprocess.Popen(
        [
            ORDERHUB,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so its workers stop with it
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"server did not become ready: {log.read_text()}")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server and every worker it started (the whole process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@pytest.fixture
def serve(database_url: str, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start servers on the test's database: `url = serve(workers=2)`; all stopped after."""
    processes: list[subprocess.Popen] = []

    def _start(workers: int = 1) -> str:
        process, url = start_server(
            database_url, workers=workers, log=tmp_path / f"server-{len(processes)}.log"
        )
        processes.append(process)
        return url

    yield _start
    for process in processes:
        stop_server(process)

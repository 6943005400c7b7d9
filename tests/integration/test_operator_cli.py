"""What an operator meets at the command line: one-line configuration errors with exit
code 2, `--version`, and a banner only once the port is bound."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from orderhub import __version__


def _orderhub(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ORDERHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "orderhub", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root@127.0.0.1/orders", "unsupported scheme 'mysql'; use sqlite:///"),
        ("not a url at all", "is not a database URL; use sqlite:///"),
        ("sqlite://", "names no SQLite file"),
        (
            "postgresql://orderhub:s3cret-pw@127.0.0.1:1/orders",
            "cannot reach the database at 127.0.0.1:1/orders",
        ),
    ],
)
def test_a_bad_database_url_is_one_line_and_exit_2(url, says):
    run = _orderhub("db", "upgrade", ORDERHUB_DATABASE_URL=url)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orderhub: "), run.stderr
    assert says in lines[0]
    assert "s3cret-pw" not in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def test_an_unopenable_sqlite_file_is_one_line(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "orderhub.db"
    run = _orderhub("serve", ORDERHUB_DATABASE_URL=f"sqlite:///{missing}")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"orderhub: cannot open the SQLite database '{missing}': unable to open database file"
    ]


def test_production_refuses_a_short_or_missing_secret_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'orderhub.db'}"
    short = _orderhub(
        "serve", ORDERHUB_DATABASE_URL=url, ORDERHUB_SANDBOX="0", ORDERHUB_SECRET_KEY="12345"
    )
    assert short.returncode == 2
    assert "at least 32 bytes" in short.stderr and "12345" not in short.stderr
    missing = _orderhub("serve", ORDERHUB_DATABASE_URL=url, ORDERHUB_SANDBOX="0")
    assert missing.returncode == 2 and "ORDERHUB_SECRET_KEY must be set" in missing.stderr


def test_an_unknown_log_format_is_refused(tmp_path):
    run = _orderhub(
        "serve", "--log-format", "xml", ORDERHUB_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert run.returncode == 2 and "'text' or 'json'" in run.stderr


def test_version():
    run = _orderhub("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"orderhub {__version__}"


def test_the_banner_comes_once_the_port_is_bound_and_not_when_it_cannot_be(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        run = _orderhub(
            "serve",
            "--port",
            str(port),
            ORDERHUB_DATABASE_URL=f"sqlite:///{tmp_path / 'orderhub.db'}",
        )
    finally:
        taken.close()
    assert run.returncode != 0
    assert f"OrderHub {__version__}" not in run.stdout + run.stderr


def test_when_the_banner_is_printed_the_port_answers(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ORDERHUB_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "orderhub", "serve", "--port", str(port)],
        env=clean | {"ORDERHUB_DATABASE_URL": f"sqlite:///{tmp_path / 'orderhub.db'}"},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in server.stderr:
            if f"OrderHub {__version__} (sandbox) on http://127.0.0.1:{port}" in line:
                break
        else:
            pytest.fail("no banner")
        # The banner says the port is bound: a connection made now is accepted.
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_a_setting_out_of_range_is_one_line_and_exit_2(tmp_path):
    run = _orderhub(
        "serve",
        ORDERHUB_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
        ORDERHUB_PASSWORD_CHECK_THREADS="0",
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines() == [
        "orderhub: ORDERHUB_PASSWORD_CHECK_THREADS must be at least 1, not 0."
    ]

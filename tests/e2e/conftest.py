"""A real `orderhub serve` process on a free port, against the test's fresh database.

Started and stopped by the same code the benchmark uses (orderhub.bench.server), so
both exercise the server exactly as an operator runs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from orderhub.bench.server import ORDERHUB, serving

__all__ = ["ORDERHUB"]


@pytest.fixture
def serve(database_url: str, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start servers on the test's database: `url = serve(workers=2)`; all stopped after."""
    started = itertools.count()
    with ExitStack() as servers:

        def _start(workers: int = 1) -> str:
            log = tmp_path / f"server-{next(started)}.log"
            running = servers.enter_context(
                serving("orderhub", database_url=database_url, workers=workers, log=log)
            )
            return running.url

        yield _start

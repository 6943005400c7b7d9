"""Running the API under uvicorn for `orderhub serve`: one process or a supervisor and
workers, our log format in every process, and the banner once the port is bound."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile

import uvicorn
from uvicorn.supervisors import Multiprocess

from orderhub import logs, metrics

log = logging.getLogger("orderhub")


class _AnnouncingServer(uvicorn.Server):
    """A single-process server that says where it listens only once it does."""

    def __init__(self, config: uvicorn.Config, banner: str) -> None:
        super().__init__(config)
        self._banner = banner

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            log.info(self._banner)


def run(
    *, host: str, port: int, workers: int, log_level: str, log_format: str, banner: str
) -> bool:
    """Serve until stopped; False when the server could not start (e.g. the port is taken)."""
    config = uvicorn.Config(
        "orderhub.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=logs.dict_config(level=log_level, fmt=log_format),
        log_level=log_level,
        # Our access line (surfaces/middleware.py) replaces uvicorn's.
        access_log=False,
    )
    if workers == 1:
        server = _AnnouncingServer(config, banner)
        server.run()
        return server.started
    # Each worker counts its own metrics into files here; a scrape of any one sums them.
    directory = tempfile.mkdtemp(prefix="orderhub-metrics-")
    os.environ[metrics.MULTIPROC_ENV] = directory
    try:
        sock = config.bind_socket()
        log.info(banner)
        Multiprocess(config, sockets=[sock]).run()
        return True
    finally:
        shutil.rmtree(directory, ignore_errors=True)

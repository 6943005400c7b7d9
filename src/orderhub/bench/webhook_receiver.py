"""A local webhook receiver for the `webhooks` scenario, inside the load generator.

It answers every POST with 204 and notes, per event id (deliveries are at least once),
when the delivery arrived and the event's `createdAt`. Arrival is taken once the body
is read, just before the 2xx goes out. The signature is checked as a receiver must
(docs/b2b.md): a delivery failing it is counted, never trusted.

Latency is measured from the event body's `createdAt`, not the `OrderHub-Timestamp`
header: `createdAt` is written by the publishing transaction just before it commits (the
commit follows within milliseconds), while the header is the moment the worker signed
that delivery attempt, in whole seconds, after the dispatch and the queue wait this
scenario exists to measure. Both ends read the same machine's clock.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import datetime

HEADER_END = b"\r\n\r\n"
ANSWER = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"


@dataclass
class Arrival:
    arrived: float  # time.time() when the delivery was read
    created: float  # the event's createdAt, as time.time() would have said
    subject: str


@dataclass
class Receiver:
    secret: str = ""  # set once the webhook is registered
    arrivals: dict[str, Arrival] = field(default_factory=dict)  # by event id
    duplicates: int = 0
    bad_signatures: int = 0
    _server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen on a free local port; returns it."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: the worker's client reuses its connection
                head = await reader.readuntil(HEADER_END)
                headers = {}
                for line in head[: -len(HEADER_END)].decode("latin-1").split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self._note(time.time(), headers, body)
                writer.write(ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the worker closed its connection
        finally:
            writer.close()

    def _note(self, arrived: float, headers: dict[str, str], body: bytes) -> None:
        timestamp = headers.get("orderhub-timestamp", "")
        expected = (
            "v1="
            + hmac.new(
                self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected, headers.get("orderhub-signature", "")):
            self.bad_signatures += 1
            return
        event = json.loads(body)
        if event["id"] in self.arrivals:
            self.duplicates += 1
            return
        created = datetime.fromisoformat(event["createdAt"].replace("Z", "+00:00"))
        self.arrivals[event["id"]] = Arrival(arrived, created.timestamp(), event["subject"])

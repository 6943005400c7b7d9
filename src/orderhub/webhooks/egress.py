"""Where the webhook worker may connect: the address it checked, and nothing else.

Checking a receiver's host name and then letting the HTTP client resolve it again leaves
a gap: a DNS answer that changes in between (rebinding) sends the delivery to an address
that was never checked, such as the cloud metadata service. So the worker's HTTP client
runs on a network backend that resolves each host once, refuses it unless every address
is public (webhooks/rules.public_address), and connects to the very address it checked.
TLS still verifies the certificate against the URL's host name.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from orderhub.webhooks import rules


class CheckedAddresses(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that passed the public-address check (any address,
    when `allow_private`: sandbox receivers run on localhost)."""

    def __init__(self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None):
        self.allow_private = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await self.checked_address(host, port)
        return await self._inner.connect_tcp(
            address,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def checked_address(self, host: str, port: int) -> str:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve the receiver's host: {exc}") from exc
        addresses = [info[4][0] for info in infos]
        if not addresses:
            raise httpcore.ConnectError("the receiver's host has no address")
        if not self.allow_private and not all(rules.public_address(a) for a in addresses):
            raise HostNotPublic("the receiver's host is not on the public internet")
        return addresses[0]

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhook receivers are reached over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class HostNotPublic(httpcore.ConnectError):
    pass


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, on the checked backend; no proxies from the environment (a
    proxy would connect to the receiver on our behalf, past the check)."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=CheckedAddresses(allow_private=allow_private),
        )


def client(*, allow_private: bool, timeout: float) -> httpx.AsyncClient:
    """The worker's HTTP client: checked addresses only, no redirects followed."""
    return httpx.AsyncClient(
        transport=CheckedTransport(allow_private=allow_private),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )

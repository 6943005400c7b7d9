"""The webhook client connects to the address it checked: no second DNS lookup between
the check and the connection (rebinding), and refused hosts are never connected to."""

from __future__ import annotations

import asyncio
import socket

import httpcore
import pytest

from orderhub.webhooks import egress


class Recorder(httpcore.AsyncNetworkBackend):
    """Stands in for the network: records where a connection was asked for."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        self.connected.append((host, port))
        raise httpcore.ConnectError("recorded, not connected")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _answers(monkeypatch, *batches: list[str]) -> list[str]:
    """Make DNS give `batches` in turn (a rebinding resolver); returns the lookups made."""
    looked_up: list[str] = []
    remaining = list(batches)

    async def getaddrinfo(self, host, port, *args, **kwargs):
        looked_up.append(host)
        addresses = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)
    return looked_up


def test_the_connection_goes_to_the_checked_address_with_one_lookup(monkeypatch):
    # Given a resolver that answers a public address, then the metadata address...
    looked_up = _answers(monkeypatch, ["93.184.216.34"], ["169.254.169.254"])
    network = Recorder()
    backend = egress.CheckedAddresses(allow_private=False, inner=network)
    # ...the one connection goes to the address that was checked, after one lookup.
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        asyncio.run(backend.connect_tcp("receiver.example", 443))
    assert network.connected == [("93.184.216.34", 443)]
    assert looked_up == ["receiver.example"]


@pytest.mark.parametrize(
    "addresses",
    [
        ["169.254.169.254"],
        ["93.184.216.34", "10.0.0.5"],  # one private answer among public ones
        ["64:ff9b::a9fe:a9fe"],
        ["2002:a9fe:a9fe::1"],
    ],
)
def test_a_host_with_any_private_address_is_never_connected_to(monkeypatch, addresses):
    _answers(monkeypatch, addresses)
    network = Recorder()
    backend = egress.CheckedAddresses(allow_private=False, inner=network)
    with pytest.raises(egress.HostNotPublic):
        asyncio.run(backend.connect_tcp("receiver.example", 443))
    assert network.connected == []


def test_the_sandbox_reaches_receivers_on_localhost(monkeypatch):
    _answers(monkeypatch, ["127.0.0.1"])
    network = Recorder()
    backend = egress.CheckedAddresses(allow_private=True, inner=network)
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        asyncio.run(backend.connect_tcp("localhost", 8080))
    assert network.connected == [("127.0.0.1", 8080)]

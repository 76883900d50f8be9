"""Suite-wide guard: tests may only talk to loopback addresses.

Name lookups of anything but localhost and connections or datagrams to non-loopback addresses
raise at once, before a packet leaves the machine, so an unnoticed real URL in a fixture fails
loudly instead of reaching the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.support import GatedServer, LoopbackServer

# fixtures shared by several test modules (`fake`: the fake Discord server)
pytest_plugins = ["tests.discord_fake"]

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto


class OffLoopbackError(OSError):
    """A test tried to reach something other than this machine."""


def _is_loopback_host(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    text = str(host).strip("[]").lower()
    if text in ("localhost", "localhost.", ""):
        return True
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check_address(address: Any) -> None:
    if isinstance(address, tuple) and address and not _is_loopback_host(address[0]):
        raise OffLoopbackError(f"test tried to reach {address[0]!r}: only loopback is allowed")


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback_host(host):
        raise socket.gaierror(socket.EAI_NONAME, f"name lookups are off in tests ({host!r})")
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _real_connect_ex(self, address)


def _guarded_sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and args:
        _check_address(args[-1])
    return _real_sendto(self, data, *args)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def loopback_only() -> Iterator[None]:
    """Install the guard for the whole run."""
    patches = pytest.MonkeyPatch()
    patches.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    patches.setattr(socket.socket, "connect", _guarded_connect)
    patches.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    patches.setattr(socket.socket, "sendto", _guarded_sendto)
    yield
    patches.undo()



@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    """A loopback HTTP server with no routes yet (modules needing routes at start define their own)."""
    srv = LoopbackServer()
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def gated() -> AsyncIterator[GatedServer]:
    """A loopback server whose gated pages wait for the test's say-so (opened at teardown, so a
    failed test leaves no request hanging)."""
    srv = GatedServer()
    await srv.start()
    yield srv
    for gate in srv.gates.values():
        gate.set()
    await srv.stop()


@pytest.fixture
def no_chat_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Discord or Slack token from the environment: config tests see only their files."""
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)

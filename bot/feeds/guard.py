"""The SSRF guard: refuse URLs and resolved addresses that must not be contacted.

``GuardedResolver`` wraps the session's resolver, so host names are checked *after* DNS
resolution and the connection uses exactly the checked addresses. A port no connection can be
made to (0, 99999, "abc") is refused first, in the config loader's words. Literal IP hosts never reach
a resolver, so ``checked_url`` checks those itself (and refuses ambiguous numeric hosts such as
"2130706433"); for a session without the guarded resolver it checks a best-effort lookup.
Hosts on the allow-list (an admin's, the tests' loopback server) skip the check.
"""

from __future__ import annotations

import asyncio
import re
import socket
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.errors import BlockedURLError, FetchError
from bot.feeds.failures import describe, short_url, web_address_hint
from bot.feeds.urls import blocked_address_reason, host_allowed, parse_ip

_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$", re.IGNORECASE)


class GuardedResolver(AbstractResolver):
    """Wraps a resolver and refuses host names that resolve to any non-public address."""

    def __init__(self, inner: AbstractResolver, allow_hosts: frozenset[str] = frozenset()) -> None:
        self._inner = inner
        self._allow_hosts = allow_hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if host_allowed(host, self._allow_hosts):
            return results
        for result in results:
            check_address(host, result["host"])
        return results

    async def close(self) -> None:
        await self._inner.close()


def check_address(host: str, address: str) -> None:
    """Raise BlockedURLError when ``host`` resolved to ``address`` that must not be contacted;
    the message says how an admin allows the host (``fetch.allow_hosts``)."""
    ip = parse_ip(address.split("%", 1)[0])
    reason = "unparseable" if ip is None else blocked_address_reason(ip)
    if reason is not None:
        article = "an" if reason[:1] in "aeiou" else "a"  # "an unspecified", "a private"
        what = "it is" if host == address else f"it resolves to {address},"
        raise BlockedURLError(
            f"refused {host}: {what} {article} {reason} address ({allow_hint(host)})"
        )


def allow_hint(host: str) -> str:
    """How an admin lets the bot fetch from ``host`` although the guard refuses it."""
    return f'an admin can allow it by adding "{host}" to fetch.allow_hosts in the config'


async def checked_url(session: aiohttp.ClientSession, url: str, allow_hosts: frozenset[str]) -> URL:
    """Parse ``url`` and refuse it unless it is http(s) to a public (or allow-listed) host."""
    if unbracketed_ipv6(url):
        raise BlockedURLError(
            f"refused {short_url(url)}: an IPv6 address must be written in brackets "
            "(http://[::1]:8080/feed.xml)"
        )
    port = impossible_port(url)
    if port is not None:
        raise BlockedURLError(
            f"refused {short_url(url)}: its port {port!r} is not a number from 1 to 65535"
        )
    try:
        target = URL(url)
    except (ValueError, TypeError) as exc:
        raise BlockedURLError(f"refused {short_url(url)}: it is not a valid URL") from exc
    scheme = (target.scheme or "").lower()
    if scheme not in ("http", "https"):
        hint = web_address_hint(url)  # "localhost:8080/feed.xml": a host and a port
        if hint:
            raise BlockedURLError(
                f"refused {short_url(url)}: it does not start with http:// or https://{hint}"
            )
        what = f"the {scheme}: scheme" if scheme else "a URL without a scheme"
        raise BlockedURLError(f"refused {short_url(url)}: {what} is not allowed (http/https only)")
    host = target.raw_host or ""
    if not host:
        raise BlockedURLError(f"refused {short_url(url)}: the URL has no host")
    if host_allowed(host, allow_hosts):
        return target
    ip = parse_ip(host)
    if ip is not None:
        check_address(host, str(ip))
    elif _NUMERIC_HOST.match(host):
        # "2130706433", "0x7f.1", "127.1": resolvers read these as IPs; refuse the ambiguity.
        raise BlockedURLError(
            f"refused {short_url(url)}: {host} is not a canonical IP address{_canonical_hint(host)}"
        )
    elif not _is_guarded(session):
        await _precheck_dns(host, target.port or 0)
    return target


def _host_and_port(url: str) -> str | None:
    """The "host:port" part of an http(s) ``url`` (no user info), or None for other URLs."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1/feed": the URL parser below says it is not valid
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    return parts.netloc.rpartition("@")[2]


def unbracketed_ipv6(url: str) -> bool:
    """An http(s) ``url`` whose host is an IPv6 address written without brackets ("http://::1/a")."""
    hostport = _host_and_port(url)
    # several colons, and before the first one at most four hex digits ("::1", "fe80::1")
    return (
        hostport is not None
        and hostport.count(":") > 1
        and re.fullmatch(r"[0-9A-Fa-f]{0,4}", hostport.split(":", 1)[0]) is not None
    )


def impossible_port(url: str) -> str | None:
    """The port written in an http(s) ``url`` when no connection can ever be made to it (not a
    number from 1 to 65535: "0", "99999", "abc"), else None. A missing port or "host:" with
    nothing after the colon means the scheme's default port; the config loader applies the same
    rule to the feeds it lists."""
    hostport = _host_and_port(url)
    if hostport is None or unbracketed_ipv6(url):
        return None
    if hostport.startswith("["):  # "[::1]:8080": the port follows the bracket
        hostport = hostport.rpartition("]")[2]
    port = hostport.partition(":")[2]
    if port == "" or (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return None
    return port


def _canonical_hint(host: str) -> str:
    """" (write it as 127.0.0.1)" for a host a resolver would read as that IPv4 address."""
    try:
        canonical = socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
    except (OSError, ValueError):
        return ""
    return f" (write it as {canonical})"


def _is_guarded(session: aiohttp.ClientSession) -> bool:
    """True when the session's connector resolves through GuardedResolver (see make_session)."""
    connector = session.connector
    return isinstance(getattr(connector, "_resolver", None), GuardedResolver)


async def _precheck_dns(host: str, port: int) -> None:
    """Best-effort check for sessions not made by make_session (the guarded one is preferred)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"could not resolve {host}: {describe(exc)}") from exc
    for info in infos:
        check_address(host, str(info[4][0]))

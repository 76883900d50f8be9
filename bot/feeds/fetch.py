"""The one network edge: GET a feed or an article page safely, or read a local file.

``fetch`` follows redirects by hand (each hop re-checked), sends conditional GET validators,
decompresses gzip/deflate itself so the size cap also holds after decompression
(``bot.feeds.body``), enforces connect/read timeouts plus a total deadline, and turns every
failure into a ``FetchError`` (``BlockedURLError`` when the URL is refused before connecting;
wording in ``bot.feeds.failures``). Local paths and file:// URLs are read by ``bot.feeds.local``.

SSRF guard (``bot.feeds.guard``): ``make_session`` installs ``GuardedResolver`` in the
session's connector, so host names are checked *after* DNS resolution and the connection uses
exactly the checked addresses. Literal IP hosts never reach a resolver, so each hop's URL is
checked before connecting. Hosts listed in ``FetchLimits.allow_hosts`` (an admin's allow-list,
the tests' loopback server) skip the check.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver
from multidict import CIMultiDict, CIMultiDictProxy

from bot.errors import BlockedURLError, FetchError, NewsbotError
from bot.feeds.body import read_body
from bot.feeds.failures import (
    check_status,
    describe,
    not_a_local_file_here,
    parse_retry_after,
    short_url,
)
from bot.feeds.guard import GuardedResolver, check_address, checked_url
from bot.feeds.local import local_path, read_local

__all__ = [
    "FetchLimits",
    "FetchResult",
    "GuardedResolver",
    "check_address",
    "fetch",
    "make_session",
    "parse_retry_after",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchLimits:
    """How far one fetch may go. ``allow_hosts`` skips the SSRF guard for those host names."""

    max_bytes: int = 10_000_000
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    user_agent: str = "Newsbot/0.1 (+self-hosted news bot)"
    allow_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned. ``url`` is the final URL after redirects (a file:// URI for files)."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str]
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


def make_session(limits: FetchLimits, *, resolver: AbstractResolver | None = None) -> aiohttp.ClientSession:
    """An aiohttp session whose connector refuses private addresses after DNS resolution.

    Must be called inside a running event loop; the caller closes it.
    """
    guarded = GuardedResolver(resolver or aiohttp.ThreadedResolver(), limits.allow_hosts)
    connector = aiohttp.TCPConnector(resolver=guarded, limit=20, limit_per_host=4)
    timeout = aiohttp.ClientTimeout(
        total=limits.total_timeout,
        connect=limits.connect_timeout,
        sock_read=limits.read_timeout,
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers={"User-Agent": limits.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        auto_decompress=False,
    )


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    limits: FetchLimits,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    allow_local: bool = True,
) -> FetchResult:
    """GET ``url`` (http/https) or read it as a local path / file:// URL.

    ``allow_local=False`` refuses paths and file:// URLs: pass it for URLs that come from chat
    users or from remote documents. Raises FetchError / BlockedURLError with a one-line message.
    """
    url = url.strip()
    path = local_path(url)
    if path is not None:
        if not allow_local:
            raise BlockedURLError(not_a_local_file_here(url))
        uri, body = await read_local(path, limits.max_bytes, limits.total_timeout)
        # a local file: status 200, no validators
        return FetchResult(
            url=uri,
            status=200,
            body=body,
            headers=CIMultiDictProxy(CIMultiDict()),
            etag=None,
            last_modified=None,
            not_modified=False,
        )
    deadline = asyncio.timeout(limits.total_timeout)
    try:
        async with deadline:
            return await _follow(session, url, limits, etag, last_modified, accept)
    except NewsbotError:
        raise
    except TimeoutError as exc:
        if deadline.expired():
            raise FetchError(
                f"{short_url(url)}: no complete answer within the {limits.total_timeout:g} s"
                " total deadline"
            ) from exc
        raise FetchError(
            f"{short_url(url)}: the server was too slow to connect or to send data"
        ) from exc
    except aiohttp.ClientError as exc:
        raise FetchError(f"could not fetch {short_url(url)}: {describe(exc)}") from exc
    except (OSError, ValueError, UnicodeError, zlib.error) as exc:
        raise FetchError(f"could not fetch {short_url(url)}: {describe(exc)}") from exc


async def _follow(
    session: aiohttp.ClientSession,
    url: str,
    limits: FetchLimits,
    etag: str | None,
    last_modified: str | None,
    accept: str | None,
) -> FetchResult:
    """Request ``url``, following at most ``limits.max_redirects`` redirects, each re-checked."""
    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"}
    if accept:
        headers["Accept"] = accept
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(
        total=None,  # the caller's asyncio.timeout is the one total deadline
        connect=limits.connect_timeout,
        sock_connect=limits.connect_timeout,
        sock_read=limits.read_timeout,
    )
    current = url
    for _hop in range(limits.max_redirects + 1):
        target = await checked_url(session, current, limits.allow_hosts)
        async with session.get(
            target,
            headers=headers,
            allow_redirects=False,
            auto_decompress=False,
            timeout=timeout,
        ) as resp:
            if resp.status in _REDIRECTS:
                location = resp.headers.get("Location", "").strip()
                if not location:
                    raise FetchError(
                        f"{short_url(current)}: HTTP {resp.status} redirect without a Location",
                        status=resp.status,
                    )
                current = urljoin(str(resp.url), location)
                continue
            # The body we return is decoded, so its transfer-level headers no longer apply.
            kept = CIMultiDict(resp.headers)
            for name in ("Content-Encoding", "Content-Length", "Transfer-Encoding"):
                kept.popall(name, None)
            response_headers = CIMultiDictProxy(kept)
            final = str(resp.url)
            if resp.status == 304:
                return FetchResult(
                    url=final,
                    status=304,
                    body=b"",
                    headers=response_headers,
                    etag=resp.headers.get("ETag") or etag,
                    last_modified=resp.headers.get("Last-Modified") or last_modified,
                    not_modified=True,
                )
            check_status(resp.status, resp.reason, resp.headers.get("Retry-After"), final)
            body = await read_body(resp, limits.max_bytes, final)
            return FetchResult(
                url=final,
                status=resp.status,
                body=body,
                headers=response_headers,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
                not_modified=False,
            )
    hops = limits.max_redirects
    raise FetchError(f"{short_url(url)}: more than {hops} redirect{'' if hops == 1 else 's'}")

"""The one network edge: GET a feed or an article page safely, or read a local file.

``fetch`` follows redirects by hand (each hop re-checked), sends conditional GET validators,
decompresses gzip/deflate itself so the size cap also holds after decompression, enforces
connect/read timeouts plus a total deadline, and turns every failure into a ``FetchError``
(``BlockedURLError`` when the URL is refused before connecting).

SSRF guard: ``make_session`` installs ``GuardedResolver`` in the session's connector, so host
names are checked *after* DNS resolution and the connection uses exactly the checked addresses.
Literal IP hosts never reach a resolver, so ``fetch`` checks those itself. Hosts listed in
``FetchLimits.allow_hosts`` (an admin's allow-list, the tests' loopback server) skip the check.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import re
import socket
import stat
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot.errors import BlockedURLError, FetchError, NewsbotError
from bot.feeds.urls import blocked_address_reason, host_allowed, parse_ip

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_MAX_GZIP_MEMBERS = 64
_MAX_RETRY_AFTER = 7 * 24 * 3600.0
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$", re.IGNORECASE)


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
    """Raise BlockedURLError when ``host`` resolved to ``address`` that must not be contacted."""
    ip = parse_ip(address.split("%", 1)[0])
    reason = "unparseable address" if ip is None else blocked_address_reason(ip)
    if reason is not None:
        raise BlockedURLError(f"refused {host}: it resolves to {address}, a {reason} address")


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
    path = _local_path(url)
    if path is not None:
        if not allow_local:
            raise BlockedURLError(f"refused {_short(url)}: local files may not be fetched here")
        return await _read_local(path, limits)
    deadline = asyncio.timeout(limits.total_timeout)
    try:
        async with deadline:
            return await _follow(session, url, limits, etag, last_modified, accept)
    except NewsbotError:
        raise
    except TimeoutError as exc:
        if deadline.expired():
            raise FetchError(
                f"gave up on {_short(url)} after the {limits.total_timeout:g} s total deadline"
            ) from exc
        raise FetchError(f"timed out connecting to or reading {_short(url)}") from exc
    except aiohttp.ClientError as exc:
        raise FetchError(f"could not fetch {_short(url)}: {_describe(exc)}") from exc
    except (OSError, ValueError, UnicodeError, zlib.error) as exc:
        raise FetchError(f"could not fetch {_short(url)}: {_describe(exc)}") from exc


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
        target = await _checked_url(session, current, limits)
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
                        f"{_short(current)}: HTTP {resp.status} redirect without a Location",
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
            _check_status(resp.status, resp.reason, resp.headers.get("Retry-After"), final)
            body = await _read_body(resp, limits.max_bytes, final)
            return FetchResult(
                url=final,
                status=resp.status,
                body=body,
                headers=response_headers,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
                not_modified=False,
            )
    raise FetchError(f"{_short(url)}: more than {limits.max_redirects} redirects")


async def _checked_url(session: aiohttp.ClientSession, url: str, limits: FetchLimits) -> URL:
    """Parse ``url`` and refuse it unless it is http(s) to a public (or allow-listed) host."""
    try:
        target = URL(url)
    except (ValueError, TypeError) as exc:
        raise BlockedURLError(f"refused {_short(url)}: not a valid URL") from exc
    scheme = (target.scheme or "").lower()
    if scheme not in ("http", "https"):
        what = f"the {scheme}: scheme" if scheme else "a URL without a scheme"
        raise BlockedURLError(f"refused {_short(url)}: {what} is not allowed (http/https only)")
    host = target.raw_host or ""
    if not host:
        raise BlockedURLError(f"refused {_short(url)}: the URL has no host")
    if host_allowed(host, limits.allow_hosts):
        return target
    ip = parse_ip(host)
    if ip is not None:
        check_address(host, str(ip))
    elif _NUMERIC_HOST.match(host):
        # "2130706433", "0x7f.1", "127.1": resolvers read these as IPs; refuse the ambiguity.
        raise BlockedURLError(f"refused {_short(url)}: {host} is not a canonical IP address")
    elif not _is_guarded(session):
        await _precheck_dns(host, target.port or 0)
    return target


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
        raise FetchError(f"could not resolve {host}: {_describe(exc)}") from exc
    for info in infos:
        check_address(host, str(info[4][0]))


def _check_status(status: int, reason: str | None, retry_after: str | None, url: str) -> None:
    """Raise the FetchError that a non-success status means."""
    if 200 <= status < 300:
        return
    label = f"HTTP {status}" + (f" {reason}" if reason else "")
    if status in (429, 503):
        delay = parse_retry_after(retry_after)
        hint = f" (retry after {delay:g} s)" if delay is not None else ""
        raise FetchError(f"{_short(url)}: {label}{hint}", status=status, retry_after=delay)
    if status == 410:
        raise FetchError(
            f"{_short(url)}: {label}: the server says it is gone for good",
            status=status,
            permanent=True,
        )
    raise FetchError(f"{_short(url)}: {label}", status=status)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), _MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return min(max(0.0, when.timestamp() - current), _MAX_RETRY_AFTER)


async def _read_body(resp: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
    """Read and decode the body, never holding more than ``max_bytes`` (+1) of it."""
    too_large = f"{_short(url)}: the response is larger than the {max_bytes}-byte limit"
    if resp.content_length is not None and resp.content_length > max_bytes:
        raise FetchError(too_large)
    coding = resp.headers.get("Content-Encoding", "").strip().lower()
    inflater = _Inflater(coding, max_bytes, url) if coding not in ("", "identity") else None
    out = bytearray()
    received = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(too_large)
        if inflater is None:
            out += chunk
        else:
            inflater.feed(chunk, out)
    if inflater is not None:
        inflater.finish(out)
    return bytes(out)


class _Inflater:
    """Bounded gzip/deflate decoder: output beyond the limit raises instead of growing."""

    def __init__(self, coding: str, limit: int, url: str) -> None:
        if coding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif coding == "deflate":
            self._wbits = 0  # decided on the first byte: zlib-wrapped or raw deflate
        else:
            raise FetchError(f"{_short(url)}: unsupported Content-Encoding {coding!r}")
        self._limit = limit
        self._url = url
        self._members = 0
        self._decoder: zlib._Decompress | None = None

    def _new_decoder(self, first: bytes) -> zlib._Decompress:
        self._members += 1
        if self._members > _MAX_GZIP_MEMBERS:
            raise FetchError(f"{_short(self._url)}: too many gzip members")
        wbits = self._wbits
        if wbits == 0:
            wbits = zlib.MAX_WBITS if first[:1] == b"\x78" else -zlib.MAX_WBITS
        return zlib.decompressobj(wbits)

    def feed(self, data: bytes, out: bytearray) -> None:
        try:
            self._feed(data, out)
        except zlib.error as exc:
            raise FetchError(f"{_short(self._url)}: corrupt compressed body ({exc})") from exc

    def _feed(self, data: bytes, out: bytearray) -> None:
        pending = data
        while pending:
            if self._decoder is None:
                self._decoder = self._new_decoder(pending)
            decoder = self._decoder
            # max_length bounds the output: a tiny compressed chunk cannot balloon in memory.
            self._add(out, decoder.decompress(pending, self._limit - len(out) + 1))
            pending = decoder.unconsumed_tail
            if decoder.eof:
                self._decoder = None
                pending = decoder.unused_data
                if self._wbits != 16 + zlib.MAX_WBITS or not pending.strip(b"\x00"):
                    return  # trailing padding, or bytes after a deflate stream: ignored

    def _add(self, out: bytearray, data: bytes) -> None:
        out += data
        if len(out) > self._limit:
            raise FetchError(
                f"{_short(self._url)}: the body is larger than the {self._limit}-byte limit once decompressed"
            )

    def finish(self, out: bytearray) -> None:
        if self._decoder is not None:
            try:
                self._add(out, self._decoder.flush())
            except zlib.error as exc:
                raise FetchError(f"{_short(self._url)}: corrupt compressed body ({exc})") from exc


def _local_path(url: str) -> Path | None:
    """The path ``url`` names when it is a local path or file:// URL, else None."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise BlockedURLError(f"refused {_short(url)}: file URLs may not name a host")
        return Path(url2pathname(parts.path))
    if scheme == "" or (len(scheme) == 1 and os.name == "nt"):
        return Path(url).expanduser()
    return None


async def _read_local(path: Path, limits: FetchLimits) -> FetchResult:
    """Read a local regular file under the same size cap; status 200, no validators."""
    try:
        uri, body = await asyncio.wait_for(
            asyncio.to_thread(_read_file, path, limits.max_bytes), limits.total_timeout
        )
    except TimeoutError as exc:
        raise FetchError(f"timed out reading {path}") from exc
    return FetchResult(
        url=uri,
        status=200,
        body=body,
        headers=CIMultiDictProxy(CIMultiDict()),
        etag=None,
        last_modified=None,
        not_modified=False,
    )


def _read_file(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """(file:// URI, bytes) of a regular file no larger than ``max_bytes``."""
    try:
        uri = path.resolve().as_uri()
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise FetchError(f"{path} is larger than the {max_bytes}-byte limit")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FetchError(f"{path}: no such file") from exc
    except OSError as exc:
        raise FetchError(f"could not read {path}: {_describe(exc)}") from exc
    if len(data) > max_bytes:
        raise FetchError(f"{path} is larger than the {max_bytes}-byte limit")
    return uri, data


def _describe(exc: BaseException) -> str:
    """One short line naming the error, in plain words for the common network failures."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"the host {exc.host} was not found (DNS lookup failed)"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return f"the TLS certificate of {exc.host} is not valid"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"could not connect to {exc.host} port {exc.port} ({exc.strerror or 'refused'})"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    if exc.__class__.__name__ not in text:
        text = f"{exc.__class__.__name__}: {text}"
    return text[:300]


def _short(url: str) -> str:
    """A URL shortened for one-line messages."""
    clean = " ".join(url.split())
    return clean if len(clean) <= 200 else clean[:197] + "..."

"""The network edge against a misbehaving loopback server, local files and the SSRF guard.

Only 127.0.0.1 is ever contacted. SSRF tests use a stub resolver that maps made-up host names
to private addresses, and they replace the socket-connect step with a recorder that refuses
everything, so even a broken guard could not send a packet anywhere.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import re
import socket
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import aiohappyeyeballs
import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer

from bot.errors import BlockedURLError, FetchError
from bot.feeds.fetch import FetchLimits, FetchResult, fetch, make_session, parse_retry_after

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"
LOOPBACK = frozenset({"127.0.0.1", "localhost"})


def _limits(**changes: Any) -> FetchLimits:
    base: dict[str, Any] = {"allow_hosts": LOOPBACK, "total_timeout": 10.0, "read_timeout": 5.0}
    base.update(changes)
    return FetchLimits(**base)


async def _feed(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == '"v1"':
        return web.Response(status=304, headers={"ETag": '"v1"'})
    if request.headers.get("If-Modified-Since") == "Wed, 01 Jan 2025 00:00:00 GMT":
        return web.Response(status=304)
    return web.Response(
        body=FEED,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
    )


async def _gzip(request: web.Request) -> web.Response:
    return web.Response(body=gzip.compress(FEED), headers={"Content-Encoding": "gzip"})


async def _deflate(request: web.Request) -> web.Response:
    return web.Response(body=zlib.compress(FEED), headers={"Content-Encoding": "deflate"})


async def _big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * 5000)


async def _big_chunked(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse()
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    for _ in range(10):
        await resp.write(b"y" * 1000)
    await resp.write_eof()
    return resp


@functools.cache
def _bomb_body() -> bytes:
    """20 MB of zeros, about 20 KB once gzipped."""
    return gzip.compress(b"\0" * 20_000_000, compresslevel=9)


async def _bomb(request: web.Request) -> web.Response:
    body = _bomb_body()
    return web.Response(body=body, headers={"Content-Encoding": "gzip"})


async def _drip(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse()
    resp.content_length = 1_000_000
    await resp.prepare(request)
    for _ in range(1000):
        await resp.write(b"<")
        await asyncio.sleep(0.1)
    return resp


async def _silent(request: web.Request) -> web.Response:
    await asyncio.sleep(5)
    return web.Response(body=FEED)


async def _redirect(request: web.Request) -> web.Response:
    hops = int(request.match_info["n"])
    target = "/feed" if hops <= 1 else f"/redirect/{hops - 1}"
    raise web.HTTPFound(target)


async def _to_private_ip(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://10.0.0.5/feed")


async def _to_metadata_name(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://metadata.internal.test/latest/meta-data/")


async def _to_file(request: web.Request) -> web.Response:
    raise web.HTTPFound("file:///etc/passwd")


async def _status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    headers = {}
    if code == 429:
        headers["Retry-After"] = "120"
    if code == 503:
        headers["Retry-After"] = formatdate(time.time() + 300, usegmt=True)
    return web.Response(status=code, text="no", headers=headers)


async def _echo_ua(request: web.Request) -> web.Response:
    return web.Response(text=request.headers.get("User-Agent", ""))


@pytest.fixture
async def server() -> AsyncIterator[TestServer]:
    app = web.Application()
    app.router.add_get("/feed", _feed)
    app.router.add_get("/gzip", _gzip)
    app.router.add_get("/deflate", _deflate)
    app.router.add_get("/big", _big)
    app.router.add_get("/big-chunked", _big_chunked)
    app.router.add_get("/bomb", _bomb)
    app.router.add_get("/drip", _drip)
    app.router.add_get("/silent", _silent)
    app.router.add_get("/redirect/{n}", _redirect)
    app.router.add_get("/to-private-ip", _to_private_ip)
    app.router.add_get("/to-metadata-name", _to_metadata_name)
    app.router.add_get("/to-file", _to_file)
    app.router.add_get("/status/{code}", _status)
    app.router.add_get("/ua", _echo_ua)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    yield srv
    await srv.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    sess = make_session(_limits())
    yield sess
    await sess.close()


def _url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


async def test_plain_get_returns_body_validators_and_final_url(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    result = await fetch(session, _url(server, "/feed"), limits=_limits())
    assert isinstance(result, FetchResult)
    assert (result.status, result.body, result.not_modified) == (200, FEED, False)
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert result.headers["content-type"] == "application/rss+xml"
    assert result.url == _url(server, "/feed")


async def test_conditional_get_etag_gives_304(server: TestServer, session: aiohttp.ClientSession) -> None:
    result = await fetch(session, _url(server, "/feed"), limits=_limits(), etag='"v1"')
    assert result.not_modified and result.status == 304 and result.body == b""
    assert result.etag == '"v1"'


async def test_conditional_get_last_modified_keeps_validator(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    stamp = "Wed, 01 Jan 2025 00:00:00 GMT"
    result = await fetch(session, _url(server, "/feed"), limits=_limits(), last_modified=stamp)
    assert result.not_modified
    assert result.last_modified == stamp


@pytest.mark.parametrize("path", ["/gzip", "/deflate"])
async def test_compressed_bodies_are_decoded(
    server: TestServer, session: aiohttp.ClientSession, path: str
) -> None:
    result = await fetch(session, _url(server, path), limits=_limits())
    assert result.body == FEED
    assert "Content-Encoding" not in result.headers  # the body is already decoded


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_size_cap(server: TestServer, session: aiohttp.ClientSession, path: str) -> None:
    with pytest.raises(FetchError, match="larger than the 1000-byte limit"):
        await fetch(session, _url(server, path), limits=_limits(max_bytes=1000))


async def test_gzip_bomb_is_capped_after_decompression(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    limits = _limits(max_bytes=1_000_000)
    with pytest.raises(FetchError, match="once decompressed"):
        await fetch(session, _url(server, "/bomb"), limits=limits)


async def test_slow_drip_hits_total_deadline(server: TestServer, session: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="total deadline"):
        await fetch(session, _url(server, "/drip"), limits=_limits(total_timeout=0.8))
    assert time.monotonic() - started < 5


async def test_silent_server_hits_read_timeout(server: TestServer, session: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow to connect or to send data"):
        await fetch(session, _url(server, "/silent"), limits=_limits(read_timeout=0.3))
    assert time.monotonic() - started < 3


async def test_redirects_followed_up_to_limit(server: TestServer, session: aiohttp.ClientSession) -> None:
    result = await fetch(session, _url(server, "/redirect/3"), limits=_limits(max_redirects=3))
    assert result.body == FEED and result.url.endswith("/feed")
    with pytest.raises(FetchError, match="more than 2 redirects"):
        await fetch(session, _url(server, "/redirect/3"), limits=_limits(max_redirects=2))
    with pytest.raises(FetchError, match=r"more than 1 redirect$"):  # not "1 redirects"
        await fetch(session, _url(server, "/redirect/3"), limits=_limits(max_redirects=1))


async def test_redirect_into_private_ip_is_blocked(
    server: TestServer, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(BlockedURLError, match=re.escape("10.0.0.5")):
        await fetch(session, _url(server, "/to-private-ip"), limits=_limits())


async def test_redirect_to_file_scheme_is_blocked(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(BlockedURLError, match="file: scheme"):
        await fetch(session, _url(server, "/to-file"), limits=_limits())


async def test_429_retry_after_seconds(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(session, _url(server, "/status/429"), limits=_limits())
    assert caught.value.status == 429 and caught.value.retry_after == 120
    assert not caught.value.permanent


async def test_503_retry_after_http_date(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(session, _url(server, "/status/503"), limits=_limits())
    assert caught.value.status == 503
    assert caught.value.retry_after is not None and 250 < caught.value.retry_after <= 300


async def test_410_is_permanent(server: TestServer, session: aiohttp.ClientSession) -> None:
    with pytest.raises(FetchError, match="410") as caught:
        await fetch(session, _url(server, "/status/410"), limits=_limits())
    assert caught.value.permanent and caught.value.status == 410


@pytest.mark.parametrize("code", [404, 500])
async def test_other_errors_carry_status(
    server: TestServer, session: aiohttp.ClientSession, code: int
) -> None:
    with pytest.raises(FetchError, match=f"HTTP {code}") as caught:
        await fetch(session, _url(server, f"/status/{code}"), limits=_limits())
    assert caught.value.status == code and not caught.value.permanent


async def test_user_agent_is_sent(server: TestServer, session: aiohttp.ClientSession) -> None:
    result = await fetch(session, _url(server, "/ua"), limits=_limits(user_agent="Newsbot/test"))
    assert result.body == b"Newsbot/test"


async def test_connection_refused_is_a_fetch_error(session: aiohttp.ClientSession) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not fetch"):
        await fetch(session, f"http://127.0.0.1:{port}/feed", limits=_limits())


async def test_loopback_refused_without_allow_list(server: TestServer) -> None:
    limits = FetchLimits()
    async with make_session(limits) as sess:
        with pytest.raises(BlockedURLError, match="loopback"):
            await fetch(sess, _url(server, "/feed"), limits=limits)


async def test_cancellation_is_not_swallowed(server: TestServer, session: aiohttp.ClientSession) -> None:
    task = asyncio.create_task(fetch(session, _url(server, "/drip"), limits=_limits()))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


# --- local files ----------------------------------------------------------------------------


async def test_local_path_and_file_url(tmp_path: Path, session: aiohttp.ClientSession) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(FEED)
    by_path = await fetch(session, str(target), limits=_limits())
    by_url = await fetch(session, target.as_uri(), limits=_limits())
    for result in (by_path, by_url):
        assert (result.status, result.body) == (200, FEED)
        assert result.url == target.resolve().as_uri()


async def test_local_file_size_cap_and_missing(tmp_path: Path, session: aiohttp.ClientSession) -> None:
    target = tmp_path / "big.xml"
    target.write_bytes(b"z" * 2000)
    with pytest.raises(FetchError, match="larger than"):
        await fetch(session, str(target), limits=_limits(max_bytes=1000))
    with pytest.raises(FetchError, match="no such file"):
        await fetch(session, str(tmp_path / "absent.xml"), limits=_limits())
    with pytest.raises(FetchError, match="not a regular file"):
        await fetch(session, str(tmp_path), limits=_limits())


async def test_local_files_refused_when_not_allowed(tmp_path: Path, session: aiohttp.ClientSession) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(FEED)
    with pytest.raises(BlockedURLError, match="local files"):
        await fetch(session, target.as_uri(), limits=_limits(), allow_local=False)


async def test_file_url_with_remote_host_refused(session: aiohttp.ClientSession) -> None:
    with pytest.raises(BlockedURLError, match="may not name a host"):
        await fetch(session, "file://fileserver.test/share/feed.xml", limits=_limits())


# --- SSRF guard -----------------------------------------------------------------------------


class StubResolver(AbstractResolver):
    """Maps made-up host names to fixed addresses; records each lookup."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.lookups.append(host)
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in self.table[host]
        ]

    async def close(self) -> None:
        return None


@pytest.fixture
def connect_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Replace the socket connect step so nothing can leave the machine; record attempts."""
    attempts: list[Any] = []
    original = aiohappyeyeballs.start_connection

    async def refuse(addr_infos: Any, *args: Any, **kwargs: Any) -> Any:
        if all(info[4][0] == "127.0.0.1" for info in addr_infos):
            return await original(addr_infos, *args, **kwargs)  # the test server itself
        attempts.append(addr_infos)
        raise OSError("test: outbound connections are disabled")

    monkeypatch.setattr(aiohappyeyeballs, "start_connection", refuse)
    yield attempts


STUB_TABLE = {
    "intranet.test": ["10.0.0.5"],
    "metadata.internal.test": ["169.254.169.254"],
    "cgnat.test": ["100.100.100.200"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "ula.test": ["fd00::1"],
    "linklocal6.test": ["fe80::1"],
    "mixed.test": ["93.184.215.14", "192.168.1.1"],
    "public.test": ["93.184.215.14"],
}


@pytest.mark.parametrize(
    "host",
    [
        "intranet.test",
        "metadata.internal.test",
        "cgnat.test",
        "mapped.test",
        "ula.test",
        "linklocal6.test",
        "mixed.test",
    ],
)
async def test_names_resolving_to_private_addresses_are_refused(
    host: str, connect_attempts: list[Any]
) -> None:
    resolver = StubResolver(STUB_TABLE)
    limits = FetchLimits()
    async with make_session(limits, resolver=resolver) as sess:
        with pytest.raises(BlockedURLError, match=f"refused {host}"):
            await fetch(sess, f"http://{host}/feed", limits=limits)
    assert resolver.lookups == [host]
    assert connect_attempts == []


async def test_public_name_passes_the_guard(connect_attempts: list[Any]) -> None:
    resolver = StubResolver(STUB_TABLE)
    limits = FetchLimits()
    async with make_session(limits, resolver=resolver) as sess:
        with pytest.raises(FetchError) as caught:
            await fetch(sess, "http://public.test/feed", limits=limits)
    assert not isinstance(caught.value, BlockedURLError)
    assert len(connect_attempts) == 1  # the guard let it through; our recorder refused it


async def test_redirect_into_name_resolving_private_is_refused(
    server: TestServer, connect_attempts: list[Any]
) -> None:
    resolver = StubResolver(STUB_TABLE)
    limits = _limits()
    async with make_session(limits, resolver=resolver) as sess:
        with pytest.raises(BlockedURLError, match=re.escape("169.254.169.254")):
            await fetch(sess, _url(server, "/to-metadata-name"), limits=limits)
    assert connect_attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "ftp://example.test/feed",
        "gopher://example.test/",
        "javascript:alert(1)",
    ],
)
async def test_literal_private_ips_and_bad_schemes_are_refused(url: str, connect_attempts: list[Any]) -> None:
    limits = FetchLimits()
    async with make_session(limits, resolver=StubResolver({})) as sess:
        with pytest.raises(BlockedURLError, match="refused"):
            await fetch(sess, url, limits=limits)
    assert connect_attempts == []


@pytest.mark.parametrize(
    "url", ["http://2130706433/", "http://0x7f.1/", "http://127.1/", "http://0177.0.0.1/"]
)
async def test_odd_spellings_of_ip_addresses_are_refused(url: str, connect_attempts: list[Any]) -> None:
    limits = FetchLimits()
    async with make_session(limits, resolver=StubResolver({})) as sess:
        with pytest.raises(BlockedURLError, match="not a canonical IP address"):
            await fetch(sess, url, limits=limits)
    assert connect_attempts == []


async def test_unguarded_session_still_checks_names(connect_attempts: list[Any]) -> None:
    limits = FetchLimits()
    async with aiohttp.ClientSession() as sess:
        with pytest.raises(BlockedURLError, match="loopback"):
            await fetch(sess, "http://localhost/feed", limits=limits)
    assert connect_attempts == []


def test_parse_retry_after_forms() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("30", now=now) == 30
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now=now) == pytest.approx(90)
    assert parse_retry_after(formatdate(now - 90, usegmt=True), now=now) == 0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


async def test_a_web_address_without_a_scheme_gets_a_hint(
    tmp_path: Path, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no such relative path here
    with pytest.raises(FetchError, match=r"no such file \(for a web address, write https://news\.example\.test/feed\.xml\)"):
        await fetch(session, "news.example.test/feed.xml", limits=_limits())
    with pytest.raises(FetchError) as plain:
        await fetch(session, "notes/feed.xml", limits=_limits())
    assert "web address" not in str(plain.value)


def test_the_web_address_hint_is_only_for_things_that_look_like_hosts() -> None:
    from bot.feeds.failures import looks_like_web_address as _looks_like_host

    for host in ("example.com/feed.xml", "127.0.0.1:8080/feed", "news.example.co.uk/rss"):
        assert _looks_like_host(host), host
    for path in ("report.txt", "notes/feed.xml", "site.v2.txt/x", "data.json/feed", "./a.b/c",
                 "backup.2024/feed.xml", "v1.2/feed.xml"):
        assert not _looks_like_host(path), path


async def test_a_host_and_port_without_a_scheme_gets_a_hint(session: aiohttp.ClientSession) -> None:
    hint = r"does not start with http:// or https:// \(for a web address, write http://localhost"
    with pytest.raises(FetchError, match=hint):
        await fetch(session, "localhost:8080/feed.xml", limits=_limits())

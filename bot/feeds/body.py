"""Read an HTTP response body under a size cap that also holds after decompression.

``read_body`` streams the body in chunks and never holds more than the limit (+1 byte) of it,
raw or decoded; gzip (several members too) and deflate (zlib-wrapped or raw) are decoded here by
a bounded decoder, so a small compressed body cannot balloon in memory (a "zip bomb").
Any excess, an unsupported Content-Encoding or a corrupt stream raises ``FetchError``.
"""

from __future__ import annotations

import zlib

import aiohttp

from bot.errors import FetchError
from bot.feeds.failures import short_url

_CHUNK = 64 * 1024
_MAX_GZIP_MEMBERS = 64


async def read_body(resp: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
    """Read and decode the body, never holding more than ``max_bytes`` (+1) of it."""
    too_large = f"{short_url(url)}: the response is larger than the {max_bytes}-byte limit"
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
            raise FetchError(f"{short_url(url)}: unsupported Content-Encoding {coding!r}")
        self._limit = limit
        self._url = url
        self._members = 0
        self._decoder: zlib._Decompress | None = None

    def _new_decoder(self, first: bytes) -> zlib._Decompress:
        self._members += 1
        if self._members > _MAX_GZIP_MEMBERS:
            raise FetchError(f"{short_url(self._url)}: too many gzip members")
        wbits = self._wbits
        if wbits == 0:
            wbits = zlib.MAX_WBITS if first[:1] == b"\x78" else -zlib.MAX_WBITS
        return zlib.decompressobj(wbits)

    def feed(self, data: bytes, out: bytearray) -> None:
        try:
            self._feed(data, out)
        except zlib.error as exc:
            raise FetchError(f"{short_url(self._url)}: corrupt compressed body ({exc})") from exc

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
                f"{short_url(self._url)}: the body is larger than the {self._limit}-byte limit"
                " once decompressed"
            )

    def finish(self, out: bytearray) -> None:
        if self._decoder is not None:
            try:
                self._add(out, self._decoder.flush())
            except zlib.error as exc:
                raise FetchError(f"{short_url(self._url)}: corrupt compressed body ({exc})") from exc

"""The wording of failed fetches: short one-line messages and the FetchError an HTTP status means.

``short_url`` shortens a URL for a message, ``describe`` names an exception in plain words
(DNS failure, refused connection, bad certificate, ...), ``check_status`` raises the
``FetchError`` a non-success status stands for (with ``retry_after`` for 429/503, ``permanent``
for 410) and ``parse_retry_after`` reads a Retry-After header. ``looks_like_web_address`` tells a
web address typed without its scheme ("example.com/feed.xml", "localhost:8080/feed") and
``web_address_hint`` words the hint for it; ``not_a_local_file_here`` refuses a path in chat.
"""

from __future__ import annotations

import email.utils
import errno
import time

import aiohttp

from bot.errors import FetchError

_MAX_RETRY_AFTER = 7 * 24 * 3600.0
# why a connection failed, in plain words (asyncio's own text is "Connect call failed (...)")
_CONNECT_PROBLEMS = {
    errno.ECONNREFUSED: "the connection was refused: nothing is listening there",
    errno.ETIMEDOUT: "the connection timed out",
    errno.EHOSTUNREACH: "the host is unreachable",
    errno.ENETUNREACH: "the network is unreachable",
    errno.ECONNRESET: "the connection was reset",
}
_FILE_SUFFIXES = frozenset("txt xml html htm md json rss atom csv log rdf".split())


def check_status(status: int, reason: str | None, retry_after: str | None, url: str) -> None:
    """Raise the FetchError that a non-success status means."""
    if 200 <= status < 300:
        return
    label = f"HTTP {status}" + (f" {reason}" if reason else "")
    if status in (429, 503):
        delay = parse_retry_after(retry_after)
        hint = f" (retry after {delay:g} s)" if delay is not None else ""
        raise FetchError(f"{short_url(url)}: {label}{hint}", status=status, retry_after=delay)
    if status == 410:
        raise FetchError(
            f"{short_url(url)}: {label}: the server says it is gone for good",
            status=status,
            permanent=True,
        )
    raise FetchError(f"{short_url(url)}: {label}", status=status)


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


def describe(exc: BaseException) -> str:
    """One short line naming the error, in plain words for the common network failures."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"the host {exc.host} was not found (DNS lookup failed)"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return f"the TLS certificate of {exc.host} is not valid"
    if isinstance(exc, aiohttp.ClientConnectorError):
        why = _CONNECT_PROBLEMS.get(exc.os_error.errno or 0) or exc.strerror or "refused"
        return f"could not connect to {exc.host} port {exc.port} ({why})"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    if exc.__class__.__name__ not in text:
        text = f"{exc.__class__.__name__}: {text}"
    return text[:300]


def short_url(url: str) -> str:
    """A URL shortened for one-line messages."""
    clean = " ".join(url.split())
    return clean if len(clean) <= 200 else clean[:197] + "..."


def web_address_hint(typed: str) -> str:
    """" (for a web address, write https://example.com/feed.xml)" when ``typed`` reads as a web
    address without its scheme (http:// for localhost and IPv4 addresses, which rarely have TLS),
    else "". Every platform and every path (a missing file, a refused scheme) uses this one hint."""
    if not looks_like_web_address(typed):
        return ""
    clean = short_url(typed.strip())
    host = clean.partition("/")[0].partition(":")[0]
    local = host == "localhost" or all(label.isdigit() for label in host.split("."))
    return f" (for a web address, write {'http' if local else 'https'}://{clean})"


def not_a_local_file_here(typed: str) -> str:
    """The one-line reason a local path or file:// URL is refused where local files may not be
    read (chat): it names the file once and says what may be given instead, without calling a
    path an "address"; a web address typed without its scheme gets the scheme hint instead."""
    hint = web_address_hint(typed)
    if hint:
        return f"refused {short_url(typed)}: it does not start with http:// or https://{hint}"
    return f"{short_url(typed)}: local files can't be read here, only http:// or https:// links"


def looks_like_web_address(typed: str) -> bool:
    """Whether ``typed`` reads as host[:port][/path] written without http:// or https://: a host
    name whose last label is a word ("example.com", not "report.txt" or "backup.2024"), an IPv4
    address, or "localhost" with a port; with a port or a path after it."""
    first, slash, _ = typed.strip().partition("/")
    host, colon, port = first.partition(":")
    if colon and not (port.isdigit() and len(port) <= 5):
        return False
    if not (colon or slash) or not host or host.startswith((".", "~")):
        return False
    if host == "localhost":
        return bool(colon)
    labels = host.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    if all(label.isdigit() for label in labels):
        return len(labels) == 4  # an IPv4 address ("backup.2024" is a folder)
    last = labels[-1].lower()
    return last.isalpha() and len(last) >= 2 and last not in _FILE_SUFFIXES

"""Read a feed or page from the local disk: recognise local paths and file:// URLs, read them capped.

``local_path`` says whether a URL names a local file (a file:// URL may not name a host);
``read_local`` reads a regular file no larger than the size cap, off the event loop and within
a time limit, raising ``FetchError`` with a one-line reason otherwise. ``absolute_local`` stores a
relative path typed by the console's user as an absolute one, and ``feed_identity`` says what makes
two typed feed addresses the same feed.
"""

from __future__ import annotations

import asyncio
import errno
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from bot.errors import BlockedURLError, FetchError
from bot.feeds.failures import describe, short_url, web_address_hint


def local_path(url: str) -> Path | None:
    """The path ``url`` names when it is a local path or file:// URL, else None."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "http://[::1/feed": an unclosed IPv6 bracket
        raise BlockedURLError(f"refused {short_url(url)}: it is not a valid URL") from exc
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise BlockedURLError(f"refused {short_url(url)}: file URLs may not name a host")
        return Path(url2pathname(parts.path))
    if scheme == "" or (len(scheme) == 1 and os.name == "nt"):
        if "\x00" in url:
            raise FetchError(f"refused {short_url(url)}: the path contains a NUL character")
        try:
            return Path(url).expanduser()
        except RuntimeError:  # "~nosuchuser/...": no such home directory
            raise FetchError(f"{short_url(url)}: no such home directory") from None
    return None


async def read_local(path: Path, max_bytes: int, time_limit: float) -> tuple[str, bytes]:
    """(file:// URI, bytes) of a local regular file, read in a thread within ``time_limit`` s."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(_read_file, path, max_bytes), time_limit)
    except TimeoutError as exc:
        raise FetchError(f"{short_url(str(path))}: reading the file took too long") from exc


def _read_file(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """(file:// URI, bytes) of a regular file no larger than ``max_bytes``."""
    name = short_url(str(path))  # messages name the file, shortened (a path may be kilobytes)
    try:
        uri = path.resolve().as_uri()
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(f"{name}: it is not a regular file")
        if info.st_size > max_bytes:
            raise FetchError(f"{name}: it is larger than the {max_bytes}-byte limit")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        # "example.com/feed.xml", "127.0.0.1:8080/feed": a web address without its scheme
        raise FetchError(f"{name}: no such file{web_address_hint(str(path))}") from exc
    except (OSError, ValueError) as exc:
        raise FetchError(f"could not read {name}: {file_problem(exc)}") from exc
    if len(data) > max_bytes:
        raise FetchError(f"{name}: it is larger than the {max_bytes}-byte limit")
    return uri, data


_FILE_PROBLEMS = {
    errno.ENAMETOOLONG: "that path is too long",
    errno.ENOENT: "no such file",
    errno.ENOTDIR: "no such file (a part of the path is not a folder)",
    errno.EISDIR: "it is a folder, not a file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "too many symbolic links",
}


def file_problem(exc: OSError | ValueError) -> str:
    """Why a local file could not be read, in plain words (no raw OSError, no path)."""
    if isinstance(exc, OSError):
        known = _FILE_PROBLEMS.get(exc.errno or 0)
        if known:
            return known
        if exc.strerror:
            return exc.strerror[0].lower() + exc.strerror[1:]
    if isinstance(exc, ValueError) and "null" in str(exc).lower():
        return "the path contains a NUL character"
    return describe(exc)


def absolute_local(url: str) -> str:
    """A local path typed relative ("site/feed.xml", "~/feed.xml") as an absolute path, so the
    feed still works when the bot later runs from another directory; anything else as given."""
    try:
        path = local_path(url)
    except FetchError:
        return url  # fetching it will say what is wrong
    if path is None or urlsplit(url).scheme:
        return url
    absolute = os.path.abspath(path)
    # a missing file keeps the name as typed, so the error can see "example.com/feed.xml"
    return absolute if os.path.exists(absolute) else url


def feed_identity(url: str) -> str:
    """What makes two feed addresses one feed: the case of scheme and host, a default port, a
    fragment and utm_* campaign tags don't count; a local path counts as its absolute path.
    Everything else may select another feed ("?ref=sport" vs "?ref=politics", "/news/" vs
    "/news"), so it counts."""
    try:
        path = local_path(url)
    except FetchError:
        path = None
    if path is not None:
        return "file://" + os.path.abspath(path)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()  # not a valid URL: fetching it will say so
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, {"http": 80, "https": 443}.get(scheme)) else f"{host}:{port}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.lower().startswith("utm_")
    )
    return f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{query}" if query else "")

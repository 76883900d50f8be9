"""One error tree for the whole bot.

NewsbotError
├── ConfigError      a bad setting: one sentence naming the file, the key and what is wrong
├── FetchError       a network or file fetch failed (timeout, refused, too large, bad status, SSRF)
│   └── BlockedURLError  the URL is refused before connecting (scheme, private address, ...)
├── FeedError        bytes were fetched but are not a feed we can read
├── StorageError     the SQLite store cannot be opened or written (read-only, disk full, ...)
└── CommandError     a chat command was used wrongly; its message is shown to the user

Third-party errors are wrapped at the edge that calls the library; asyncio.CancelledError is never
caught here.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """Root of every error the bot raises on purpose."""


class ConfigError(NewsbotError):
    """A configuration value is missing or invalid."""


class FetchError(NewsbotError):
    """Fetching a URL or file failed.

    ``status`` is the HTTP status when there was one; ``retry_after`` is the server's Retry-After
    delay in seconds when it sent one; ``permanent`` marks errors that retrying will not fix (410).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent


class BlockedURLError(FetchError):
    """The URL is refused before any connection is made (scheme, private or local address)."""


class FeedError(NewsbotError):
    """The fetched document is not a feed that can be read."""


class StorageError(NewsbotError):
    """The store cannot be opened or written."""


class CommandError(NewsbotError):
    """A chat command was used wrongly; the message is meant for the user."""

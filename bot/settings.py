"""One frozen Settings object, read from a TOML config file plus the environment (.env).

Every key is validated here so that a bad value stops start-up with one sentence naming the file,
the key and what is wrong. Secrets (chat tokens) come only from the environment or `.env`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.feeds.failures import looks_like_web_address
from bot.feeds.guard import impossible_port, unbracketed_ipv6

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "newsbot.toml"
USER_AGENT = "Newsbot/0.1 (+self-hosted news bot)"


@dataclass(frozen=True)
class FeedConfig:
    """A feed listed in the config file; it is added to the store at start-up if missing."""

    url: str
    channel: str = "console"


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads, validated."""

    config_path: Path
    data_dir: Path
    poll_interval: float = 900.0
    command_prefix: str = "!"
    log_level: str = "INFO"
    summary_sentences: int = 3
    summary_chars: int = 600
    quotes_per_post: int = 3
    latest_on_add: int = 0
    max_new_per_poll: int = 20
    fetch_timeout: float = 20.0
    fetch_total_timeout: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_hosts: frozenset[str] = frozenset()
    max_failures: int = 11
    max_backoff: float = 6 * 3600.0
    discord_admin_role: str = ""
    slack_admin_users: frozenset[str] = frozenset()
    feeds: tuple[FeedConfig, ...] = ()
    discord_token: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        """The SQLite file inside the data directory."""
        return self.data_dir / "newsbot.sqlite3"


class _Reader:
    """Reads typed values from one TOML table, raising ConfigError with file and key."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str) -> None:
        self.path = path
        self.table = table
        self.prefix = prefix
        self.read: set[str] = set()

    def check_unknown(self) -> None:
        """Refuse keys this table does not have (a typo would otherwise be silently ignored)."""
        unknown = sorted(set(self.table) - self.read)
        if unknown:
            raise ConfigError(
                f"{self.path}: unknown key '{self.prefix}{unknown[0]}' "
                f"(known: {', '.join(sorted(self.read))})."
            )

    def _where(self, key: str) -> str:
        return f"{self.path}: key '{self.prefix}{key}'"

    def number(self, key: str, default: float, *, minimum: float, maximum: float) -> float:
        self.read.add(key)
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{self._where(key)} must be a number, not {value!r}.")
        if not minimum <= value <= maximum:
            raise ConfigError(
                f"{self._where(key)} must be between {minimum:g} and {maximum:g}, not {value!r}."
            )
        return float(value)

    def integer(self, key: str, default: int, *, minimum: int, maximum: int) -> int:
        self.read.add(key)
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{self._where(key)} must be a whole number, not {value!r}.")
        if not minimum <= value <= maximum:
            raise ConfigError(
                f"{self._where(key)} must be between {minimum} and {maximum}, not {value!r}."
            )
        return value

    def text(self, key: str, default: str, *, allow_empty: bool = True) -> str:
        self.read.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"{self._where(key)} must be a string, not {value!r}.")
        if not allow_empty and not value.strip():
            raise ConfigError(f"{self._where(key)} must not be empty.")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ConfigError(f"{self._where(key)} must not contain control characters.")
        return value

    def strings(self, key: str) -> frozenset[str]:
        self.read.add(key)
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{self._where(key)} must be a list of strings, not {value!r}.")
        if any("*" in v or any(ch.isspace() for ch in v.strip()) for v in value):
            raise ConfigError(f"{self._where(key)} takes plain names: no wildcards or spaces.")
        return frozenset(v.strip() for v in value if v.strip())


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{name}' must be a table ([{name}]), not {value!r}.")
    return value


CHANNEL = re.compile(r"console|discord:\d{5,25}|slack:[A-Z0-9]{5,30}")
KNOWN_TABLES = {"bot", "summary", "posts", "fetch", "discord", "slack", "feeds"}


def _feeds(path: Path, data: dict[str, Any]) -> tuple[FeedConfig, ...]:
    raw = data.get("feeds", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'feeds' must be a list of [[feeds]] tables.")
    feeds: list[FeedConfig] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: feeds[{index}] must be a table with 'url' and 'channel'.")
        reader = _Reader(path, entry, f"feeds[{index}].")
        url = reader.text("url", "", allow_empty=False).strip()
        channel = reader.text("channel", "console", allow_empty=False).strip()
        reader.check_unknown()
        if not CHANNEL.fullmatch(channel):
            raise ConfigError(
                f"{path}: key 'feeds[{index}].channel' must be \"console\", "
                f"\"discord:<channel id>\" or \"slack:<channel id>\", not {channel!r}."
            )
        problem = _feed_url_problem(url)
        if problem:
            raise ConfigError(
                f"{path}: key 'feeds[{index}].url' ([[feeds]] entry {index + 1}) is {url!r}, "
                f"{problem}."
            )
        feeds.append(FeedConfig(url=url, channel=channel))
    return tuple(feeds)


def _feed_url_problem(url: str) -> str | None:
    """Why a config feed URL can never be read, with how to fix it; None when it may work.

    Accepted: http:// and https:// addresses with a host, file:// URLs (no host but localhost)
    and local paths. Whether the address answers is the poller's business, not the config's."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "http://[::1/feed": a broken IPv6 literal
        return f"which is not a valid URL ({exc}): check the brackets and the host"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if unbracketed_ipv6(url):
            return f"whose IPv6 address needs brackets: write it as {scheme}://[address]:port/path"
        if not parts.hostname:
            return f"which names no host: write it as {scheme}://host/path"
        port = impossible_port(url)
        if port is not None:
            return (
                f"whose port {port!r} is not a number from 1 to 65535: fix the number after the "
                "colon or leave it out for the default port"
            )
        return None
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return "but a file:// URL may not name a host: write it as file:///path/to/feed.xml"
        return None
    if scheme == "" or (len(scheme) == 1 and os.name == "nt"):  # a path (C:\ on Windows)
        if looks_like_web_address(url):
            return (
                f"a web address without http:// or https://: write it as 'https://{url}' "
                f"(or 'http://{url}'), or as './{url}' if it is a local file"
            )
        return None
    if looks_like_web_address(url):  # "localhost:8080/feed" reads as scheme "localhost"
        return f"a web address without http:// or https://: write it as 'http://{url}'"
    return (
        f"which Newsbot cannot read ('{scheme}:' addresses are not supported): use an http:// "
        "or https:// address, a file:// URL or a local path"
    )


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def load_settings(config_path: Path | None = None, *, env_file: Path | None = None) -> Settings:
    """Read the config file and the environment into Settings; raise ConfigError on any bad value.

    ``env_file`` (default: ``.env`` in the working directory) is loaded without overriding
    variables that are already set.
    """
    from dotenv import load_dotenv

    load_dotenv(env_file if env_file is not None else Path.cwd() / ".env", override=False)
    path = config_path or DEFAULT_CONFIG
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found.") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from None
    unknown = set(data) - KNOWN_TABLES
    if unknown:
        raise ConfigError(f"{path}: unknown section '{sorted(unknown)[0]}'.")

    bot = _Reader(path, _table(path, data, "bot"), "bot.")
    summary = _Reader(path, _table(path, data, "summary"), "summary.")
    posts = _Reader(path, _table(path, data, "posts"), "posts.")
    fetch = _Reader(path, _table(path, data, "fetch"), "fetch.")
    discord = _Reader(path, _table(path, data, "discord"), "discord.")
    slack = _Reader(path, _table(path, data, "slack"), "slack.")

    data_dir = Path(bot.text("data_dir", "data", allow_empty=False)).expanduser()
    if not data_dir.is_absolute():
        data_dir = Path.cwd() / data_dir  # relative to where the bot is started (the repo for make)
    prefix = bot.text("command_prefix", "!", allow_empty=False)
    if len(prefix) > 3 or any(ch.isspace() for ch in prefix):
        raise ConfigError(f"{path}: key 'bot.command_prefix' must be 1-3 characters, no spaces.")
    level = bot.text("log_level", "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"{path}: key 'bot.log_level' must be DEBUG, INFO, WARNING or ERROR.")

    settings = Settings(
        config_path=Path(path),
        data_dir=data_dir,
        poll_interval=bot.number("poll_interval_seconds", 900, minimum=10, maximum=7 * 86400),
        command_prefix=prefix,
        log_level=level,
        summary_sentences=summary.integer("max_sentences", 3, minimum=1, maximum=10),
        summary_chars=summary.integer("max_chars", 600, minimum=100, maximum=4000),
        quotes_per_post=posts.integer("quotes_per_post", 3, minimum=0, maximum=10),
        latest_on_add=posts.integer("latest_on_add", 0, minimum=0, maximum=20),
        max_new_per_poll=posts.integer("max_new_per_poll", 20, minimum=1, maximum=1000),
        fetch_timeout=fetch.number("timeout_seconds", 20, minimum=1, maximum=300),
        fetch_total_timeout=fetch.number("total_timeout_seconds", 60, minimum=1, maximum=600),
        max_bytes=fetch.integer("max_bytes", 10_000_000, minimum=10_000, maximum=200_000_000),
        max_redirects=fetch.integer("max_redirects", 5, minimum=0, maximum=20),
        user_agent=fetch.text("user_agent", USER_AGENT, allow_empty=False),
        allow_hosts=fetch.strings("allow_hosts"),
        max_failures=fetch.integer("max_failures", 11, minimum=1, maximum=1000),
        max_backoff=fetch.number("max_backoff_seconds", 6 * 3600, minimum=60, maximum=7 * 86400),
        discord_admin_role=discord.text("admin_role", ""),
        slack_admin_users=slack.strings("admin_users"),
        feeds=_feeds(path, data),
        discord_token=_env("DISCORD_TOKEN"),
        slack_bot_token=_env("SLACK_BOT_TOKEN"),
        slack_app_token=_env("SLACK_APP_TOKEN"),
    )
    for reader in (bot, summary, posts, fetch, discord, slack):
        reader.check_unknown()
    return settings

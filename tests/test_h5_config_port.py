"""Config: a [[feeds]] http(s) url whose port can never be connected to (0, above 65535, not a
number) stops the load with one sentence naming the entry, like the other impossible URLs; a
valid port, or none, loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


@pytest.fixture(autouse=True)
def no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def feeds_config(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(
        "".join(f"[[feeds]]\nurl = '{url}'\nchannel = 'console'\n\n" for url in urls),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("http://127.0.0.1:99999/a.xml", "99999"),
        ("https://news.example:0/rss", "0"),
        ("http://news.example:http/rss", "http"),
        ("http://[::1]:70000/feed.xml", "70000"),
        ("http://reader:secret@news.example:65536/rss", "65536"),
        ("http://news.example:-80/rss", "-80"),
    ],
)
def test_an_impossible_port_stops_the_load(tmp_path: Path, url: str, port: str) -> None:
    path = feeds_config(tmp_path, "https://news.example/rss.xml", url)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env_file=tmp_path / "none.env")
    assert str(info.value) == (
        f"{path}: key 'feeds[1].url' ([[feeds]] entry 2) is {url!r}, whose port {port!r} is not "
        "a number from 1 to 65535: fix the number after the colon or leave it out for the "
        "default port."
    )


def test_valid_ports_and_no_port_load(tmp_path: Path) -> None:
    urls = (
        "http://127.0.0.1:8080/a.xml",
        "https://news.example:65535/rss",
        "http://[::1]:1/feed.xml",
        "http://reader:secret@news.example:443/rss",
        "https://news.example/rss",
    )
    settings = load_settings(feeds_config(tmp_path, *urls), env_file=tmp_path / "none.env")
    assert [feed.url for feed in settings.feeds] == list(urls)


def test_an_ipv6_address_without_brackets_stops_the_load(tmp_path: Path) -> None:
    path = feeds_config(tmp_path, "http://::1:8080/feed.xml")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env_file=tmp_path / "none.env")
    assert "whose IPv6 address needs brackets: write it as http://[address]:port/path" in str(info.value)

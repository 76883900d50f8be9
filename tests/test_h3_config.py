"""Config: a [[feeds]] url that can never work stops the bot at load with one sentence naming the
entry and how to fix it (local paths and file:// URLs stay valid; a port must be a number from
1 to 65535, an IPv6 address needs brackets); `posts.max_new_per_poll` is read and checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import DEFAULT_CONFIG, load_settings
from tests.support import feeds_config

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("no_chat_tokens")


@pytest.mark.parametrize(
    ("url", "fix"),
    [
        ("ftp://files.example/news.xml", "'ftp:' addresses are not supported): use an http:// or "
         "https:// address, a file:// URL or a local path"),
        ("feed://news.example/rss", "'feed:' addresses are not supported"),
        ("127.0.0.1:8080/a.xml", "a web address without http:// or https://: write it as "
         "'https://127.0.0.1:8080/a.xml' (or 'http://127.0.0.1:8080/a.xml'), or as "
         "'./127.0.0.1:8080/a.xml' if it is a local file"),
        ("news.example/feed.xml", "write it as 'https://news.example/feed.xml'"),
        ("localhost:8080/feed", "write it as 'http://localhost:8080/feed'"),
        ("https://", "names no host: write it as https://host/path"),
        ("http://[::1/feed", "not a valid URL"),
        ("file://files.example/feed.xml", "a file:// URL may not name a host"),
    ],
)
def test_a_feed_url_that_can_never_work_stops_the_load(
    tmp_path: Path, url: str, fix: str
) -> None:
    path = feeds_config(tmp_path, "https://news.example/rss.xml", url)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env_file=tmp_path / "none.env")
    message = str(info.value)
    assert message.startswith(f"{path}: key 'feeds[1].url' ([[feeds]] entry 2) is {url!r}, ")
    assert fix in message and message.endswith(".")
    assert "\n" not in message


def test_local_paths_and_file_urls_stay_valid(tmp_path: Path) -> None:
    urls = (
        "https://news.example/rss.xml",
        "http://127.0.0.1:8080/a.xml",
        "file:///srv/feeds/local.xml",
        "file://localhost/srv/feeds/local.xml",
        "site/feed.xml",
        "./127.0.0.1:8080/a.xml",
        "~/feeds/mine.xml",
        "/srv/feeds/backup.2024/feed.xml",
        "HTTPS://NEWS.EXAMPLE/RSS",
    )
    settings = load_settings(feeds_config(tmp_path, *urls), env_file=tmp_path / "none.env")
    assert tuple(feed.url for feed in settings.feeds) == urls


def test_the_bot_refuses_to_start_with_one_sentence(tmp_path: Path) -> None:
    path = feeds_config(tmp_path, "ftp://files.example/news.xml")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "run", "--once"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "[[feeds]] entry 1" in lines[0] and "'ftp:'" in lines[0]
    assert not (tmp_path / "data").exists()  # refused before anything was opened


def test_max_new_per_poll_default_and_bounds(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text("", encoding="utf-8")
    assert load_settings(path, env_file=tmp_path / "none.env").max_new_per_poll == 20
    path.write_text("[posts]\nmax_new_per_poll = 50\n", encoding="utf-8")
    assert load_settings(path, env_file=tmp_path / "none.env").max_new_per_poll == 50
    shipped = load_settings(DEFAULT_CONFIG, env_file=tmp_path / "none.env")
    assert shipped.max_new_per_poll == 20
    for bad, what in (("0", "between 1 and 1000"), ("'all'", "whole number")):
        path.write_text(f"[posts]\nmax_new_per_poll = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=what) as info:
            load_settings(path, env_file=tmp_path / "none.env")
        assert "'posts.max_new_per_poll'" in str(info.value)


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

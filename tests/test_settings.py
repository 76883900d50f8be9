"""Settings: the shipped config loads; every bad value is one sentence naming file and key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import DEFAULT_CONFIG, load_settings

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("no_chat_tokens")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_real_feeds(tmp_path: Path) -> None:
    settings = load_settings(DEFAULT_CONFIG, env_file=tmp_path / "none.env")
    assert len(settings.feeds) >= 3
    assert all(f.url.startswith("https://") for f in settings.feeds)
    assert settings.summary_sentences == 3 and settings.quotes_per_post == 3
    assert settings.discord_token is None


def test_env_file_supplies_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("DISCORD_TOKEN=abc123\n", encoding="utf-8")
    settings = load_settings(write(tmp_path, ""), env_file=env)
    assert settings.discord_token == "abc123"
    assert "abc123" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "key", "what"),
    [
        ("[bot]\npoll_interval_seconds = 'often'\n", "bot.poll_interval_seconds", "number"),
        ("[bot]\npoll_interval_seconds = 1\n", "bot.poll_interval_seconds", "between"),
        ("[summary]\nmax_sentences = 0\n", "summary.max_sentences", "between"),
        ("[posts]\nquotes_per_post = 2.5\n", "posts.quotes_per_post", "whole number"),
        ("[fetch]\nallow_hosts = 'localhost'\n", "fetch.allow_hosts", "list of strings"),
        ("[[feeds]]\nchannel = 'console'\n", "feeds[0].url", "empty"),
        ("[bot]\nlog_level = 'LOUD'\n", "bot.log_level", "DEBUG"),
        ("[bot]\npoll_interval = 60\n", "bot.poll_interval", "unknown key"),
        ("[fetch]\nmax_failure = 3\n", "fetch.max_failure", "unknown key"),
        ("[[feeds]]\nurl = 'https://a.example/f'\nchannel = 'discrod:123'\n", "feeds[0].channel",
         "discord:<channel id>"),
        ("[[feeds]]\nurl = 'https://a.example/f'\nchannel = '#news'\n", "feeds[0].channel",
         "console"),
        ("[[feeds]]\nurl = 'https://a.example/f'\nlabel = 'x'\n", "feeds[0].label", "unknown key"),
        ("[fetch]\nuser_agent = \"bot\\r\\nX-Evil: 1\"\n", "fetch.user_agent", "control characters"),
        ("[fetch]\nallow_hosts = ['*']\n", "fetch.allow_hosts", "wildcards"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, key: str, what: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env_file=tmp_path / "none.env")
    message = str(info.value)
    assert str(path) in message and f"'{key}'" in message and what in message
    assert "\n" not in message


def test_unknown_section_and_broken_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown section 'bots'"):
        load_settings(write(tmp_path, "[bots]\nx = 1\n"), env_file=tmp_path / "none.env")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[bot\n"), env_file=tmp_path / "none.env")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "missing.toml", env_file=tmp_path / "none.env")


def test_cli_bad_config_is_one_sentence_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "[summary]\nmax_chars = 'long'\n")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--once", "--config", str(path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env=env,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "summary.max_chars" in done.stderr and str(path) in done.stderr

"""The README stays true: it lists every chat command, config key, secret and CLI command, and
gives exactly the two set-up commands that CI runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.__main__ import build_parser
from bot.core.commands import HELP
from bot.settings import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_chat_command() -> None:
    commands = re.findall(r"\{p\}([a-z]+(?: [a-z]+)?)", HELP)
    assert len(commands) >= 10
    for command in commands:
        assert f"!{command}" in README, command


def test_readme_lists_every_config_key() -> None:
    with open(DEFAULT_CONFIG, "rb") as handle:
        config = tomllib.load(handle)
    for table, values in config.items():
        if table == "feeds":
            assert "[[feeds]]" in README
            continue
        for key in values:
            assert f"`{table}.{key}`" in README, f"{table}.{key}"


def test_readme_and_env_example_list_every_secret() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        assert name in README and f"{name}=" in example


def test_readme_lists_every_cli_command_and_ci_runs_the_test_command() -> None:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert subcommands is not None
    for name in subcommands:
        assert f"python -m bot {name}" in README
    assert "--once" in README and "--config PATH" in README
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

"""One bot per database: a second bot (another process or another open) refuses to start with one
clear sentence; the lock goes away when the first one closes the store or dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys, time
from bot.storage.store import Store
store = Store.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    env["HOME"] = str(tmp_path)
    return env


def test_a_second_open_is_refused_until_the_first_closes(tmp_path: Path) -> None:
    path = tmp_path / "data" / "newsbot.sqlite3"
    first = Store.open(path)
    with pytest.raises(StorageError, match=r"another Newsbot .* is already running on the database"):
        Store.open(path)
    reader = Store.open(path, exclusive=False)  # a read-only user of the file may still open it
    assert reader.list_feeds() == []
    reader.close()
    first.close()
    again = Store.open(path)  # closed: the next bot gets in
    again.close()


def test_a_second_bot_process_refuses_to_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "bot.toml"
    config.write_text(f'[bot]\ndata_dir = "{data.as_posix()}"\n', encoding="utf-8")
    running = Store.open(data / "newsbot.sqlite3")  # the bot already running on this database
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--once", "--config", str(config)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path, env=_clean_env(tmp_path),
            stdin=subprocess.DEVNULL,
        )
    finally:
        running.close()
    assert done.returncode == 1, done.stderr
    assert f"already running on the database {data / 'newsbot.sqlite3'}" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # one clear sentence, nothing else


def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
        env=_clean_env(tmp_path),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StorageError, match=rf"\(process {holder.pid}\) is already running"):
            Store.open(path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    store = Store.open(path)  # a killed bot leaves its lock file, but no lock
    assert store.list_feeds() == []
    store.close()

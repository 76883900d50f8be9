"""The database lock: works without fcntl (no lock, one warning), follows a symlink to the real
database file, names the lock file itself when it is not writable, and never leaks its
descriptor when dropped without release."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage.lock import DatabaseLock, lock_path_for
from bot.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]

WITHOUT_FCNTL = """
import logging, sys
sys.modules["fcntl"] = None  # as on Windows: importing it fails
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
from bot.storage.store import Store
first = Store.open(sys.argv[1])
second = Store.open(sys.argv[1])
second.close()
first.close()
print("both opened")
"""

NOT_WRITABLE = """
import os, sys
from bot.errors import StorageError
from bot.storage.store import Store
if os.getuid() == 0:  # root writes anything: open as an ordinary user instead
    os.setgid(65534)
    os.setuid(65534)
    if not os.access(os.path.dirname(sys.argv[1]), os.W_OK | os.X_OK):
        print("SKIP")
        sys.exit(0)
try:
    Store.open(sys.argv[1])
except StorageError as exc:
    print(exc)
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_without_fcntl_the_bot_runs_unlocked_with_one_warning(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL, str(tmp_path / "newsbot.sqlite3")],
        capture_output=True, text=True, timeout=60, env=_env(), cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "both opened"
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "file locking is not available" in warnings[0]
    assert not (tmp_path / "newsbot.sqlite3.lock").exists()


def test_a_symlink_to_the_database_shares_its_lock(tmp_path: Path) -> None:
    real = tmp_path / "data" / "newsbot.sqlite3"
    first = Store.open(real)
    link = tmp_path / "link.sqlite3"
    link.symlink_to(real)
    assert lock_path_for(link) == lock_path_for(real) == real.with_name("newsbot.sqlite3.lock")
    with pytest.raises(StorageError, match="already running"):
        Store.open(link)
    assert not (tmp_path / "link.sqlite3.lock").exists()
    first.close()
    Store.open(link).close()


def test_a_lock_file_this_user_cannot_write_is_named(tmp_path: Path) -> None:
    data = Path(tempfile.mkdtemp(prefix="newsbot-lock-"))  # reachable by another user
    try:
        data.chmod(0o777)
        db = data / "newsbot.sqlite3"
        lock = data / "newsbot.sqlite3.lock"
        lock.write_text("1\n")
        lock.chmod(0o444 if os.getuid() != 0 else 0o644)  # as another user's lock file
        done = subprocess.run(
            [sys.executable, "-c", NOT_WRITABLE, str(db)],
            capture_output=True, text=True, timeout=60, env=_env(), cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        if done.stdout.strip() == "SKIP":
            pytest.skip("the temporary directory is not reachable by another user")
        message = done.stdout.strip()
        assert message.startswith(f"cannot open the lock file {lock}: it is not writable by "
                                  "this user"), message
        assert "directory" not in message.split(";")[0]
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count descriptors")
def test_a_lock_dropped_without_release_closes_its_descriptor(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.sqlite3"
    before = _open_fds()
    lock = DatabaseLock.acquire(path)
    assert _open_fds() == before + 1
    del lock
    gc.collect()
    assert _open_fds() == before
    store = Store.open(path)
    del store  # a store nobody closed: its lock goes with it
    gc.collect()
    assert _open_fds() == before
    Store.open(path).close()

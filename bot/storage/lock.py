"""One bot per database: an exclusive advisory lock on a file beside the SQLite file.

Two bots on one database would each check the same feeds and each post the same new items, so a
second one must refuse to start. The lock is a Linux ``flock`` on ``<database>.lock``: the kernel
drops it when the holder closes the file, exits or is killed (even by SIGKILL), so a lock file left
behind by a dead bot holds nothing. The holder's process id is written into the file only so the
refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.errors import StorageError


def lock_path_for(db_path: Path) -> Path:
    """Where the lock file of a database lives: beside it, named after it."""
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """A held lock on one database; ``release`` (or the process ending) lets the next bot in."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, db_path: Path) -> DatabaseLock:
        """Take the lock without waiting; raise StorageError when another process holds it."""
        path = lock_path_for(db_path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StorageError(
                f"cannot create the lock file {path} (is the data directory writable?): "
                f"{exc.strerror}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise StorageError(
                f"another Newsbot{who} is already running on the database {db_path}; "
                "stop it (or let its `run --once` finish) before starting this one"
            ) from None
        except OSError as exc:
            os.close(fd)
            raise StorageError(f"cannot lock {path}: {exc.strerror}") from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only informative; the lock itself is held
        return cls(fd, path)

    def release(self) -> None:
        """Let the next process take the database (closing the file drops the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> str:
    """The process id the holder wrote into the lock file, or "" when unreadable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""

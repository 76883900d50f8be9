"""One bot per database: an exclusive advisory lock on a file beside the SQLite file.

Two bots on one database would each check the same feeds and each post the same new items, so a
second one must refuse to start. The lock is a ``flock`` (Linux, macOS) on ``<database>.lock``,
named after the database's real path (a symlink to the file shares its lock): the kernel drops it
when the holder closes the file, exits or is killed (even by SIGKILL), so a lock file left behind
by a dead bot holds nothing. The holder's process id is written into the file only so the refusal
can name it. Where there is no ``fcntl`` (Windows) the bot runs without the lock, with a warning.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from bot.errors import StorageError

try:
    import fcntl
except ImportError:  # Windows: no flock
    HAVE_FLOCK = False
else:
    HAVE_FLOCK = True

log = logging.getLogger(__name__)

_warned = False


def lock_path_for(db_path: Path) -> Path:
    """Where the lock file of a database lives: beside its real file, named after it."""
    real = db_path.resolve()
    return real.with_name(real.name + ".lock")


class DatabaseLock:
    """A held lock on one database; ``release`` (or the process ending, or the object being
    garbage-collected) lets the next bot in."""

    def __init__(self, fd: int | None, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, db_path: Path) -> DatabaseLock:
        """Take the lock without waiting; raise StorageError when another process holds it."""
        path = lock_path_for(db_path)
        if not HAVE_FLOCK:
            _warn_unlocked(db_path)
            return cls(None, path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StorageError(_open_error(path, exc)) from None
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
            fd, self._fd = self._fd, None
            os.close(fd)

    def __del__(self) -> None:
        # a lock dropped without release must not keep its descriptor (and the lock) forever
        try:
            self.release()
        except OSError:
            pass


def _warn_unlocked(db_path: Path) -> None:
    """Say once per process that nothing stops a second bot on this system."""
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "file locking is not available on this system: nothing stops a second Newsbot on "
            "the database %s, so run only one", db_path,
        )


def _open_error(path: Path, exc: OSError) -> str:
    """Why the lock file could not be opened, naming the file or the directory at fault."""
    if path.exists() and not os.access(path, os.W_OK):
        try:
            owner = f" (it belongs to user id {path.stat().st_uid}, this bot runs as {os.getuid()})"
        except (OSError, AttributeError):
            owner = ""
        return (
            f"cannot open the lock file {path}: it is not writable by this user{owner}; "
            "run the bot as the user that owns the data directory, or fix the file's owner"
        )
    if not path.exists() and not os.access(path.parent, os.W_OK):
        return f"cannot create the lock file {path}: the directory {path.parent} is not writable"
    return f"cannot open the lock file {path}: {exc.strerror}"


def _read_pid(fd: int) -> str:
    """The process id the holder wrote into the lock file, or "" when unreadable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""

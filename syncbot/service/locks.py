"""One sync per tracker at a time, whoever starts it: the CLI, CI and the daemon take the same kind of lock.

An advisory ``flock`` on ``<state_dir>/locks/<tracker>.lock``.  ``flock`` locks belong to the open file,
so they exclude other processes (replicas sharing the directory) and other threads alike, and the kernel
drops them when a process dies: no stale lock after a crash.  The daemon tries once and retries later
(:meth:`TrackerLock.acquire`); a command waits its turn (:meth:`TrackerLock.wait`).  Runs on different
machines share no lock; they converge because every sync heals duplicates (:mod:`syncbot.duplicates`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from syncbot.statedir import ensure_state_dir


class Lock(Protocol):
    """What the embedded queue asks of a tracker's lock: try once, and give it back."""

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


LockFactory = Callable[[str], Lock]


class LockTimeout(Exception):
    """Another sync of the same tracker held the lock for longer than we wait."""


def lock_key(forge: str, repo: str | None, tracker: Path) -> str:
    """The same tracker spelled any way (relative, absolute) gives the same key."""
    return f"{forge}:{repo or '-'}:{tracker.resolve().as_posix()}"


class TrackerLock:
    def __init__(self, state_dir: Path, tracker_id: str) -> None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", tracker_id)[-60:]
        digest = hashlib.sha256(tracker_id.encode()).hexdigest()[:12]
        self.state_dir = state_dir
        self.path = state_dir / "locks" / f"{slug}-{digest}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock if it is free; False at once when another sync holds it."""
        ensure_state_dir(self.state_dir)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def wait(
        self,
        timeout: float,
        *,
        poll: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Take the lock, waiting up to ``timeout`` seconds for the sync holding it to finish."""
        deadline = clock() + timeout
        while not self.acquire():
            if clock() >= deadline:
                raise LockTimeout(
                    f"another sync of this tracker held {self.path} for over {timeout:.0f} s; "
                    "try again when it has finished"
                )
            sleep(poll)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> TrackerLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def file_locks(state_dir: Path) -> LockFactory:
    """The locks of one state directory, by tracker id: what the daemon's replicas share."""

    def lock(tracker_id: str) -> Lock:
        return TrackerLock(state_dir, tracker_id)

    return lock

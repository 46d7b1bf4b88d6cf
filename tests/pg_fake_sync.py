"""The sync two real `syncbot serve` replicas run in tests/test_pg_replicas.py, loaded through
SYNCBOT_SYNC_FUNCTION: the real sync against the local forge, with a line before and after it in a log
the test reads (``start TRACKER PID`` / ``end TRACKER PID ok|failed``).  While a file ``slow`` lies next to the
log, each sync waits for it to go before it syncs, so the test can kill a replica in the middle of one however
loaded the machine (a sleep of a few seconds was sometimes over before the kill landed)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def _line(log: Path, text: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{text}\n".encode())  # one write: lines of two processes never interleave
    finally:
        os.close(fd)


_AT_MOST = 120.0  # (a test that never removes the file still ends)


def counting_sync(settings: Any, tracker: Any) -> Any:
    from syncbot.runner import sync_tracker

    log = Path(os.environ["PG_TEST_SYNC_LOG"])
    _line(log, f"start {tracker.id} {os.getpid()}")
    slow = log.with_name("slow")
    give_up = time.monotonic() + _AT_MOST
    while slow.exists() and time.monotonic() < give_up:
        time.sleep(0.05)
    result = "failed"
    try:
        outcome = sync_tracker(settings, tracker)
        result = "ok"
    finally:
        _line(log, f"end {tracker.id} {os.getpid()} {result}")
    return outcome

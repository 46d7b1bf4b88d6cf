"""The sync two real `syncbot serve` replicas run in tests/test_pg_replicas.py, loaded through
SYNCBOT_SYNC_FUNCTION: the real sync against the local forge, with a line before and after it in a log
the test reads (``start TRACKER PID`` / ``end TRACKER PID ok|failed``).  While a file ``slow`` lies next to the
log, each sync first sleeps that many seconds, so the test can kill a replica in the middle of one."""

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


def counting_sync(settings: Any, tracker: Any) -> Any:
    from syncbot.runner import sync_tracker

    log = Path(os.environ["PG_TEST_SYNC_LOG"])
    _line(log, f"start {tracker.id} {os.getpid()}")
    slow = log.with_name("slow")
    if slow.exists():
        time.sleep(float(slow.read_text() or "3"))
    result = "failed"
    try:
        outcome = sync_tracker(settings, tracker)
        result = "ok"
    finally:
        _line(log, f"end {tracker.id} {os.getpid()} {result}")
    return outcome

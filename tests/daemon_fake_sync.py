"""A fake sync for the SIGTERM test, loaded by `syncbot serve` through SYNCBOT_SYNC_FUNCTION.

It leaves marker files in the state directory so the test can see that the sync started and that it
was allowed to finish, and it runs until the test writes ``may-finish`` (at most ``LONGEST`` seconds)."""

from __future__ import annotations

import time
from typing import Any

LONGEST = 30.0


def slow_sync(settings: Any, tracker: Any) -> bool:
    state = settings.state_dir
    state.mkdir(parents=True, exist_ok=True)
    (state / "sync-started").write_text(str(tracker.path))
    deadline = time.monotonic() + LONGEST
    while not (state / "may-finish").exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # another process: the test can only tell it through a file
    (state / "sync-finished").write_text(str(tracker.path))
    return True

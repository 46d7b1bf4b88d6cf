"""A slow fake sync for the SIGTERM test, loaded by `syncbot serve` through SYNCBOT_SYNC_FUNCTION.

It leaves marker files in the state directory so the test can see that the sync started and that it
was allowed to finish."""

from __future__ import annotations

import time
from typing import Any

SECONDS = 1.0


def slow_sync(settings: Any, tracker: Any) -> bool:
    state = settings.state_dir
    state.mkdir(parents=True, exist_ok=True)
    (state / "sync-started").write_text(str(tracker.path))
    time.sleep(SECONDS)
    (state / "sync-finished").write_text(str(tracker.path))
    return True

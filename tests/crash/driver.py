"""``python driver.py ARGS``: the syncbot command line, SIGKILLed after ``$CRASH_AFTER_WRITES`` forge
writes when set (counted at the local forge's one-transaction-per-request seam, after the commit)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from syncbot.cli import main
from syncbot.forge.local import LocalForge

limit = int(os.environ.get("CRASH_AFTER_WRITES", "0"))
if limit:
    real_write = LocalForge._write
    done = [0]

    @contextmanager
    def _write(self: LocalForge, path: str, method: str = "PATCH") -> Iterator[Any]:
        with real_write(self, path, method) as db:
            yield db
        done[0] += 1
        if done[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    LocalForge._write = _write  # type: ignore[method-assign]

main()

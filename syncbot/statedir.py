"""The bot's state directory (``.syncbot/`` by default): locks, the local forge, the HTTP cache, the
webhook delivery log.  It holds issue text, so it must never end up in the user's commits: it ignores
itself with a ``.gitignore`` of ``*`` written when it is created (or found without one)."""

from __future__ import annotations

import os
from pathlib import Path

IGNORE_ALL = "*\n"


def ensure_state_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed, with its self-ignoring ``.gitignore``; return it."""
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        try:
            fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return path  # another process wrote it first
        except OSError:
            return path  # a read-only state directory still works; git may show it
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(IGNORE_ALL)
    return path

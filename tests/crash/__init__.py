"""Kill ``syncbot`` with SIGKILL at chosen points: after the k-th forge write, or at a git command.

Both run the real command line in a subprocess; nothing here raises an exception inside syncbot, so what
a test sees afterwards is what a power cut or an OOM kill would leave.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).with_name("driver.py")
ROOT = Path(__file__).resolve().parents[2]

_GIT_SHIM = """#!/bin/sh
# Kill the syncbot process (this git's parent) at the KILL_NTH run of `git KILL_SUB`.
sub="$1"; [ "$1" = "-C" ] && sub="$3"
if [ "$sub" = "$KILL_SUB" ]; then
  n=$(( $(cat "$KILL_COUNT" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$KILL_COUNT"
  if [ "$n" = "$KILL_NTH" ]; then kill -9 "$PPID"; exit 137; fi
fi
exec "$REAL_GIT" "$@"
"""


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with no ``SYNCBOT_*`` setting, plus ``extra``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    return {**base, "PYTHONPATH": str(ROOT), **(extra or {})}


def command(*args: str) -> list[str]:
    return [sys.executable, str(DRIVER), *args]


def syncbot(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``syncbot ARGS`` in ``cwd`` (the local forge in ``cwd/.syncbot``), with a clean configuration."""
    return subprocess.run(
        command(*args),
        cwd=cwd,
        env=environment(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def kill_after_writes(k: int) -> dict[str, str]:
    """Environment that makes the driver SIGKILL itself right after its k-th forge write."""
    return {"CRASH_AFTER_WRITES": str(k)}


def kill_at_git(tmp: Path, sub: str, nth: int = 1) -> dict[str, str]:
    """Environment whose ``git`` SIGKILLs syncbot at the ``nth`` run of ``git SUB`` (before it runs)."""
    bin_dir = tmp / "kill-bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "git"
    shim.write_text(_GIT_SHIM)
    shim.chmod(0o755)
    real = shutil.which("git")
    assert real is not None
    counter = tmp / f"kill-count-{sub}-{nth}"
    counter.unlink(missing_ok=True)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "REAL_GIT": real,
        "KILL_SUB": sub,
        "KILL_NTH": str(nth),
        "KILL_COUNT": str(counter),
    }

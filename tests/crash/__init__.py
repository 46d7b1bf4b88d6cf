"""Kill ``syncbot`` with SIGKILL at chosen points: after the k-th forge write, or at a git command.

Both run the real command line in another process (:func:`syncbot` forks this one, so no interpreter
start-up is paid per run); nothing here raises an exception inside syncbot, so what a test sees afterwards
is what a power cut or an OOM kill would leave.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    return {**base, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]), **(extra or {})}


def command(*args: str) -> list[str]:
    return [sys.executable, str(DRIVER), *args]


def syncbot(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``syncbot ARGS`` in ``cwd`` (the local forge in ``cwd/.syncbot``), with a clean configuration, in a
    forked child; ``returncode`` is ``-9`` when it was killed."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        pid = os.fork()
        if pid == 0:  # the child: become `syncbot ARGS` and never return into pytest
            code = 70
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - pytest's capture is not fd 1
                sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(environment(env))
                install_write_kill(int(os.environ.get("CRASH_AFTER_WRITES", "0")))
                sys.argv = ["syncbot", *args]
                from syncbot.cli import main

                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(args, returncode, out.read(), err.read())


def install_write_kill(limit: int) -> None:
    """Make this process SIGKILL itself right after its ``limit``-th local-forge write (0: never)."""
    if not limit:
        return
    from syncbot.forge.local import LocalForge

    real_write = LocalForge._write
    done = [0]

    @contextmanager
    def _write(self: LocalForge, path: str, method: str = "PATCH") -> Iterator[Any]:
        with real_write(self, path, method) as db:
            yield db
        done[0] += 1  # counted once the write's transaction is committed
        if done[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

    LocalForge._write = _write  # type: ignore[method-assign]


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

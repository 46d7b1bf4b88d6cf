"""`syncbot sync` in the checkout CI makes, against a bare remote on disk (the local forge, no network).

    .venv/bin/python benchmarks/ci_checkout.py [--commits 3000] [--back 30,300] [--syncbot PATH]

Builds a remote whose `main` has ``--commits`` commits, runs a first sync, then pushes ``Session: 3 done``,
``--back`` - 2 other commits and ``Session: 4 done``, so the last commit syncbot read is ``--back`` commits
below the tip.  Then, for a shallow clone (``--depth 1``, ``git checkout --detach``, no git identity,
``GITHUB_REF_NAME=main``) and a full one, it times ``syncbot sync`` and prints what it fetched, how many
trailers it read, and whether the remote's tracker shows both sessions done in a commit by the bot.
``--syncbot`` runs another build (e.g. one from before CI mode) for a before/after.  Figures go in
docs/deploy.md, "CI".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRACKER = """# Tracker

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Done | None |
| 2 | Two | Pending | Session 1 |
| 3 | Three | Pending | Session 2 |
| 4 | Four | Pending | Session 3 |
"""
PERSON = ["-c", "user.name=Ann", "-c", "user.email=ann@example.com"]


def git(*args: str, cwd: Path | None = None, env: dict[str, str], stdin: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=True)
    return proc.stdout


def filler(count: int, parent: str, tag: str, start: int) -> str:
    """A fast-import stream of ``count`` commits on main after ``parent``, each touching one small file."""
    out = []
    for i in range(1, count + 1):
        out += [
            "commit refs/heads/main",
            f"committer Ann <ann@example.com> {start + i} +0000",
            "data <<X",
            f"{tag} {i}",
        ]
        out += [
            "X",
            *([f"from {parent}"] if i == 1 else []),
            f"M 644 inline {tag}{i % 50}.txt",
            "data <<Y",
            str(i),
            "Y",
            "",
        ]
    return "\n".join(out) + "\n"


def scene(base: Path, commits: int, back: int, syncbot: str) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(base / "home"), "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8"}
    (base / "home").mkdir()
    origin, dev = base / "origin.git", base / "dev"
    git("init", "-q", "--bare", "-b", "main", str(origin), env=env)
    git("clone", "-q", origin.as_uri(), str(dev), env=env)
    (dev / "SESSION_TRACKER.md").write_text(TRACKER)
    (dev / ".gitignore").write_text(".syncbot/\n")
    git("checkout", "-q", "-b", "main", cwd=dev, env=env)
    git("add", "-A", cwd=dev, env=env)
    git(*PERSON, "commit", "-qm", "tracker", cwd=dev, env=env)
    head = git("rev-parse", "HEAD", cwd=dev, env=env).strip()
    git("fast-import", "--quiet", cwd=dev, env=env, stdin=filler(commits - back - 1, head, "old", 1_700_000_000))
    git("reset", "-q", "--hard", "main", cwd=dev, env=env)
    git("push", "-q", "origin", "main", cwd=dev, env=env)
    sync_env = {**env, "SYNCBOT_TRACKER": "SESSION_TRACKER.md", "SYNCBOT_LOCAL_DB": str(base / "forge.db")}
    subprocess.run([syncbot, "sync"], cwd=dev, env=sync_env, capture_output=True, check=True)
    git(*PERSON, "commit", "-q", "--allow-empty", "-m", "Three\n\nSession: 3 done", cwd=dev, env=env)
    head = git("rev-parse", "HEAD", cwd=dev, env=env).strip()
    git("fast-import", "--quiet", "--force", cwd=dev, env=env, stdin=filler(back - 2, head, "new", 1_800_000_000))
    git("reset", "-q", "--hard", "main", cwd=dev, env=env)
    git(*PERSON, "commit", "-q", "--allow-empty", "-m", "Four\n\nSession: 4 done", cwd=dev, env=env)
    git("push", "-q", "origin", "main", cwd=dev, env=env)
    tip = git("rev-parse", "HEAD", cwd=dev, env=env).strip()
    shutil.copy(base / "forge.db", base / "forge-after-first.db")
    total = git("rev-list", "--count", "main", cwd=dev, env=env).strip()
    print(f"{total} commits, the last one read {back} below the tip")
    for mode in ("shallow", "full"):
        work = base / mode
        git("clone", "-q", *(["--depth", "1"] if mode == "shallow" else []), origin.as_uri(), str(work), env=env)
        git("checkout", "-q", "--detach", cwd=work, env=env)
        db = base / f"forge-{mode}.db"
        shutil.copy(base / "forge-after-first.db", db)
        ci_env = {
            **env,
            "HOME": str(base / "empty-home"),
            "GITHUB_ACTIONS": "true",
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "SYNCBOT_TRACKER": "SESSION_TRACKER.md",
            "SYNCBOT_LOCAL_DB": str(db),
            "SYNCBOT_PUSH": "true",
        }
        (base / "empty-home").mkdir(exist_ok=True)
        started = time.perf_counter()
        proc = subprocess.run([syncbot, "sync"], cwd=work, env=ci_env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        fetched = re.search(r"fetched more history \(([^)]*)\)", proc.stderr)
        read = proc.stdout.count("planned → done")
        remote = git(f"--git-dir={origin}", "show", "main:SESSION_TRACKER.md", env=env)
        done = "| 3 | Three | Done" in remote and "| 4 | Four | Done" in remote
        author = git(f"--git-dir={origin}", "log", "-1", "--format=%an", "main", env=env).strip()
        error = proc.stderr.strip().splitlines()[-1] if proc.returncode else ""
        print(
            f"  {mode:8} exit {proc.returncode}  {seconds:5.2f} s  fetched: {fetched.group(1) if fetched else '-':28} "
            f"trailers read: {read}  remote shows 3 and 4 done: {done} (by {author})"
            + (f"\n    {error}" if error else "")
        )
        # Reset the remote for the next mode.
        git(f"--git-dir={origin}", "update-ref", "refs/heads/main", tip, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--back", default="30,300", help="comma-separated distances of the last commit read")
    parser.add_argument("--syncbot", default=str(Path(sys.executable).with_name("syncbot")))
    args = parser.parse_args()
    for back in (int(b) for b in args.back.split(",")):
        with tempfile.TemporaryDirectory(prefix="syncbot-ci-") as tmp:
            scene(Path(tmp), args.commits, back, args.syncbot)


if __name__ == "__main__":
    main()

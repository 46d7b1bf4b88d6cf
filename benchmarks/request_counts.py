"""Request counts of a push sync against the loopback GitHub emulator (tests/emulators/github.py).

    .venv/bin/python benchmarks/request_counts.py [--sizes 10,100,1000] [--milestones wave|phase|none] [--markdown]

For each size: the first sync, a no-op sync without validators (a cold cache: every listing a 200), the
same with validators (every listing a 304, which GitHub does not count against the rate limit), and one
status change.  The real planner (syncbot.plan) and applier (syncbot.apply) run against the real GitHub
adapter through PyGithub; the counts come from the adapter's HTTP seam (``forge.stats``).

Goal (issue 11): a no-op sync of N sessions makes at most ceil(N/100) + 3 GETs and no write; a first sync makes
N issue creates, one write per native link and at most 30 label and milestone writes (plus one close per
session already closed: no forge creates an issue closed).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the `requests` package: take its folder off the path before anything imports it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT / "tests"))

from emulators import GITHUB_TOKEN  # noqa: E402
from emulators.github import GitHubEmulator  # noqa: E402
from loguru import logger  # noqa: E402

from syncbot.apply import apply_plan, forge_state  # noqa: E402
from syncbot.desired import build_desired  # noqa: E402
from syncbot.forge.github import GitHubForge  # noqa: E402
from syncbot.plan import plan_sync  # noqa: E402
from syncbot.readers import read_document  # noqa: E402
from syncbot.readers.common import Document  # noqa: E402

REPO = "bench/tracker"
HEADER = (
    "# Session Tracker\n\n"
    "| Session | Title | Status | Duration | Prerequisites | Output |\n"
    "|---------|-------|--------|----------|---------------|--------|\n"
)


def tracker_md(n: int, changed: int | None = None, *, fan_in: int = 10) -> str:
    """``n`` sessions in waves of 10, each depending on one session of the wave before.

    ``fan_in`` sessions share each prerequisite, so there are about n/fan_in ``depends-on:`` labels: a
    plan with many small waves of work, and few hand-off points.
    """
    rows = []
    for i in range(1, n + 1):
        wave = (i - 1) // 10
        pre = f"Session {max(1, (wave - 1) * 10 + 1 + ((i - 1) % 10) // fan_in)}" if wave else "None"
        status = "✅ Done" if i <= n // 3 else ("🔄 Ready" if wave == n // 30 else "⏳ Waiting")
        if i == changed:
            status = "✅ Done" if "Done" not in status else "⏳ Waiting"
        rows.append(f"| {i} | Work unit {i} | {status} | 2h | {pre} | out {i} |")
    return HEADER + "\n".join(rows) + "\n"


@dataclass
class Count:
    gets: int
    not_modified: int
    writes: int
    actions: int
    seconds: float
    pages: tuple[int, int, int]  # GETs of the issues, labels and milestones listings

    def __str__(self) -> str:
        return f"{self.gets} GET ({self.not_modified}×304) + {self.writes} writes [{self.actions} actions]"


def sync(forge: GitHubForge, md: str, milestones: str) -> Count:
    before = (forge.stats.gets, forge.stats.not_modified, forge.stats.writes)
    listings = [f"GET /repos/{REPO}/{name}" for name in ("issues", "labels", "milestones")]
    pages_before = [forge.stats.by_path.get(k, 0) for k in listings]
    started = time.perf_counter()
    tracker, _ = read_document(Document("SESSION_TRACKER.md", md), "table")
    desired = build_desired(tracker, milestones=milestones)
    plan = plan_sync(desired, forge_state(forge, desired), force=True)
    apply_plan(plan, forge, progress=False)
    return Count(
        forge.stats.gets - before[0],
        forge.stats.not_modified - before[1],
        forge.stats.writes - before[2],
        len(plan.actions),
        time.perf_counter() - started,
        tuple(forge.stats.by_path.get(k, 0) - b for k, b in zip(listings, pages_before, strict=True)),
    )


def run(n: int, milestones: str, cache: Path) -> dict[str, object]:
    emulator = GitHubEmulator(tokens=(GITHUB_TOKEN,))
    emulator.add_repo(REPO)
    # Count past GitHub's hourly 5,000: a first sync of thousands of sessions needs more than an hour's.
    emulator.rate_remaining = 1_000_000
    emulator.start()
    try:

        def forge(cache_dir: Path | None = None) -> GitHubForge:
            return GitHubForge(REPO, GITHUB_TOKEN, emulator.base_url, seconds_between_writes=0, cache_dir=cache_dir)

        md = tracker_md(n)
        first = sync(forge(), md, milestones)
        cold = sync(forge(), md, milestones)  # a new process with no validators: every listing a 200
        warm_forge = forge(cache / str(n))
        sync(warm_forge, md, milestones)  # fills the on-disk validator cache
        rate_before = emulator.rate_remaining
        warm = sync(forge(cache / str(n)), md, milestones)  # the next run: every listing a 304
        counted = rate_before - emulator.rate_remaining
        change = sync(forge(cache / str(n)), tracker_md(n, changed=n // 3 + 1), milestones)
        repo = emulator.repos[REPO]
        return {
            "n": n,
            "labels": len(repo.labels),
            "milestones": len(repo.milestones),
            "first": first,
            "cold": cold,
            "warm": warm,
            "warm_counted": counted,
            "change": change,
            "goal": math.ceil(n / 100) + 3,  # issue 11: issue pages (N + 1 issues), labels, milestones
        }
    finally:
        emulator.stop()


def pull_run(n: int, folder: Path, write_back: str = "git") -> dict[str, object]:
    """The pull direction: one sync (pull, push, report: ``syncbot.engine.run_sync``) after a person closed
    one session's issue, the tracker in a git working tree (``write_back="git"``) or read and written
    through the contents API (``"api"``, no clone).  Listings answer 304 from the run before's validators.
    """
    import os
    import subprocess

    from syncbot.engine import run_sync
    from syncbot.forge.base import IssueChange
    from syncbot.markers import parse
    from syncbot.settings import Settings

    for name, value in {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }.items():
        os.environ.setdefault(name, value)
    md = tracker_md(n)
    repo = folder / f"pull-{write_back}-{n}"
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(repo)], check=True)
    (repo / "SESSION_TRACKER.md").write_text(md, encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "SESSION_TRACKER.md"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "--quiet", "-m", "Add the tracker"], check=True)
    emulator = GitHubEmulator(tokens=(GITHUB_TOKEN,))
    emulator.add_repo(REPO)
    emulator.commit(REPO, "Add the tracker\n", {"SESSION_TRACKER.md": md})
    emulator.start()
    settings = Settings(_env_file=None, forge="local", write_back=write_back)  # type: ignore[call-arg]
    path = Path("SESSION_TRACKER.md") if write_back == "api" else repo / "SESSION_TRACKER.md"
    try:

        def forge() -> GitHubForge:
            return GitHubForge(
                REPO, GITHUB_TOKEN, emulator.base_url, seconds_between_writes=0, cache_dir=folder / f"pull-{n}"
            )

        run_sync(settings, path, forge=forge(), progress=False)  # the first sync: issues for every session
        run_sync(settings, path, forge=forge(), progress=False)  # no-op: fills the validators
        person = forge()
        key = str(n // 3 + 1)  # the first session not done yet
        [number] = [
            i.number for i in person.list_issues("tracker:session-tracker-md") if (p := parse(i.body)) and p.key == key
        ]
        person.update_issue(number, IssueChange(state="closed", state_reason="completed"))
        bot = forge()
        rate_before = emulator.rate_remaining
        started = time.perf_counter()
        report = run_sync(settings, path, forge=bot, progress=False)
        seconds = time.perf_counter() - started
        assert [c.key for c in report.changes] == [key] and report.commit is not None, report.changes
        counted = rate_before - emulator.rate_remaining
        again = forge()
        run_sync(settings, path, forge=again, progress=False)
        return {
            "n": n,
            "write_back": write_back,
            "sync": Count(
                bot.stats.gets, bot.stats.not_modified, bot.stats.writes, len(report.plan.actions), seconds, (0, 0, 0)
            ),
            "by_path": dict(sorted(bot.stats.by_path.items())),
            "counted": counted,
            "comments": report.session_comments + int(report.summary_posted),
            "after": Count(again.stats.gets, again.stats.not_modified, again.stats.writes, 0, 0.0, (0, 0, 0)),
        }
    finally:
        emulator.stop()


def plan_time(n: int, milestones: str, folder: Path) -> dict[str, float]:
    """Planner time alone (no HTTP): against an empty forge, and against one already in sync.

    The synced state comes from applying the first plan to the embedded local forge; the listings are
    read once outside the timed part, as an adapter would hand them over.
    """
    from syncbot.forge.local import LocalForge

    tracker, _ = read_document(Document("SESSION_TRACKER.md", tracker_md(n)), "table")
    started = time.perf_counter()
    desired = build_desired(tracker, milestones=milestones)
    built = time.perf_counter() - started
    forge = LocalForge(folder / f"plan-{n}.db")
    empty = forge_state(forge, desired)
    started = time.perf_counter()
    first = plan_sync(desired, empty, force=True)
    first_s = time.perf_counter() - started
    apply_plan(first, forge, progress=False)
    synced = forge_state(forge, desired)
    started = time.perf_counter()
    noop = plan_sync(desired, synced, force=True)
    noop_s = time.perf_counter() - started
    assert noop.empty, [a.summary for a in noop.actions[:5]]
    return {"desired": built, "first": first_s, "noop": noop_s, "actions": float(len(first.actions))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--milestones", default="wave", choices=["wave", "phase", "none"])
    ap.add_argument("--markdown", action="store_true", help="print the table for docs/performance.md")
    ap.add_argument("--plan-time", type=int, default=0, metavar="N", help="also time the planner alone on N sessions")
    ap.add_argument(
        "--pull", type=int, default=0, metavar="N", help="also count a pull sync (one issue closed) on N sessions"
    )
    args = ap.parse_args()
    logger.remove()  # the applier logs every action: thousands of lines that would bury the figures
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(int(s), args.milestones, Path(tmp)) for s in args.sizes.split(",") if s]
        pulls = [pull_run(args.pull, Path(tmp), wb) for wb in ("git", "api")] if args.pull else []
        if args.plan_time:
            t = plan_time(args.plan_time, args.milestones, Path(tmp))
            print(
                f"plan time, {args.plan_time} sessions: desired state {t['desired']:.2f} s, first plan "
                f"{t['first']:.2f} s ({t['actions']:.0f} actions), no-op plan {t['noop']:.2f} s"
            )
    if pulls and args.markdown:
        print(
            "| sessions | tracker | sync after one issue closed | counted by GitHub | comments posted or edited "
            "| the sync after |"
        )
        print("| ---: | --- | --- | ---: | ---: | --- |")
    for r in pulls:
        c, after = r["sync"], r["after"]
        assert isinstance(c, Count) and isinstance(after, Count)
        where = "git working tree" if r["write_back"] == "git" else "contents API (no clone)"
        if args.markdown:
            print(f"| {r['n']} | {where} | {c} | {r['counted']} | {r['comments']} | {after} |")
            continue
        print(
            f"pull, N={r['n']}, {where}: {c} ({c.seconds:.2f} s), "
            f"{r['counted']} counted by GitHub, {r['comments']} comment(s); the sync after: {after}"
        )
        by_path = r["by_path"]
        assert isinstance(by_path, dict)
        for k, v in by_path.items():
            print(f"    {v:4d}  {k}")
    if pulls and results and args.markdown:
        print()
    if args.markdown and results:
        print(
            "| sessions | labels / milestones | first sync | no-op, no validators | no-op, 304s | "
            "pages: issues + labels + milestones | counted by GitHub | goal GETs | one status change |"
        )
        print("| ---: | ---: | --- | --- | --- | --- | ---: | ---: | --- |")
        for r in results:
            warm = r["warm"]
            assert isinstance(warm, Count)
            pages = " + ".join(map(str, warm.pages))
            print(
                f"| {r['n']} | {r['labels']} / {r['milestones']} | {r['first']} | {r['cold']} | {r['warm']} | "
                f"{pages} | {r['warm_counted']} | {r['goal']} | {r['change']} |"
            )
        return
    for r in results:
        print(f"N={r['n']}: {r['labels']} labels, {r['milestones']} milestones in the repository")
        for key in ("first", "cold", "warm", "change"):
            c = r[key]
            assert isinstance(c, Count)
            print(f"  {key:>6}: {c}  ({c.seconds:.2f} s; listing pages {c.pages})")
        print(f"  no-op with 304s: {r['warm_counted']} request(s) counted against the rate limit")
        print(f"  goal: {r['goal']} GETs, 0 writes for a no-op sync")


if __name__ == "__main__":
    main()

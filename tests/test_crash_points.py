"""A sync killed (SIGKILL) right after any one of its forge writes: the next run finishes the job with
one issue per unit, no lost summary and nothing staged.

Each case copies a prepared repository, runs ``syncbot sync`` in a subprocess that kills itself after
its k-th write, runs it again unharmed, and checks what a user would check.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from crash import kill_after_writes, syncbot

from syncbot.engine import run_sync
from syncbot.forge.local import LocalForge
from syncbot.markers import TRACKING_KEY, parse, read_baseline
from syncbot.settings import Settings
from syncbot.summary import summary_marker

if TYPE_CHECKING:
    from conftest import GitRepo

TRACKER = "SESSION_TRACKER.md"
TEXT = """# Tracker

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Pending | None |
| 2 | Two | Pending | Session 1 |
"""
FIRST_SYNC_WRITES = 12  # labels, milestones, issues, the link, the tracking issue, the summary, its record
PULL_WRITES = 8  # a label, the close, an update, a milestone, the tracking issue, the summary, its record, a note


def issues(repo: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for issue in LocalForge(repo / ".syncbot" / "forge.db").all_issues():
        if (p := parse(issue.body)) is not None:
            out.setdefault(p.key, []).append(issue.number)
    return out


def assert_finished(repo: GitRepo) -> None:
    by_key = issues(repo.path)
    assert {k: len(v) for k, v in by_key.items()} == {TRACKING_KEY: 1, "1": 1, "2": 1}
    forge = LocalForge(repo.path / ".syncbot" / "forge.db")
    tracking = forge.get_issue(by_key[TRACKING_KEY][0])
    summaries = [c for c in forge.list_comments(tracking.number) if summary_marker("session-tracker-md") in c.body]
    assert len(summaries) == 1  # posted, once
    assert read_baseline(tracking.body)[0].summary_hash is not None  # and recorded
    assert repo.git("diff", "--cached", "--name-only") == ""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert run_sync(settings, repo.path / TRACKER, forge=forge, dry_run=True, progress=False).plan.empty


@pytest.fixture
def fresh(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo("template")
    repo.commit("Add tracker", {TRACKER: TEXT})
    return repo


def copy(repo: GitRepo, name: str) -> GitRepo:
    target = repo.path.parent / name
    shutil.copytree(repo.path, target)
    return type(repo)(target)


def test_an_uninterrupted_run_makes_the_writes_counted_here(fresh: GitRepo) -> None:
    import json

    first = json.loads(syncbot(fresh.path, "sync", TRACKER, "--json").stdout)
    fresh.commit("Work\n\nSession: 1 done\n")
    pull = json.loads(syncbot(fresh.path, "sync", TRACKER, "--json").stdout)
    assert (first["requests"]["writes"], pull["requests"]["writes"]) == (FIRST_SYNC_WRITES, PULL_WRITES)


@pytest.mark.parametrize("k", range(1, FIRST_SYNC_WRITES + 1))
def test_a_first_sync_killed_after_write_k(fresh: GitRepo, k: int) -> None:
    repo = copy(fresh, f"first-{k}")
    assert syncbot(repo.path, "sync", TRACKER, env=kill_after_writes(k)).returncode == -9
    assert syncbot(repo.path, "sync", TRACKER).returncode == 0
    assert_finished(repo)


@pytest.mark.parametrize("k", range(1, PULL_WRITES + 1))
def test_a_pull_and_summary_killed_after_write_k(fresh: GitRepo, k: int) -> None:
    assert syncbot(fresh.path, "sync", TRACKER).returncode == 0
    fresh.commit("Work\n\nSession: 1 done\n")
    repo = copy(fresh, f"pull-{k}")
    assert syncbot(repo.path, "sync", TRACKER, env=kill_after_writes(k)).returncode == -9
    assert syncbot(repo.path, "sync", TRACKER).returncode == 0
    assert_finished(repo)
    assert "| 1 | One | Done | None |" in repo.git("show", f"HEAD:{TRACKER}")
    forge = LocalForge(repo.path / ".syncbot" / "forge.db")
    [tracking] = issues(repo.path)[TRACKING_KEY]
    [summary] = [c for c in forge.list_comments(tracking) if summary_marker("session-tracker-md") in c.body]
    assert "One" in summary.body and "done" in summary.body.lower()  # the pull's news was not lost

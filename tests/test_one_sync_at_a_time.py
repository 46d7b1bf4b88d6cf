"""One sync per tracker at a time, whoever starts it; the state directory never dirties the repository."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from crash import command, environment, syncbot

from syncbot.forge.local import LocalForge
from syncbot.markers import parse
from syncbot.service.locks import LockTimeout, TrackerLock, lock_key

if TYPE_CHECKING:
    from conftest import GitRepo

TRACKER = "SESSION_TRACKER.md"
UNITS = 12


def tracker_text(units: int = UNITS) -> str:
    after = {k: f"Session {k - 1}" if k > 1 else "None" for k in range(1, units + 1)}
    rows = [f"| {k} | Unit {k} | Pending | {after[k]} |" for k in after]
    head = "# Tracker\n\n| Session | Title | Status | Prerequisites |\n|---|---|---|---|\n"
    return head + "\n".join(rows) + "\n"


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit("Add tracker", {TRACKER: tracker_text()})
    return r


def issues_per_key(db: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for issue in LocalForge(db).all_issues():
        if (p := parse(issue.body)) is not None:
            counts[p.key] = counts.get(p.key, 0) + 1
    return counts


def test_four_syncs_started_together_leave_one_issue_per_unit(repo: GitRepo) -> None:
    runs = [
        subprocess.Popen(
            command("sync", TRACKER),
            cwd=repo.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        for _ in range(4)
    ]
    outcomes = [(r.wait(timeout=120), r.stderr.read() if r.stderr else "") for r in runs]
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], outcomes  # each waited its turn
    counts = issues_per_key(repo.path / ".syncbot" / "forge.db")
    assert counts == {"@tracking": 1, **{str(k): 1 for k in range(1, UNITS + 1)}}
    assert "nothing to do" in syncbot(repo.path, "plan", TRACKER).stdout


def test_a_second_sync_waits_for_the_first(tmp_path: Path) -> None:
    key = lock_key("local", None, tmp_path / TRACKER)
    first, second = TrackerLock(tmp_path, key), TrackerLock(tmp_path, key)
    assert first.acquire()
    assert not second.acquire()
    polls: list[float] = []

    def sleep(seconds: float) -> None:  # the first sync finishes while the second polls
        polls.append(seconds)
        if len(polls) == 3:
            first.release()

    second.wait(60, sleep=sleep, clock=lambda: float(len(polls)))
    assert len(polls) == 3
    second.release()


def test_a_sync_that_never_ends_times_out_with_one_line(tmp_path: Path) -> None:
    key = lock_key("local", None, tmp_path / TRACKER)
    holder = TrackerLock(tmp_path, key)
    assert holder.acquire()
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(LockTimeout, match="another sync of this tracker"):
        TrackerLock(tmp_path, key).wait(5, poll=1, sleep=sleep, clock=lambda: now[0])
    assert now[0] == 5


def test_the_same_tracker_spelled_two_ways_is_one_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert lock_key("local", None, Path(TRACKER)) == lock_key("local", None, tmp_path / TRACKER)


def test_the_state_directory_ignores_itself(repo: GitRepo) -> None:
    assert syncbot(repo.path, "sync", TRACKER).returncode == 0
    assert (repo.path / ".syncbot" / ".gitignore").read_text() == "*\n"
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    repo.git("add", ".")
    assert repo.git("diff", "--cached", "--name-only") == ""

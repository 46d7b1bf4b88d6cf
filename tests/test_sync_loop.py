"""Pull on a local working tree: never overwrite a person's edit, never write on a dry run, say who won."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from syncbot.engine import run_sync
from syncbot.forge.base import IssueChange
from syncbot.forge.local import LocalForge
from syncbot.markers import parse
from syncbot.model import Status
from syncbot.pull import LocalWorkspace, WriteConflict
from syncbot.readers import read_tracker
from syncbot.readers.common import Document
from syncbot.settings import Settings

if TYPE_CHECKING:
    from conftest import GitRepo

TRACKER = "SESSION_TRACKER.md"
TEXT = """# Tracker

**Completed**: 0/3

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Pending | None |
| 2 | Two | Pending | Session 1 |
| 3 | Three | Pending | Session 2 |

## Notes
Free text people edit.
"""


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit("Add tracker", {TRACKER: TEXT})
    return r


def numbers(forge: LocalForge) -> dict[str, int]:
    return {p.key: i.number for i in forge.list_issues("tracker:session-tracker-md") if (p := parse(i.body))}


def test_dry_run_writes_nothing_anywhere(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    forge = LocalForge(tmp_path / "forge.db")
    report = run_sync(settings(), repo.path / TRACKER, forge=forge, dry_run=True, progress=False)
    assert [(c.key, c.new) for c in report.changes] == [("1", Status.DONE)]
    assert not report.plan.empty
    assert forge.stats.writes == 0 and forge.list_issues("tracker:session-tracker-md") == []
    assert (repo.path / TRACKER).read_text() == TEXT
    assert repo.git("status", "--porcelain") == ""


def test_a_persons_edit_between_read_and_write_is_kept(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    real_write = LocalWorkspace.write
    raced = []

    def racing_write(self: LocalWorkspace, expected: str, text: str, message: str) -> str:
        if not raced:  # someone commits an edit of the notes just before our first write
            raced.append(True)
            repo.commit("Edit notes", {TRACKER: TEXT.replace("Free text people edit.", "A person's new line.")})
        return real_write(self, expected, text, message)

    monkeypatch.setattr(LocalWorkspace, "write", racing_write)
    run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)
    final = (repo.path / TRACKER).read_text()
    assert "A person's new line." in final
    assert "| 1 | One | Done | None |" in final


def test_write_refuses_when_the_file_changed(repo: GitRepo) -> None:
    ws = LocalWorkspace(repo.path, TRACKER)
    (repo.path / TRACKER).write_text(TEXT + "more\n")
    with pytest.raises(WriteConflict):
        ws.write(TEXT, TEXT.replace("Pending", "Done", 1), "msg")
    assert (repo.path / TRACKER).read_text() == TEXT + "more\n"


def test_both_sides_changed_the_later_event_wins_and_the_summary_says_so(repo: GitRepo, tmp_path: Path) -> None:
    forge = LocalForge(tmp_path / "f.db")
    run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False)
    # the issue is closed now (2026-11), the tracker edit was committed earlier (2026-01-01 in git_env)
    forge.update_issue(numbers(forge)["2"], IssueChange(state="closed", state_reason="completed"))
    repo.commit("Start 2", {TRACKER: (repo.path / TRACKER).read_text().replace("| Two | Pending", "| Two | Blocked")})

    report = run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False)

    [change] = report.changes
    assert (change.key, change.new, change.source) == ("2", Status.DONE, "forge")
    assert change.conflict and "tracker" in change.conflict
    assert read_tracker(repo.path / TRACKER).by_key()["2"].status is Status.DONE
    assert "Both sides changed" in report.summary or change.conflict in report.summary


def test_a_tracker_without_git_is_a_clear_error(tmp_path: Path) -> None:
    from syncbot.errors import UserError

    (tmp_path / TRACKER).write_text(TEXT)
    with pytest.raises(UserError, match="not inside a git repository"):
        run_sync(settings(), tmp_path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)


def test_document_positions_survive_the_workspace_read(repo: GitRepo) -> None:
    doc = LocalWorkspace(repo.path, TRACKER).read()
    assert isinstance(doc, Document) and doc.path == TRACKER and doc.text == TEXT


def test_a_later_trailer_beats_a_close_on_the_forge_and_the_issue_follows(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Start 1", {TRACKER: TEXT.replace("| One | Pending", "| One | In Progress")})
    forge = LocalForge(tmp_path / "f.db")
    run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False)
    n = numbers(forge)["1"]
    forge.update_issue(n, IssueChange(state="closed", state_reason="completed"))
    # a later commit says session 1 is still in progress: the tracker already says so, the issue must reopen
    repo.commit("Not yet\n\nSession: 1 in-progress\n", date="2099-01-01T00:00:00+00:00")

    run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False)
    assert forge.get_issue(n).state == "open"

    again = run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False)
    assert not again.changes and again.plan.empty
    assert read_tracker(repo.path / TRACKER).by_key()["1"].status is Status.IN_PROGRESS


def test_trailers_of_commits_the_push_rebased_onto_are_read_next_time(
    git_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    origin = git_repo("origin", bare=True)
    seed = git_repo("seed")
    seed.commit("Add tracker", {TRACKER: TEXT})
    seed.git("push", "--quiet", str(origin.path), "main")
    mine = git_repo("mine", clone=origin)
    # a person pushes a trailer that this clone has not fetched yet
    seed.commit("Two done\n\nSession: 2 done\n")
    seed.git("push", "--quiet", str(origin.path), "main")
    mine.commit("One done\n\nSession: 1 done\n")
    forge = LocalForge(tmp_path / "f.db")
    push = Settings(_env_file=None, push=True)  # type: ignore[call-arg]

    first = run_sync(push, mine.path / TRACKER, forge=forge, progress=False)
    assert first.commit is not None and [c.key for c in first.changes] == ["1"]
    # the push rebased the bot's commit onto the person's: their trailer is read by the next sync
    second = run_sync(push, mine.path / TRACKER, forge=forge, progress=False)
    assert [(c.key, c.new) for c in second.changes] == [("2", Status.DONE)]
    third = run_sync(push, mine.path / TRACKER, forge=forge, progress=False)
    assert not third.changes and third.commit is None and third.plan.empty

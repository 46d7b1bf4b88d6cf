"""The whole loop on every forge: trailers and issue state back into the tracker, the summary comment.

The tracker is seed 000 (the user's own Mac-Roman mojibake status matrix) in a real git repository made
in a temporary folder.  Each test is a story a user would tell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from syncbot.engine import SyncReport, run_sync
from syncbot.forge.base import Forge, IssueChange
from syncbot.markers import TRACKING_KEY, parse
from syncbot.model import Status
from syncbot.readers import read_tracker
from syncbot.settings import Settings

if TYPE_CHECKING:
    from conftest import GitRepo

ForgeFactory = Callable[[], Forge]

SEED = Path(__file__).parent.parent / "fixtures" / "seeds" / "000_e45d6e612abce616.txt"
TRACKER = "SESSION_TRACKER.md"


def settings() -> Settings:
    return Settings(_env_file=None, forge="local")  # type: ignore[call-arg]


def sync(repo: GitRepo, forge: Forge, **kw: object) -> SyncReport:
    return run_sync(settings(), repo.path / TRACKER, forge=forge, progress=False, **kw)  # type: ignore[arg-type]


def issues_by_key(forge: Forge) -> dict[str, int]:
    out = {}
    for issue in forge.list_issues("tracker:session-tracker-md"):
        p = parse(issue.body)
        if p:
            out[p.key] = issue.number
    return out


def changed_lines(repo: GitRepo, rev: str = "HEAD~1") -> list[str]:
    diff = repo.git("diff", "--unified=0", "--no-color", rev, "--", TRACKER)
    return [ln for ln in diff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def new_repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo()
    repo.commit("Add the session tracker", {TRACKER: SEED.read_text(encoding="utf-8")})
    return repo


def test_trailer_closes_the_issue_and_updates_the_tracker_in_its_own_style(
    git_repo: Callable[..., GitRepo], forge_factory: ForgeFactory
) -> None:
    repo, forge = new_repo(git_repo), forge_factory()
    repo.commit("Foundation contracts\n\nSession: 1 done\n")

    report = sync(repo, forge)

    assert report.commit is not None
    row = next(ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.startswith("| **1** |"))
    mojibake = "✅".encode().decode("mac_roman")  # the file spells every emoji this way; so must we
    assert changed_lines(repo) == [
        "-**Completed**: 0/8",
        "+**Completed**: 1/8",
        "-**Next Ready**: Session 1",
        "+**Next Ready**: Session 2",
        f"-{row}",
        "+" + row.replace("🔄".encode().decode("mac_roman") + " **READY**", f"{mojibake} **DONE**"),
    ]
    assert "Syncbot-Commit: yes" in repo.git("log", "-1", "--format=%B")
    numbers = issues_by_key(forge)
    closed = {i.number: i for i in forge.list_issues("tracker:session-tracker-md")}
    assert closed[numbers["1"]].state == "closed" and closed[numbers["1"]].state_reason == "completed"
    summaries = [c for c in forge.list_comments(numbers[TRACKING_KEY]) if "syncbot:summary" in c.body]
    assert len(summaries) == 1
    assert "Session: 1 done" in summaries[0].body
    [note] = forge.list_comments(numbers["1"])  # a short comment on the session's issue, naming the commit
    assert repo.git("rev-parse", "--short=7", "HEAD~1").strip() in note.body


def test_closing_an_issue_updates_the_tracker_and_a_further_sync_changes_nothing(
    git_repo: Callable[..., GitRepo], forge_factory: ForgeFactory
) -> None:
    repo, forge = new_repo(git_repo), forge_factory()
    sync(repo, forge)
    head = repo.git("rev-parse", "HEAD")
    numbers = issues_by_key(forge)
    forge.update_issue(numbers["1"], IssueChange(state="closed", state_reason="completed"))

    report = sync(repo, forge)

    assert [(c.key, c.new, c.source) for c in report.changes] == [("1", Status.DONE, "forge")]
    assert "+**Completed**: 1/8" in changed_lines(repo, head.strip())
    assert read_tracker(repo.path / TRACKER).by_key()["1"].status is Status.DONE

    head = repo.git("rev-parse", "HEAD")
    comments = len(forge.list_comments(numbers[TRACKING_KEY]))
    writes = forge.stats.writes
    again = sync(repo, forge)
    assert again.plan.empty and again.commit is None and not again.summary_posted
    assert forge.stats.writes == writes
    assert repo.git("rev-parse", "HEAD") == head
    assert len(forge.list_comments(numbers[TRACKING_KEY])) == comments


def test_not_planned_means_dropped_and_reopen_goes_back(
    git_repo: Callable[..., GitRepo], forge_factory: ForgeFactory
) -> None:
    repo, forge = new_repo(git_repo), forge_factory()
    sync(repo, forge)
    n = issues_by_key(forge)["4"]
    change = IssueChange(state="closed", state_reason="not_planned")
    if forge.name == "gitlab":  # GitLab has no close reason: people say it with the status label
        [issue] = [i for i in forge.list_issues("tracker:session-tracker-md") if i.number == n]
        change.labels = [lb for lb in issue.labels if not lb.startswith("status:")] + ["status:dropped"]
    forge.update_issue(n, change)
    assert sync(repo, forge).tracker.by_key()["4"].status is Status.DROPPED
    forge.update_issue(n, IssueChange(state="open", state_reason="reopened"))
    assert sync(repo, forge).tracker.by_key()["4"].status is Status.PLANNED


def test_unknown_session_in_a_trailer_is_a_warning_and_writes_nothing(
    git_repo: Callable[..., GitRepo], forge_factory: ForgeFactory
) -> None:
    repo, forge = new_repo(git_repo), forge_factory()
    sha = repo.commit("Typo in the trailer\n\nSession: 42 done\n")
    report = sync(repo, forge)
    assert report.commit is None and not report.changes
    [warning] = [w for w in report.warnings if "'42'" in w]
    assert sha[:7] in warning and "known keys" in warning
    assert "42" in report.summary


def test_bot_commits_are_never_read_back(git_repo: Callable[..., GitRepo], forge_factory: ForgeFactory) -> None:
    repo, forge = new_repo(git_repo), forge_factory()
    repo.commit("Start\n\nSession: 2 in-progress\n")
    first = sync(repo, forge)
    assert first.commit is not None
    second = sync(repo, forge)
    assert not second.changes and second.commit is None and second.plan.empty

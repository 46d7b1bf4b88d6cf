"""The bot's commit: built with git plumbing, in its own name; users' edits and index are theirs; a kill
at any git step leaves nothing staged and the next run completes the write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from crash import kill_at_git, syncbot

from syncbot.engine import run_sync
from syncbot.forge.local import LocalForge
from syncbot.markers import parse
from syncbot.settings import Settings

if TYPE_CHECKING:
    from conftest import GitRepo

TRACKER = "SESSION_TRACKER.md"
TEXT = """# Tracker

| Session | Title | Status | Prerequisites |
|---|---|---|---|
| 1 | One | Pending | None |
| 2 | Two | Pending | Session 1 |

## Notes
Free text people edit.
"""
USER_LINE = "A person's uncommitted line."


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    r = git_repo()
    r.commit("Add tracker", {TRACKER: TEXT})
    return r


def committed(repo: GitRepo) -> str:
    return repo.git("show", f"HEAD:{TRACKER}")


def staged(repo: GitRepo) -> str:
    return repo.git("diff", "--cached", "--name-only")


def issues_per_key(db: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for issue in LocalForge(db).all_issues():
        p = parse(issue.body)
        if p is not None and issue.state_reason != "duplicate":
            counts[p.key] = counts.get(p.key, 0) + 1
    return counts


def test_a_users_uncommitted_edit_stays_uncommitted_and_in_place(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    repo.write(TRACKER, TEXT.replace("Free text people edit.", USER_LINE))

    report = run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)

    assert report.commit is not None
    assert "| 1 | One | Done | None |" in committed(repo) and USER_LINE not in committed(repo)
    working = (repo.path / TRACKER).read_text()
    assert "| 1 | One | Done | None |" in working and USER_LINE in working
    assert staged(repo) == ""
    diff = repo.git("diff", "--unified=0", "--", TRACKER)
    assert f"+{USER_LINE}" in diff and "Done" not in diff  # only the user's edit is left uncommitted


def test_what_the_user_staged_stays_staged_and_out_of_the_bot_commit(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    repo.write("other.txt", "mine\n")
    repo.git("add", "other.txt")

    run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)

    assert staged(repo) == "other.txt\n"
    assert "other.txt" not in repo.git("show", "--name-only", "--format=", "HEAD")


def test_the_bot_commits_in_its_own_name_with_no_git_identity(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)  # a fresh CI container: no identity anywhere

    run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)

    assert repo.git("log", "-1", "--format=%an <%ae>|%cn").strip() == "syncbot <syncbot@localhost>|syncbot"
    assert staged(repo) == "" and repo.git("status", "--porcelain") == ""


def test_the_identity_is_a_setting(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    chosen = settings(commit_identity="git")  # git's own configuration: the fixture's Ann Author
    run_sync(chosen, repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)
    assert repo.git("log", "-1", "--format=%an").strip() == "Ann Author"


def test_a_human_commit_landing_during_the_write_is_never_overwritten(repo: GitRepo, tmp_path: Path) -> None:
    from syncbot import gitwrite

    repo.commit("Done\n\nSession: 1 done\n")
    real = gitwrite._message
    raced: list[bool] = []

    def racing(repo_path: object, message: str) -> bytes:
        if not raced:  # a person commits after the bot read HEAD, before it moves the branch
            raced.append(True)
            repo.commit("Person", {"person.txt": "hi\n"})
        return real(repo_path, message)  # type: ignore[arg-type]

    gitwrite._message = racing  # type: ignore[assignment]
    try:
        run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)
    finally:
        gitwrite._message = real
    assert repo.git("log", "--format=%s", "-3").splitlines()[1] == "Person"
    assert "| 1 | One | Done | None |" in committed(repo)


@pytest.mark.parametrize(
    ("sub", "nth"),
    [("hash-object", 1), ("commit-tree", 1), ("update-ref", 1), ("update-index", 2), ("cat-file", 1)],
)
def test_a_kill_at_any_git_step_leaves_nothing_staged_and_the_next_run_completes(
    repo: GitRepo, tmp_path: Path, sub: str, nth: int
) -> None:
    assert syncbot(repo.path, "sync", TRACKER).returncode == 0
    repo.commit("Done\n\nSession: 1 done\n")
    repo.write(TRACKER, (repo.path / TRACKER).read_text().replace("Free text people edit.", USER_LINE))

    killed = syncbot(repo.path, "sync", TRACKER, env=kill_at_git(tmp_path, sub, nth))
    assert killed.returncode == -9, killed.stderr

    again = syncbot(repo.path, "sync", TRACKER)
    assert again.returncode == 0, again.stderr
    assert staged(repo) == ""
    assert "| 1 | One | Done | None |" in committed(repo) and USER_LINE not in committed(repo)
    working = (repo.path / TRACKER).read_text()
    assert "| 1 | One | Done | None |" in working and USER_LINE in working
    assert repo.git("log", "--format=%an").split("\n").count("syncbot") == 1  # one bot commit, not two
    assert issues_per_key(repo.path / ".syncbot" / "forge.db") == {"@tracking": 1, "1": 1, "2": 1}
    assert "nothing to do" in syncbot(repo.path, "plan", TRACKER).stdout


def test_carrying_the_bots_edit_past_a_users_edit_of_the_next_row() -> None:
    from syncbot.gitwrite import carry_edit

    base = b"| 1 | One | Pending |\n| 2 | Two | Pending |\nCompleted: 0/2\n"
    bot = b"| 1 | One | Done |\n| 2 | Two | Pending |\nCompleted: 1/2\n"
    user = b"| 1 | One | Pending |\n| 2 | Two | Done |\nCompleted: 0/2\nmy note\n"
    assert carry_edit(base, bot, user) == b"| 1 | One | Done |\n| 2 | Two | Done |\nCompleted: 1/2\nmy note\n"
    both = b"| 1 | One | Blocked |\n| 2 | Two | Pending |\nCompleted: 0/2\n"
    assert carry_edit(base, bot, both) is None  # the user rewrote the very line the bot writes
    assert carry_edit(b"", b"new\n", b"") == b"new\n"


def test_a_user_editing_the_next_row_keeps_the_edit_uncommitted(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("Done\n\nSession: 1 done\n")
    repo.write(TRACKER, TEXT.replace("| 2 | Two | Pending", "| 2 | Two | Done"))

    run_sync(settings(), repo.path / TRACKER, forge=LocalForge(tmp_path / "f.db"), progress=False)

    assert "| 1 | One | Done |" in committed(repo) and "| 2 | Two | Pending |" in committed(repo)
    working = (repo.path / TRACKER).read_text()
    assert "| 1 | One | Done |" in working and "| 2 | Two | Done |" in working
    assert staged(repo) == ""

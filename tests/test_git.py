"""The git wrapper, on real repositories made in tmp_path."""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from syncbot.git import (
    GitError,
    NothingToCommit,
    PushConflict,
    PushRaceLost,
    PushRejected,
    commit_file,
    commits_since,
    current_branch,
    default_branch,
    file_at,
    head_sha,
    push_with_retry,
    run_git,
)
from syncbot.trailers import BOT_TRAILER, is_bot_commit, updates_from_values

if TYPE_CHECKING:
    from conftest import GitRepo

MakeRepo = Callable[..., "GitRepo"]


def test_run_git_error_names_the_command_and_stderr(git_repo: MakeRepo) -> None:
    repo = git_repo()
    with pytest.raises(GitError) as info:
        run_git(repo.path, "rev-parse", "--verify", "no-such-branch")
    assert "git -C" in str(info.value) and "rev-parse --verify no-such-branch" in str(info.value)
    assert info.value.returncode != 0
    assert "no-such-branch" in info.value.stderr or "Needed a single revision" in info.value.stderr


def test_commits_since_reads_trailers_oldest_first_with_a_watermark(
    git_repo: MakeRepo, git_env: dict[str, str]
) -> None:
    repo = git_repo()
    first = repo.commit("Plan\n", {"T.md": "a\n"}, date="2026-01-01T10:00:00+02:00")
    second = repo.commit(
        "Pools\n\nSome prose.\n\nSession: 3 done\nSessions: 4-5 in-progress\nSigned-off-by: A <a@x>\n",
        date="2026-01-02T00:00:00+00:00",
    )
    third = repo.commit("Prose only\n\nSession: 9 done\nis not a trailer block.\n", date="2026-01-03T00:00:00Z")

    commits = commits_since(repo.path, None, "main")
    assert [c.sha for c in commits] == [first, second, third]
    c = commits[1]
    assert c.subject == "Pools"
    assert c.author == f"{git_env['GIT_AUTHOR_NAME']} <{git_env['GIT_AUTHOR_EMAIL']}>"
    assert c.committed_at == datetime(2026, 1, 2, tzinfo=UTC)
    assert commits[0].committed_at.utcoffset() is not None
    assert c.session_trailer_values == ("3 done", "4-5 in-progress")
    assert c.message.startswith("Pools\n\nSome prose.") and c.message.endswith("Signed-off-by: A <a@x>\n")
    assert commits[2].session_trailer_values == ()
    assert not any(c.is_bot for c in commits)

    assert [c.sha for c in commits_since(repo.path, first, "main")] == [second, third]
    assert commits_since(repo.path, third, "main") == []


def test_git_and_the_pure_parser_read_the_same_updates(git_repo: MakeRepo) -> None:
    repo = git_repo()
    message = "Work\n\nSession: 3 done\n  and more\nsession: 4 wip\nSession: 5 finito\n"
    repo.commit(message)
    (commit,) = commits_since(repo.path, None, "main")
    assert commit.session_trailer_values == ("3 done and more", "4 wip", "5 finito")
    updates, warnings = updates_from_values(commit.session_trailer_values)
    assert [u.keys for u in updates] == [("3",), ("4",)]
    assert len(warnings) == 1


def test_the_trailer_key_is_configurable(git_repo: MakeRepo) -> None:
    repo = git_repo()
    repo.commit("Work\n\nStep: 2 done\nSTEPS: 3 ready\nSession: 4 done\n")
    (commit,) = commits_since(repo.path, None, "main", key="Step")
    assert commit.session_trailer_values == ("2 done", "3 ready")
    with pytest.raises(ValueError, match="trailer key"):
        commits_since(repo.path, None, "main", key="Step,valueonly)")


def test_commits_since_follows_the_first_parent_line(git_repo: MakeRepo) -> None:
    repo = git_repo()
    base = repo.commit("Base\n", {"a": "1\n"})
    repo.git("checkout", "--quiet", "-b", "topic")
    side = repo.commit("Side\n\nSession: 1 done\n", {"b": "1\n"})
    repo.git("checkout", "--quiet", "main")
    main_only = repo.commit("Main\n", {"c": "1\n"})
    repo.git("merge", "--quiet", "--no-ff", "-m", "Merge topic\n\nSession: 2 done", "topic")
    merge = head_sha(repo.path)
    shas = [c.sha for c in commits_since(repo.path, base, "main")]
    assert shas == [main_only, merge]
    assert side not in shas


def test_unknown_watermark_is_a_clear_error(git_repo: MakeRepo) -> None:
    repo = git_repo()
    repo.commit("One\n")
    with pytest.raises(GitError, match="not in this repository"):
        commits_since(repo.path, "0" * 40, "main")


def test_commit_file_commits_only_that_file_and_marks_it(git_repo: MakeRepo) -> None:
    repo = git_repo()
    repo.commit("Init\n", {"TRACKER.md": "| 1 | planned |\n", "other.txt": "x\n"})
    repo.write("other.txt", "person's unstaged edit\n")
    repo.write("staged.txt", "person's staged file\n")
    repo.git("add", "staged.txt")
    repo.write("TRACKER.md", "| 1 | done |\r\n")

    sha = commit_file(repo.path, "TRACKER.md", "syncbot: Session 1 done\n\n#3 stays, it is not a comment\n")
    assert sha == head_sha(repo.path)
    assert repo.git("show", "--name-only", "--format=", sha).split() == ["TRACKER.md"]
    message = repo.git("log", "-1", "--format=%B")
    assert "#3 stays" in message
    assert is_bot_commit(message)
    assert file_at(repo.path, sha, "TRACKER.md") == "| 1 | done |\r\n"
    status = repo.git("status", "--porcelain").splitlines()
    assert sorted(status) == [" M other.txt", "A  staged.txt"]
    (commit,) = commits_since(repo.path, f"{sha}~1", "main")
    assert commit.is_bot

    with pytest.raises(NothingToCommit):
        commit_file(repo.path, "TRACKER.md", "again")


def test_commit_file_keeps_the_bot_trailer_in_the_existing_trailer_block(git_repo: MakeRepo) -> None:
    repo = git_repo()
    repo.commit("Init\n", {"T.md": "a\n"})
    repo.write("T.md", "b\n")
    commit_file(repo.path, "T.md", "syncbot: update\n\nSession: 1 done\n")
    (commit,) = commits_since(repo.path, "HEAD~1", "main")
    assert commit.session_trailer_values == ("1 done",)
    assert commit.is_bot
    assert commit.message.endswith(f"Session: 1 done\n{BOT_TRAILER}\n")


def test_branch_helpers(git_repo: MakeRepo) -> None:
    origin = git_repo("origin")
    origin.commit("Init\n", {"a": "1\n"})
    origin.git("branch", "trunk")
    origin.git("symbolic-ref", "HEAD", "refs/heads/trunk")
    clone = git_repo("clone", clone=origin)
    assert current_branch(clone.path) == "trunk"
    clone.git("checkout", "--quiet", "-b", "feature")
    assert current_branch(clone.path) == "feature"
    assert default_branch(clone.path) == "trunk"
    assert default_branch(origin.path) == "trunk"  # no remote: the current branch
    clone.git("checkout", "--quiet", "--detach")
    with pytest.raises(GitError, match="detached"):
        current_branch(clone.path)


# --- pushing against a bare remote ----------------------------------------------------------------------


def remote_and_clones(git_repo: MakeRepo) -> tuple[GitRepo, GitRepo, GitRepo]:
    remote = git_repo("remote.git", bare=True)
    seed = git_repo("seed")
    seed.commit("Init\n", {"T.md": "1 planned\n2 planned\n3 planned\n"})
    seed.git("push", "--quiet", str(remote.path), "main")
    return remote, git_repo("bot", clone=remote), git_repo("person", clone=remote)


def install_pre_push_hook(repo: GitRepo, competitor: GitRepo, times: int, edit: str) -> None:
    """Each of the first ``times`` pushes from ``repo`` lets ``competitor`` push first: a lost race."""
    counter = repo.path / ".git" / "races"
    script = f"""#!{sys.executable}
import os, pathlib, subprocess
env = {{k: v for k, v in os.environ.items() if not k.startswith("GIT_") or "DATE" in k or "NAME" in k
       or "EMAIL" in k or "CONFIG" in k}}
counter = pathlib.Path({str(counter)!r})
n = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(n + 1))
if n < {times}:
    repo = {str(competitor.path)!r}
    def git(*args):
        subprocess.run(["git", "-C", repo, *args], check=True, env=env)
    git("pull", "--quiet", "--rebase")
    path = pathlib.Path(repo) / {edit!r}
    path.write_text((path.read_text() if path.exists() else "") + "person edit " + str(n) + "\\n")
    git("add", {edit!r})
    git("commit", "--quiet", "-m", "person " + str(n))
    git("push", "--quiet", "origin", "main")
"""
    hook = repo.path / ".git" / "hooks" / "pre-push"
    hook.write_text(script)
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


def test_push_without_competition(git_repo: MakeRepo) -> None:
    remote, bot, _ = remote_and_clones(git_repo)
    bot.write("T.md", "1 done\n2 planned\n3 planned\n")
    sha = commit_file(bot.path, "T.md", "syncbot: 1 done")
    assert push_with_retry(bot.path, "origin", "main") == sha
    assert remote.git("rev-parse", "main").strip() == sha


def test_push_rebases_over_a_commit_that_landed_in_between(git_repo: MakeRepo) -> None:
    remote, bot, person = remote_and_clones(git_repo)
    install_pre_push_hook(bot, person, times=1, edit="NOTES.md")
    bot.write("T.md", "1 done\n2 planned\n3 planned\n")
    commit_file(bot.path, "T.md", "syncbot: 1 done")

    pushed = push_with_retry(bot.path, "origin", "main")

    assert (bot.path / ".git" / "races").read_text() == "2"  # the first push really lost the race

    assert remote.git("rev-parse", "main").strip() == pushed
    log = remote.git("log", "--format=%s", "main").splitlines()
    assert log == ["syncbot: 1 done", "person 0", "Init"]  # the person's commit kept, ours on top
    assert file_at(remote.path, "main", "NOTES.md") == "person edit 0\n"
    assert file_at(remote.path, "main", "T.md") == "1 done\n2 planned\n3 planned\n"
    assert bot.git("status", "--porcelain") == ""


def test_push_gives_up_when_the_race_keeps_being_lost(git_repo: MakeRepo) -> None:
    remote, bot, person = remote_and_clones(git_repo)
    install_pre_push_hook(bot, person, times=10, edit="NOTES.md")
    bot.write("T.md", "1 done\n2 planned\n3 planned\n")
    ours = commit_file(bot.path, "T.md", "syncbot: 1 done")

    with pytest.raises(PushRaceLost, match="lost the race 3 times"):
        push_with_retry(bot.path, "origin", "main", attempts=3)
    assert (bot.path / ".git" / "races").read_text() == "3"

    log = remote.git("log", "--format=%s", "main").splitlines()
    assert log == ["person 2", "person 1", "person 0", "Init"]
    assert ours not in remote.git("log", "--format=%H", "main")


def test_conflicting_edit_is_a_clear_error_and_nothing_is_forced(git_repo: MakeRepo) -> None:
    remote, bot, person = remote_and_clones(git_repo)
    person.commit("Person: 1 blocked\n", {"T.md": "1 blocked\n2 planned\n3 planned\n"})
    person.git("push", "--quiet", "origin", "main")
    theirs = person.git("rev-parse", "HEAD").strip()
    bot.write("T.md", "1 done\n2 planned\n3 planned\n")
    ours = commit_file(bot.path, "T.md", "syncbot: 1 done")

    with pytest.raises(PushConflict, match="aborted and nothing was pushed"):
        push_with_retry(bot.path, "origin", "main")

    assert remote.git("rev-parse", "main").strip() == theirs
    assert head_sha(bot.path) == ours  # the rebase was aborted: our commit is as it was
    assert bot.git("status", "--porcelain") == ""
    assert not (bot.path / ".git" / "rebase-merge").exists()
    assert not (bot.path / ".git" / "rebase-apply").exists()


def test_a_refused_push_is_not_retried_as_a_race(git_repo: MakeRepo) -> None:
    remote, bot, _ = remote_and_clones(git_repo)
    hook = Path(remote.path) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    bot.write("T.md", "1 done\n")
    commit_file(bot.path, "T.md", "syncbot: 1 done")
    with pytest.raises(GitError, match="protected branch") as info:
        push_with_retry(bot.path, "origin", "main")
    assert not isinstance(info.value, PushRejected)


def test_push_requires_the_branch_to_be_checked_out(git_repo: MakeRepo) -> None:
    _, bot, _ = remote_and_clones(git_repo)
    bot.git("checkout", "--quiet", "-b", "other")
    with pytest.raises(GitError, match="not the checked-out branch"):
        push_with_retry(bot.path, "origin", "main")


def test_first_push_creates_the_branch(git_repo: MakeRepo) -> None:
    remote = git_repo("remote.git", bare=True)
    bot = git_repo("bot")
    bot.git("remote", "add", "origin", str(remote.path))
    sha = bot.commit("Init\n", {"T.md": "1 planned\n"})
    assert push_with_retry(bot.path, "origin", "main") == sha
    assert remote.git("rev-parse", "main").strip() == sha

"""The pull stories with no clone: the tracker read and written through the forge's file API.

``SYNCBOT_WRITE_BACK=api`` is how the daemon runs without a working tree: the tracker (seed 000, the
user's Mac-Roman mojibake status matrix with no trailing newline) lives in the forge's repository, commits
are listed through the forge's commits API and their trailers parsed in Python, and the bot's write is a
file-API commit that names the version it read (GitHub: the blob sha; GitLab: ``last_commit_id``; the
local forge: its own version column), so a person's commit landing in between is never overwritten.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from syncbot.engine import SyncReport, run_sync
from syncbot.forge.base import ConflictError, Forge, IssueChange
from syncbot.forge.local import LocalForge
from syncbot.markers import TRACKING_KEY, parse
from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.settings import Settings
from syncbot.trailers import BOT_TRAILER, is_bot_commit

SEED = Path(__file__).parent.parent / "fixtures" / "seeds" / "000_e45d6e612abce616.txt"
TRACKER = "SESSION_TRACKER.md"
LABEL = "tracker:session-tracker-md"
MOJIBAKE_DONE = "✅".encode().decode("mac_roman")
MOJIBAKE_READY = "🔄".encode().decode("mac_roman")


@dataclass
class Remote:
    """A forge holding the tracker in its repository, and a person who commits to it."""

    forge: Forge
    person_commit: Callable[[str, dict[str, str]], None]  # message, files (may be empty)
    files: Callable[[], str]  # the tracker as the forge holds it now


def _seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")


@pytest.fixture(params=["local", "github", "gitlab"])
def remote(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Remote]:
    seed = _seed_text()
    if request.param == "local":
        forge: Any = LocalForge(tmp_path / "forge.db")
        forge.write_file(TRACKER, seed, "Add the session tracker\n", None)

        def local_commit(message: str, files: dict[str, str]) -> None:
            # The local forge's file API is the only way in: a person's commit is a file-API commit too
            # (an empty commit becomes a note file, as the local forge has no bare commits).
            for path, text in (files or {"NOTES.md": message}).items():
                try:
                    _, version = forge.read_file(path)
                except Exception:
                    version = None
                LocalForge.write_file(forge, path, text, message, version)  # past any test's patch

        yield Remote(forge, local_commit, lambda: forge.read_file(TRACKER)[0])
        forge.close()
        return
    if request.param == "github":
        from emulators import GITHUB_TOKEN

        from syncbot.forge.github import GitHubForge

        gh = request.getfixturevalue("github_emulator")
        gh.add_repo("octo/tracker")
        gh.commit("octo/tracker", "Add the session tracker\n", {TRACKER: seed})
        forge = GitHubForge("octo/tracker", GITHUB_TOKEN, gh.base_url, seconds_between_writes=0)
        repo = gh.repos["octo/tracker"]
        yield Remote(
            forge,
            lambda message, files: gh.commit("octo/tracker", message, files),
            lambda: repo.files["main"][TRACKER].text.decode("utf-8"),
        )
        return
    from emulators import GITLAB_TOKEN

    from syncbot.forge.gitlab import GitLabForge

    gl = request.getfixturevalue("gitlab_emulator")
    project = gl.add_project("group/tracker")
    gl.commit("group/tracker", "Add the session tracker\n", {TRACKER: seed})
    forge = GitLabForge("group/tracker", GITLAB_TOKEN, gl.base_url)
    yield Remote(
        forge,
        lambda message, files: gl.commit("group/tracker", message, files),
        lambda: project.files["main"][TRACKER]["content"].decode("utf-8"),
    )


def settings() -> Settings:
    return Settings(_env_file=None, forge="local", write_back="api")  # type: ignore[call-arg]


def sync(remote: Remote, **kw: Any) -> SyncReport:
    return run_sync(settings(), Path(TRACKER), forge=remote.forge, progress=False, **kw)


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def issues_by_key(forge: Forge) -> dict[str, int]:
    out = {}
    for issue in forge.list_issues(LABEL):
        p = parse(issue.body)
        if p:
            out[p.key] = issue.number
    return out


def status_of(text: str, key: str) -> Status:
    tracker, _ = read_document(Document(TRACKER, text))
    return tracker.by_key()[key].status


def bot_commits(forge: Forge) -> list[str]:
    return [c.message for c in forge.list_commits() if is_bot_commit(c.message)]


def test_trailer_through_the_commits_api_closes_the_issue_and_writes_the_file(remote: Remote) -> None:
    seed = _seed_text()
    remote.person_commit("Foundation contracts\n\nSession: 1 done\n", {})

    report = sync(remote)

    assert report.commit is not None
    after = remote.files()
    row = next(ln for ln in seed.splitlines() if ln.startswith("| **1** |"))
    assert changed_lines(seed, after) == [
        "-**Completed**: 0/8",
        "+**Completed**: 1/8",
        "-**Next Ready**: Session 1",
        "+**Next Ready**: Session 2",
        f"-{row}",
        "+" + row.replace(f"{MOJIBAKE_READY} **READY**", f"{MOJIBAKE_DONE} **DONE**"),
    ]
    # byte for byte everywhere else: still no trailing newline, the same line endings
    assert after.endswith(seed[-5:]) and after.count("\n") == seed.count("\n")
    assert after.count("\r\n") == seed.count("\r\n")
    [message] = bot_commits(remote.forge)
    assert BOT_TRAILER in message and message.startswith("syncbot: update SESSION_TRACKER.md (1)")
    # the watermark is the bot's commit (a commit sha, not a blob sha): the next listing starts after it
    assert report.commit == remote.forge.list_commits()[-1].sha

    numbers = issues_by_key(remote.forge)
    issues = {i.number: i for i in remote.forge.list_issues(LABEL)}
    assert issues[numbers["1"]].state == "closed"
    summaries = [c for c in remote.forge.list_comments(numbers[TRACKING_KEY]) if "syncbot:summary" in c.body]
    assert len(summaries) == 1 and "Session: 1 done" in summaries[0].body
    # the session's short comment links the person's commit on the forge's web pages
    [trailer_commit] = [c for c in remote.forge.list_commits() if c.message.startswith("Foundation contracts")]
    session_comments = [c.body for c in remote.forge.list_comments(numbers["1"])]
    assert len(session_comments) == 1
    if remote.forge.name == "github":
        assert f"/octo/tracker/commit/{trailer_commit.sha})" in session_comments[0]
    elif remote.forge.name == "gitlab":
        assert f"/group/tracker/-/commit/{trailer_commit.sha}" in session_comments[0]


def test_closing_an_issue_updates_the_file_and_a_further_sync_writes_nothing(remote: Remote) -> None:
    sync(remote)
    numbers = issues_by_key(remote.forge)
    before = remote.files()
    remote.forge.update_issue(numbers["1"], IssueChange(state="closed", state_reason="completed"))

    report = sync(remote)

    assert [(c.key, c.new, c.source) for c in report.changes] == [("1", Status.DONE, "forge")]
    after = remote.files()
    assert "+**Completed**: 1/8" in changed_lines(before, after)
    assert status_of(after, "1") is Status.DONE

    commits = len(remote.forge.list_commits())
    comments = len(remote.forge.list_comments(numbers[TRACKING_KEY]))
    writes = remote.forge.stats.writes
    again = sync(remote)
    assert again.plan.empty and again.commit is None and not again.summary_posted and not again.changes
    assert remote.forge.stats.writes == writes
    assert len(remote.forge.list_commits()) == commits
    assert remote.files() == after
    assert len(remote.forge.list_comments(numbers[TRACKING_KEY])) == comments


def test_a_persons_commit_between_read_and_write_is_kept(remote: Remote, monkeypatch: pytest.MonkeyPatch) -> None:
    remote.person_commit("Start\n\nSession: 2 in-progress\n", {})
    forge = remote.forge
    write_file = forge.write_file
    calls: list[str | None] = []
    conflicts: list[ConflictError] = []

    def racing_write(path: str, text: str, message: str, version: str | None, branch: str | None = None) -> str:
        calls.append(version)
        if len(calls) == 1:  # a person pushes an edit to the tracker just before our first write lands
            now = remote.files()
            remote.person_commit("Note the new owner\n", {TRACKER: now.replace("# ", "# (owner: Bea) ", 1)})
        try:
            return write_file(path, text, message, version, branch)
        except ConflictError as exc:
            conflicts.append(exc)
            raise

    monkeypatch.setattr(forge, "write_file", racing_write)

    report = sync(remote)

    assert len(calls) == 2 and calls[0] != calls[1], "the engine must read again and retry with the new version"
    assert len(conflicts) == 1
    after = remote.files()
    assert "(owner: Bea)" in after, "the person's change was overwritten"
    assert status_of(after, "2") is Status.IN_PROGRESS
    assert report.commit is not None
    assert len(bot_commits(forge)) == 1


def test_the_bots_own_commits_are_never_read_back(remote: Remote) -> None:
    remote.person_commit("Start\n\nSession: 2 in-progress\n", {})
    first = sync(remote)
    assert first.commit is not None and first.pull.watermark is not None
    second = sync(remote)  # the listing now starts after the bot's own commit: nothing to read
    assert not second.changes and second.commit is None and second.plan.empty and not second.summary_posted

    # a bot commit (another replica's) that also carries a session trailer: skipped, so nothing is written
    # (only the watermark in the tracking issue moves past it)
    remote.person_commit(f"syncbot: update {TRACKER}\n\nSession: 3 done\n{BOT_TRAILER}\n", {})
    before = remote.files()
    third = sync(remote)
    assert not third.changes and third.commit is None and third.session_comments == 0
    assert [a.summary for a in third.plan.actions if getattr(a, "key", None) != TRACKING_KEY] == []
    assert remote.files() == before and status_of(before, "3") is not Status.DONE


def test_the_file_api_commit_keeps_crlf_line_endings(remote: Remote) -> None:
    crlf = _seed_text().replace("\n", "\r\n")
    remote.person_commit("Windows line endings\n", {TRACKER: crlf})
    remote.person_commit("Done\n\nSession: 1 done\n", {})

    assert sync(remote).commit is not None

    after = remote.files()
    assert after.count("\r\n") == crlf.count("\r\n") and "\n" not in after.replace("\r\n", "")
    assert not after.endswith("\n")
    assert len(changed_lines(crlf, after)) == 6
    assert status_of(after, "1") is Status.DONE


def test_the_file_api_commit_keeps_a_byte_order_mark(remote: Remote) -> None:
    bom = "\ufeff" + _seed_text()
    remote.person_commit("Saved by an editor that writes a BOM\n", {TRACKER: bom})
    remote.person_commit("Done\n\nSession: 1 done\n", {})

    report = sync(remote)

    assert report.commit is not None and report.tracker.title.startswith("Session Tracker")
    after = remote.files()
    assert after.startswith("\ufeff") and not after.startswith("\ufeff\ufeff")
    assert len(changed_lines(bom, after)) == 6

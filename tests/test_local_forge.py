"""The embedded local forge, and the commands that use it: `plan`, `sync` and `local …`."""

from __future__ import annotations

import json
import logging as std_logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from loguru import logger
from typer.testing import CliRunner

from syncbot.cli import app
from syncbot.errors import UserError
from syncbot.forge.base import ConflictError, ForgeError, IssueChange, Label, NotFoundError
from syncbot.forge.factory import make_forge
from syncbot.forge.local import LocalForge
from syncbot.settings import Settings

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def forge(tmp_path: Path) -> LocalForge:
    return LocalForge(tmp_path / ".syncbot" / "forge.db", clock=lambda: T0)


def test_issues_labels_milestones(forge: LocalForge) -> None:
    forge.create_label(Label("bug", "ff0000", "a bug"))
    with pytest.raises(ForgeError, match="already exists"):
        forge.create_label(Label("BUG", "00ff00"))
    ms = forge.create_milestone("Wave 1", "first")
    a = forge.create_issue("First", "body", ["bug", "auto-made"], "Wave 1")
    b = forge.create_issue("Second", "", [], None)
    assert (a.number, b.number) == (1, 2)
    assert a.labels == ("bug", "auto-made") and a.milestone == "Wave 1"
    assert {lb.name for lb in forge.list_labels()} == {"bug", "auto-made"}  # created on demand, as GitHub does
    assert [i.number for i in forge.list_issues("BUG")] == [1]  # label names compare case-insensitively
    forge.update_milestone(ms.number, description="changed", state="closed")
    assert forge.list_milestones()[0].state == "closed"
    with pytest.raises(ForgeError, match="no milestone"):
        forge.create_issue("x", "", [], "Nope")
    with pytest.raises(NotFoundError):
        forge.update_issue(99, IssueChange(title="x"))


def test_close_reopen_and_reasons(forge: LocalForge) -> None:
    n = forge.create_issue("x", "", [], None).number
    closed = forge.as_user("ann").update_issue(n, IssueChange(state="closed", state_reason="not_planned"))
    assert (closed.state, closed.state_reason, closed.closed_by, closed.closed_at) == (
        "closed",
        "not_planned",
        "ann",
        T0,
    )
    recl = forge.update_issue(n, IssueChange(state="closed", state_reason="completed"))
    assert recl.state_reason == "completed"
    reopened = forge.update_issue(n, IssueChange(state="open"))
    assert (reopened.state, reopened.state_reason, reopened.closed_at) == ("open", "reopened", None)


def test_labels_replace_and_milestone_removal(forge: LocalForge) -> None:
    forge.create_milestone("M", "")
    n = forge.create_issue("x", "", ["a", "b"], "M").number
    issue = forge.update_issue(n, IssueChange(labels=["b", "c"], milestone=""))
    assert issue.labels == ("b", "c") and issue.milestone is None


def test_comments_links_and_stats(forge: LocalForge) -> None:
    a = forge.create_issue("a", "", [], None).number
    b = forge.create_issue("b", "", [], None).number
    c = forge.create_comment(a, "hello")
    assert forge.update_comment(a, c.id, "edited").body == "edited"
    assert [x.body for x in forge.list_comments(a)] == ["edited"]
    assert forge.add_blocked_by(b, a) and forge.add_blocked_by(b, a)  # idempotent
    assert forge.blocked_by(b) == [a]
    forge.remove_blocked_by(b, a)
    forge.remove_blocked_by(b, a)  # removing a missing link is not an error
    assert forge.all_links() == []
    assert forge.stats.writes == 8 and forge.stats.gets == 2
    assert forge.stats.by_path["POST /issues"] == 2


def test_files_detect_a_lost_race(forge: LocalForge) -> None:
    v1 = forge.write_file("T.md", "one", "add", None)
    assert forge.read_file("T.md") == ("one", v1)
    v2 = forge.write_file("T.md", "two", "edit", v1)
    with pytest.raises(ConflictError):
        forge.write_file("T.md", "three", "stale", v1)
    assert [c.sha for c in forge.list_commits()] == [v1, v2]
    assert [c.message for c in forge.list_commits(since_sha=v1)] == ["edit"]
    with pytest.raises(NotFoundError):
        forge.read_file("missing.md")


def test_persists_across_processes(tmp_path: Path) -> None:
    LocalForge(tmp_path / "f.db").create_issue("kept", "", ["l"], None)
    assert [i.title for i in LocalForge(tmp_path / "f.db").list_issues("l")] == ["kept"]


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "f.db"
    bad.write_text("not sqlite " * 100)
    with pytest.raises(ForgeError, match="not a syncbot local forge"):
        LocalForge(bad)


def test_factory_defaults_to_local_and_names_missing_tokens(tmp_path: Path) -> None:
    forge = make_forge(Settings(forge="local"), root=tmp_path)
    assert forge.name == "local" and forge.repo == str(tmp_path / ".syncbot" / "forge.db")
    with pytest.raises(UserError, match="SYNCBOT_GITHUB_TOKEN"):
        make_forge(Settings(forge="github", repo="o/r", github_token=None))
    with pytest.raises(UserError, match="SYNCBOT_GITLAB_TOKEN"):
        make_forge(Settings(forge="gitlab", repo="g/p", gitlab_token=None))
    with pytest.raises(UserError, match="SYNCBOT_REPO"):
        make_forge(Settings(forge="github", repo=""))
    # remote adapters are built lazily and make no request until used
    assert make_forge(Settings(forge="github", repo="o/r", github_token="t"), root=tmp_path).name == "github"
    assert make_forge(Settings(forge="gitlab", repo="g/p", gitlab_token="t"), root=tmp_path).name == "gitlab"


# --- the commands -------------------------------------------------------------------------------------

TRACKER = """# Demo

| Session | Title | Status | Duration | Prerequisites | Output |
|---------|-------|--------|----------|---------------|--------|
| 1 | Setup | ✅ Done | 2h | None | repo |
| 2 | Model | 🔄 Ready | 3h | Session 1 | schema |
| 3 | API | ⏳ Waiting | 4h | Session 2 | endpoints |
"""


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The commands configure logging for a real process (root logger at every level); undo it, or every
    later test pays for markdown-it's debug records."""
    root = std_logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    root.handlers[:] = handlers
    logger.remove()
    logger.add(sys.stderr)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "SESSION_TRACKER.md").write_text(TRACKER)
    for name in ("SYNCBOT_FORGE", "SYNCBOT_TRACKER", "SYNCBOT_LOCAL_DB", "SYNCBOT_CONFIG", "SYNCBOT_MILESTONES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def test_plan_sync_and_local_commands(repo: Path) -> None:
    code, out = run("plan", "SESSION_TRACKER.md", "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["tracker"] == "SESSION_TRACKER.md" and plan["forge"] == "local"
    assert plan["counts"]["create_issue"] == 4
    code, out = run("sync", "SESSION_TRACKER.md", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["requests"]["writes"] == 0
    assert not (repo / ".syncbot" / "forge.db").exists()  # plan and dry run create nothing, not even the file

    code, out = run("sync", "SESSION_TRACKER.md", "--json")
    first = json.loads(out)
    assert code == 0 and first["applied"] == first["counts"]["total"]
    code, out = run("sync", "SESSION_TRACKER.md", "--json")
    again = json.loads(out)
    assert again["actions"] == [] and again["requests"] == {"gets": 3, "writes": 0}

    code, out = run("local", "issues", "--json")
    issues = json.loads(out)
    assert [set(i) for i in issues] == [
        {"number", "title", "state", "state_reason", "labels", "milestone", "body", "comments"}
    ] * 4
    assert issues[0]["state"] == "closed" and issues[0]["milestone"] == "Wave 1"

    assert run("local", "close", "3", "--not-planned")[0] == 0
    assert run("local", "comment", "3", "looks good")[0] == 0
    code, out = run("local", "show", "3", "--json")
    three = json.loads(out)
    assert three["state_reason"] == "not_planned" and three["comments"][0]["body"] == "looks good"
    assert three["blocked_by"] == [2]
    assert run("local", "reopen", "3")[0] == 0
    assert "Session 3: API" in run("local", "show", "3")[1]
    code, out = run("plan", "SESSION_TRACKER.md")
    assert code == 0 and "nothing to do" in out


def test_commands_report_user_errors(repo: Path) -> None:
    with pytest.raises(UserError, match="SYNCBOT_TRACKER"):
        run("plan")
    with pytest.raises(UserError, match="run `syncbot sync"):
        run("local", "issues")
    run("sync", "SESSION_TRACKER.md")
    with pytest.raises(UserError, match="no issue #42"):
        run("local", "close", "42")


def test_tracker_defaults_to_settings(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCBOT_TRACKER", "SESSION_TRACKER.md")
    code, out = run("sync")
    assert code == 0 and "Session 3: API" in out

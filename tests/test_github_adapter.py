"""The GitHub adapter through real PyGithub and real HTTP against the loopback emulator."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from emulators import GITHUB_TOKEN
from emulators.github import GitHubEmulator
from loguru import logger

from syncbot.forge.base import (
    AuthError,
    ConflictError,
    ForgeError,
    IssueChange,
    Label,
    NotFoundError,
    RateLimitError,
)
from syncbot.forge.github import GitHubForge

REPO = "octo/tracker"
OTHER_TOKEN = "ghp_FAKEsyncbotOTHERtoken000000000000000"


@pytest.fixture
def gh(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO)
    return github_emulator


def forge(gh: GitHubEmulator, token: str = GITHUB_TOKEN, **kwargs: object) -> GitHubForge:
    kwargs.setdefault("seconds_between_writes", 0)
    kwargs.setdefault("backoff_factor", 0)
    return GitHubForge(REPO, token, gh.base_url, **kwargs)  # type: ignore[arg-type]


def seed(f: GitHubForge, n: int, label: str = "tracker:a") -> None:
    f.create_milestone("Wave 1", "first")
    for i in range(n):
        f.create_issue(f"Session {i}", f"body {i}", [label, "status:planned"], "Wave 1" if i % 2 else None)


def test_listing_is_one_paginated_request_per_100_issues(gh: GitHubEmulator) -> None:
    f = forge(gh)
    seed(f, 250)
    f.create_issue("not ours", "", ["tracker:b"], None)
    gh.log.clear()
    issues = f.list_issues("tracker:a")
    assert [i.number for i in issues] == list(range(1, 251))
    gets = [path for method, path, _ in gh.log if method == "GET"]
    assert len(gets) == 3 and all(p.startswith(f"/repos/{REPO}/issues?") for p in gets)
    assert "state=all" in gets[0] and "labels=tracker%3Aa" in gets[0] and "per_page=100" in gets[0]
    assert issues[1].milestone == "Wave 1" and issues[0].milestone is None
    assert issues[0].labels == ("tracker:a", "status:planned")
    assert issues[0].url == f"https://github.com/{REPO}/issues/1"


def test_unchanged_listings_answer_304_and_cost_nothing(gh: GitHubEmulator) -> None:
    f = forge(gh)
    seed(f, 120)
    f.list_issues("tracker:a"), f.list_labels(), f.list_milestones()
    remaining = gh.rate_remaining
    f.stats.gets = f.stats.not_modified = 0
    again = f.list_issues("tracker:a")
    f.list_labels(), f.list_milestones()
    assert len(again) == 120
    assert (f.stats.gets, f.stats.not_modified, f.stats.writes) == (4, 4, 120 + 1)
    assert gh.rate_remaining == remaining  # 304s do not count against the limit
    assert [s for _, _, s in gh.log[-4:]] == [304] * 4
    # A change on the forge invalidates the validator: fresh data, not the cache.
    f.update_issue(5, IssueChange(title="renamed"))
    assert next(i for i in f.list_issues("tracker:a") if i.number == 5).title == "renamed"


def test_etag_cache_survives_a_restart_and_is_per_token(gh: GitHubEmulator, tmp_path: Path) -> None:
    gh.tokens.add(OTHER_TOKEN)
    seed(forge(gh), 3)
    forge(gh, cache_dir=tmp_path).list_issues("tracker:a")
    second = forge(gh, cache_dir=tmp_path)
    second.list_issues("tracker:a")
    assert second.stats.not_modified == 1  # validator read back from disk
    other = forge(gh, OTHER_TOKEN, cache_dir=tmp_path)
    other.list_issues("tracker:a")
    assert other.stats.not_modified == 0  # another token never reuses this token's cache
    for path in tmp_path.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert GITHUB_TOKEN not in text and OTHER_TOKEN not in text
            assert path.stat().st_mode & 0o077 == 0


def test_create_sets_labels_and_milestone_in_one_request(gh: GitHubEmulator) -> None:
    f = forge(gh)
    f.create_label(Label("tracker:a", "0e8a16", "tracker"))
    f.list_milestones()
    f.create_milestone("Wave 2", "")
    before = f.stats.writes
    gets = f.stats.gets
    issue = f.create_issue("Session 3: API", "body", ["tracker:a", "depends-on:2"], "Wave 2")
    assert (f.stats.writes - before, f.stats.gets - gets) == (1, 0)
    assert issue.labels == ("tracker:a", "depends-on:2") and issue.milestone == "Wave 2"
    assert gh.repos[REPO].issues[1]["milestone"] == 1


def test_close_reopen_and_milestone_removal(gh: GitHubEmulator) -> None:
    f = forge(gh)
    seed(f, 2)
    closed = f.update_issue(2, IssueChange(state="closed", state_reason="not_planned", milestone=""))
    assert (closed.state, closed.state_reason, closed.milestone) == ("closed", "not_planned", None)
    assert closed.closed_at is not None
    done = f.update_issue(1, IssueChange(state="closed", state_reason="completed"))
    assert done.state_reason == "completed"
    reopened = f.update_issue(2, IssueChange(state="open"))
    assert (reopened.state, reopened.state_reason) == ("open", "reopened")
    listed = {i.number: i for i in f.list_issues("tracker:a")}
    assert listed[1].state == "closed" and listed[2].state == "open"


def test_labels_and_milestones_round_trip(gh: GitHubEmulator) -> None:
    f = forge(gh)
    f.create_label(Label("status:in_progress", "FBCA04", "in progress"))
    f.update_label(Label("status:in_progress", "fbca04", "being worked on"))
    assert f.list_labels() == [Label("status:in_progress", "fbca04", "being worked on")]
    m = f.create_milestone("Phase 1", "setup")
    closed = f.update_milestone(m.number, state="closed", description="all done")
    assert (closed.title, closed.state, closed.description) == ("Phase 1", "closed", "all done")
    assert [(x.title, x.state) for x in f.list_milestones()] == [("Phase 1", "closed")]


def test_issue_dependencies_use_the_blocked_by_api(gh: GitHubEmulator) -> None:
    f = forge(gh)
    seed(f, 3)
    f.list_issues("tracker:a")  # learns the issue ids: the dependency calls need no GET
    gets = f.stats.gets
    assert f.add_blocked_by(3, 1) is True
    assert f.add_blocked_by(3, 1) is True  # again: converges instead of failing
    ids = {i["number"]: i["id"] for i in gh.repos[REPO].issues.values()}
    assert gh.repos[REPO].blocked_by[3] == [ids[1]]
    f.remove_blocked_by(3, 1)
    f.remove_blocked_by(3, 1)  # already gone
    assert gh.repos[REPO].blocked_by[3] == []
    assert f.stats.gets == gets
    assert any(p.endswith("/issues/3/dependencies/blocked_by") for m, p, _ in gh.log if m == "POST")


def test_comments(gh: GitHubEmulator) -> None:
    f = forge(gh)
    seed(f, 1)
    c = f.create_comment(1, "progress: 1/4")
    edited = f.update_comment(1, c.id, "progress: 2/4")
    assert edited.id == c.id and edited.body == "progress: 2/4"
    assert [x.body for x in f.list_comments(1)] == ["progress: 2/4"]
    assert f.list_comments(1)[0].author == "syncbot-test"


def test_files_write_back_with_blob_sha_and_conflicts(gh: GitHubEmulator) -> None:
    f = forge(gh)
    version = f.write_file("docs/SESSION TRACKER.md", "| 1 | ⏳ |\n", "add tracker", None)
    text, read_version = f.read_file("docs/SESSION TRACKER.md")
    assert (text, read_version) == ("| 1 | ⏳ |\n", version)
    newer = f.write_file("docs/SESSION TRACKER.md", "| 1 | ✅ |\n", "Session: 1 done", version)
    assert newer != version
    # A person's commit lands between our read and our write: never overwritten.
    gh.commit(REPO, "person edits", {"docs/SESSION TRACKER.md": "| 1 | 🔄 |\n"})
    with pytest.raises(ConflictError):
        f.write_file("docs/SESSION TRACKER.md", "| 1 | ❌ |\n", "bot", newer)
    with pytest.raises(ConflictError):  # creating a file someone else created meanwhile
        f.write_file("docs/SESSION TRACKER.md", "x", "bot", None)
    assert f.read_file("docs/SESSION TRACKER.md")[0] == "| 1 | 🔄 |\n"
    with pytest.raises(NotFoundError):
        f.read_file("missing.md")


def test_files_on_a_branch_and_commit_listing(gh: GitHubEmulator) -> None:
    f = forge(gh)
    first = gh.commit(REPO, "init", {"T.md": "a"})
    v = f.write_file("T.md", "b", "Session: 1 done", f.read_file("T.md")[1])
    f.write_file("T.md", "c", "second", v)
    gh.commit(REPO, "feature work", {"T.md": "z"}, branch="feature")
    assert f.read_file("T.md", ref="feature")[0] == "z"
    commits = f.list_commits(since_sha=first)
    assert [c.message for c in commits] == ["Session: 1 done", "second"]  # oldest first, after the watermark
    assert all(c.committed_at.tzinfo is not None for c in commits)
    assert [c.message for c in f.list_commits("feature")] == ["feature work"]


def test_enterprise_base_url(gh: GitHubEmulator) -> None:
    gh.prefix = "/api/v3"
    f = GitHubForge(REPO, GITHUB_TOKEN, gh.base_url + "/api/v3", seconds_between_writes=0)
    f.create_issue("Session 1", "", ["tracker:a"], None)
    assert [i.number for i in f.list_issues("tracker:a")] == [1]
    assert f.issue_url(1) == f"{gh.base_url}/{REPO}/issues/1"


def test_bad_token_is_one_line_without_the_token(gh: GitHubEmulator) -> None:
    bad = "ghp_FAKEsyncbotWRONGtoken000000000000000"
    with pytest.raises(AuthError) as err:
        forge(gh, bad).list_issues("tracker:a")
    message = str(err.value)
    assert "401" in message and "SYNCBOT_GITHUB_TOKEN" in message
    assert "\n" not in message and bad not in message
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_no_access_not_found_and_validation(gh: GitHubEmulator) -> None:
    gh.add_repo("octo/secret")
    gh.forbidden.add("octo/secret")
    with pytest.raises(AuthError, match=r"no access to octo/secret.*403"):
        GitHubForge("octo/secret", GITHUB_TOKEN, gh.base_url).list_labels()
    with pytest.raises(NotFoundError, match="octo/missing does not exist"):
        GitHubForge("octo/missing", GITHUB_TOKEN, gh.base_url).list_labels()
    with pytest.raises(ForgeError, match="422") as err:
        forge(gh).create_issue("", "no title", [], None)
    assert "\n" not in str(err.value)
    with pytest.raises(ForgeError, match="owner/name"):
        GitHubForge("just-a-name", GITHUB_TOKEN, gh.base_url)


def test_spent_primary_limit_stops_at_once_with_the_reset_time(gh: GitHubEmulator) -> None:
    f = forge(gh)
    gh.exhaust_rate_limit(reset=int(time.time()) + 3600)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as err:
        f.list_issues("tracker:a")
    assert time.monotonic() - started < 5
    assert err.value.reset_at is not None and err.value.reset_at.timestamp() == gh.rate_reset
    assert "rate limit spent" in str(err.value) and GITHUB_TOKEN not in str(err.value)


def test_retry_after_is_obeyed_when_short_and_refused_when_long(gh: GitHubEmulator) -> None:
    f = forge(gh)
    gh.inject(403, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": "1"}, method="POST")
    started = time.monotonic()
    f.create_label(Label("a", "ffffff"))
    assert time.monotonic() - started >= 1
    assert [s for m, _, s in gh.log if m == "POST"] == [403, 201]
    gh.inject(429, {"message": "Too many requests"}, {"Retry-After": "7200"})
    with pytest.raises(RateLimitError, match="rate limit spent") as err:
        f.list_labels()
    assert err.value.reset_at is not None and err.value.reset_at.timestamp() - time.time() > 7000


def test_transient_server_errors_are_retried(gh: GitHubEmulator) -> None:
    f = forge(gh)
    gh.inject(502, {"message": "Server Error"}, times=2)
    assert f.list_labels() == []
    assert [s for _, _, s in gh.log] == [502, 502, 200]


def test_writes_are_spaced(gh: GitHubEmulator) -> None:
    f = forge(gh, seconds_between_writes=0.3)
    started = time.monotonic()
    for name in "abc":
        f.create_label(Label(name, "ffffff"))
    assert time.monotonic() - started >= 0.6


def test_token_never_logged(gh: GitHubEmulator, caplog: pytest.LogCaptureFixture) -> None:
    lines: list[str] = []
    sink = logger.add(lines.append, level="DEBUG")
    caplog.set_level(logging.DEBUG)
    try:
        f = forge(gh)
        seed(f, 2)
        f.list_issues("tracker:a")
        with pytest.raises(AuthError):
            forge(gh, "ghp_FAKEsyncbotWRONGtoken000000000000000").list_labels()
    finally:
        logger.remove(sink)
    assert caplog.text  # PyGithub did log the requests at DEBUG ...
    assert GITHUB_TOKEN not in caplog.text + "".join(lines)  # ... with the token masked


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "syncbot"), *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_stops_cleanly_on_a_spent_limit_and_a_bad_token(gh: GitHubEmulator, git_repo: Callable[..., Any]) -> None:
    repo = git_repo("work")
    example = (Path(__file__).parent.parent / "examples" / "SESSION_TRACKER.md").read_text("utf-8")
    repo.commit("add tracker", {"SESSION_TRACKER.md": example})
    tmp_path = repo.path
    tracker = tmp_path / "SESSION_TRACKER.md"
    env = {
        "SYNCBOT_FORGE": "github",
        "SYNCBOT_REPO": REPO,
        "SYNCBOT_GITHUB_URL": gh.base_url,
        "SYNCBOT_GITHUB_TOKEN": GITHUB_TOKEN,
    }
    ok = _cli(["plan", str(tracker)], tmp_path, env)
    assert ok.returncode == 0, ok.stderr
    gh.exhaust_rate_limit(reset=1_893_456_000)
    spent = _cli(["plan", str(tracker)], tmp_path, env)
    assert spent.returncode == 3
    lines = [line for line in spent.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "rate limit" in lines[0] and "2030-01-01 00:00:00" in lines[0], spent.stderr
    gh.rate_remaining = 100
    bad = "ghp_FAKEsyncbotWRONGtoken000000000000000"
    refused = _cli(["plan", str(tracker)], tmp_path, env | {"SYNCBOT_GITHUB_TOKEN": bad})
    assert refused.returncode == 3 and "401" in refused.stderr
    assert bad not in refused.stderr + refused.stdout and "Traceback" not in refused.stderr

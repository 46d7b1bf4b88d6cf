"""The GitLab adapter through real python-gitlab and real HTTP against the loopback emulator."""

from __future__ import annotations

import time

import pytest
from emulators import GITLAB_TOKEN
from emulators.gitlab import GitLabEmulator
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
from syncbot.forge.gitlab import GitLabForge

PROJECT = "group/sub/tracker"


@pytest.fixture
def gl(gitlab_emulator: GitLabEmulator) -> GitLabEmulator:
    gitlab_emulator.add_project(PROJECT)
    return gitlab_emulator


def forge(gl: GitLabEmulator, token: str = GITLAB_TOKEN) -> GitLabForge:
    return GitLabForge(PROJECT, token, gl.base_url)


def seed(f: GitLabForge, n: int, label: str = "tracker:a") -> None:
    f.create_milestone("Wave 1", "first")
    for i in range(n):
        f.create_issue(f"Session {i}", f"body {i}", [label, "status:planned"], "Wave 1" if i % 2 else None)


def test_listing_is_one_paginated_request_per_100_issues(gl: GitLabEmulator) -> None:
    f = forge(gl)
    seed(f, 201)
    f.create_issue("not ours", "", ["tracker:b"], None)
    gl.log.clear()
    issues = f.list_issues("tracker:a")
    assert [i.number for i in issues] == list(range(1, 202))
    gets = [p for m, p, _ in gl.log if m == "GET"]
    assert len(gets) == 3 and all("/projects/group%2Fsub%2Ftracker/issues?" in p for p in gets)
    assert "per_page=100" in gets[0] and "state=all" in gets[0] and "labels=tracker%3Aa" in gets[0]
    assert issues[1].milestone == "Wave 1" and issues[0].body == "body 0"


def test_unchanged_listings_answer_304(gl: GitLabEmulator) -> None:
    f = forge(gl)
    seed(f, 5)
    f.list_issues("tracker:a"), f.list_labels(), f.list_milestones()
    f.stats.gets = f.stats.not_modified = 0
    assert len(f.list_issues("tracker:a")) == 5
    f.list_labels(), f.list_milestones()
    assert (f.stats.gets, f.stats.not_modified) == (3, 3)


def test_states_labels_milestones(gl: GitLabEmulator) -> None:
    f = forge(gl)
    seed(f, 3)
    done = f.update_issue(1, IssueChange(state="closed", state_reason="completed"))
    assert (done.state, done.state_reason) == ("closed", "completed")
    dropped = f.update_issue(2, IssueChange(state="closed", labels=["tracker:a", "status:dropped"], milestone=""))
    assert (dropped.state, dropped.state_reason, dropped.milestone) == ("closed", "not_planned", None)
    assert f.update_issue(1, IssueChange(state="open")).state == "open"
    f.create_label(Label("ready", "0e8a16", "can start"))
    f.update_label(Label("ready", "1d76db", "can start now"))
    assert Label("ready", "1d76db", "can start now") in f.list_labels()
    m = next(x for x in f.list_milestones() if x.title == "Wave 1")
    closed = f.update_milestone(m.number, state="closed")
    assert closed.state == "closed"
    assert f.update_milestone(m.number, state="open").state == "open"


def test_blocked_by_links_when_licensed(gl: GitLabEmulator) -> None:
    f = forge(gl)
    seed(f, 3)
    assert f.add_blocked_by(3, 1) is True
    assert f.add_blocked_by(3, 1) is True  # 409 already linked: converges
    links = list(gl.projects[PROJECT].links.values())
    assert [(x["source"], x["target"], x["type"]) for x in links] == [(3, 1, "is_blocked_by")]
    f.remove_blocked_by(3, 1)
    assert gl.projects[PROJECT].links == {}


def test_gitlab_free_falls_back_to_relates_to_with_one_warning(gl: GitLabEmulator) -> None:
    gl.licensed = False
    f = forge(gl)
    seed(f, 4)
    warnings: list[str] = []
    sink = logger.add(lambda m: warnings.append(str(m)), level="WARNING")
    try:
        assert f.add_blocked_by(3, 1) is False
        assert f.add_blocked_by(4, 3) is False
        assert f.add_blocked_by(4, 2) is False
    finally:
        logger.remove(sink)
    assert len(warnings) == 1 and "relates to" in warnings[0]
    types = sorted(x["type"] for x in gl.projects[PROJECT].links.values())
    assert types == ["relates_to"] * 3
    refused = [p for m, p, s in gl.log if m == "POST" and s == 403]
    assert len(refused) == 1  # the refusal is learnt, not repeated per link
    f.remove_blocked_by(4, 3)
    assert len(gl.projects[PROJECT].links) == 2


def test_notes_skip_system_notes(gl: GitLabEmulator) -> None:
    f = forge(gl)
    seed(f, 1)
    gl.add_system_note(PROJECT, 1, "changed the description")
    c = f.create_comment(1, "summary v1")
    assert f.update_comment(1, c.id, "summary v2").body == "summary v2"
    assert [(x.id, x.body) for x in f.list_comments(1)] == [(c.id, "summary v2")]


def test_files_write_back_with_last_commit_id(gl: GitLabEmulator) -> None:
    f = forge(gl)
    gl.commit(PROJECT, "init", {"docs/TRACKER.md": "| 1 | ⏳ |\n"})
    text, version = f.read_file("docs/TRACKER.md")  # default branch learnt from the project
    assert text == "| 1 | ⏳ |\n"
    newer = f.write_file("docs/TRACKER.md", "| 1 | ✅ |\n", "Session: 1 done", version)
    assert newer != version and f.read_file("docs/TRACKER.md") == ("| 1 | ✅ |\n", newer)
    gl.commit(PROJECT, "person edits", {"docs/TRACKER.md": "| 1 | 🔄 |\n"})
    with pytest.raises(ConflictError):
        f.write_file("docs/TRACKER.md", "| 1 | ❌ |\n", "bot", newer)
    with pytest.raises(ConflictError):
        f.write_file("docs/TRACKER.md", "x", "bot", None)
    assert f.read_file("docs/TRACKER.md")[0] == "| 1 | 🔄 |\n"
    created = f.write_file("NEW.md", "new\n", "add", None, branch="main")
    assert f.read_file("NEW.md", "main") == ("new\n", created)
    with pytest.raises(NotFoundError):
        f.read_file("missing.md", "main")


def test_commit_listing_after_a_watermark(gl: GitLabEmulator) -> None:
    f = forge(gl)
    first = gl.commit(PROJECT, "init", {"a": "1"})
    gl.commit(PROJECT, "work\n\nSession: 1 done", {"a": "2"})
    gl.commit(PROJECT, "more", {"a": "3"})
    assert [c.message for c in f.list_commits(since_sha=first)] == ["work\n\nSession: 1 done", "more"]
    assert len(f.list_commits("main")) == 3


def test_errors_are_one_line_without_the_token(gl: GitLabEmulator) -> None:
    bad = "glpat-FAKEsyncbotWRONGtoken0000"
    with pytest.raises(AuthError) as err:
        forge(gl, bad).list_issues("x")
    assert "401" in str(err.value) and "SYNCBOT_GITLAB_TOKEN" in str(err.value) and bad not in str(err.value)
    gl.add_project("group/secret")
    gl.forbidden.add("group/secret")
    with pytest.raises(AuthError, match="403"):
        GitLabForge("group/secret", GITLAB_TOKEN, gl.base_url).list_labels()
    with pytest.raises(NotFoundError, match="group/missing does not exist"):
        GitLabForge("group/missing", GITLAB_TOKEN, gl.base_url).list_labels()
    with pytest.raises(ForgeError, match="400") as err400:
        forge(gl).create_issue("", "", [], None)
    for e in (err.value, err400.value):
        assert "\n" not in str(e) and e.__suppress_context__


def test_rate_limit_short_wait_obeyed_long_wait_raises(gl: GitLabEmulator) -> None:
    f = forge(gl)
    gl.inject(429, {"message": "Retry later"}, {"Retry-After": "1", "RateLimit-Remaining": "0"})
    started = time.monotonic()
    assert f.list_labels() == []
    assert time.monotonic() - started >= 1
    reset = int(time.time()) + 3600
    gl.inject(429, {"message": "Retry later"}, {"Retry-After": "3600", "RateLimit-Reset": str(reset)})
    with pytest.raises(RateLimitError) as err:
        f.list_labels()
    assert err.value.reset_at is not None and int(err.value.reset_at.timestamp()) == reset
    assert "GitLab rate limit" in str(err.value)


def test_transient_errors_are_retried(gl: GitLabEmulator) -> None:
    f = forge(gl)
    gl.inject(503, {"message": "unavailable"})
    assert f.list_milestones() == []
    assert [s for _, _, s in gl.log] == [503, 200]

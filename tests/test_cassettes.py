"""Adapter scenarios replayed from recorded cassettes (cassettes/github/, cassettes/gitlab/).

CI replays them with ``--record-mode=none`` and no emulator: every request the adapter makes must be in
the cassette.  To re-record from the emulators: ``pytest tests/test_cassettes.py --record-mode=rewrite``;
against a real sandbox repository with a token, see docs/recording.md.

Stored cassettes are canonical: the recording host becomes ``https://api.github.com`` /
``https://gitlab.example.com``, the repository ``octo/syncbot-sandbox`` / ``group/syncbot-sandbox``,
and every credential is redacted, so a re-recording diffs only where the traffic really changed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from emulators import GITHUB_TOKEN, GITLAB_TOKEN
from emulators.github import GitHubEmulator
from emulators.gitlab import GitLabEmulator

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
from syncbot.forge.gitlab import GitLabForge

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
GITHUB_API = "https://api.github.com"
GITLAB_URL = "https://gitlab.example.com"
GITHUB_REPO = "octo/syncbot-sandbox"
GITLAB_REPO = "group/syncbot-sandbox"
REDACTED = "<REDACTED>"

# Token shapes GitHub and GitLab issue, plus the fake ones the tests use.
TOKEN_PATTERNS = [
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    re.compile(r"\bgl(?:oas|dt|rt|ptt|ft|imt|agent|cbt|soat|ffct)-[A-Za-z0-9_\-]{20,}"),
    re.compile(r"(?i)\b(?:token|bearer)\s+[A-Za-z0-9_\-.]{20,}"),
    re.compile(re.escape(GITHUB_TOKEN)),
    re.compile(re.escape(GITLAB_TOKEN)),
]
SECRET_HEADERS = {"authorization", "private-token", "job-token", "x-gitlab-token", "cookie", "set-cookie"}


def find_tokens(text: str) -> list[str]:
    """Every token-like string in ``text`` (what must never reach a cassette)."""
    return [m.group(0) for pattern in TOKEN_PATTERNS for m in pattern.finditer(text)]


def scrub(text: str) -> str:
    for pattern in TOKEN_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


# -- recording and replay ---------------------------------------------------------------------------------


@dataclass
class Target:
    """Where a scenario talks to: live (emulator or real sandbox) when recording, canonical when replaying."""

    kind: str  # "github" | "gitlab"
    base: str
    repo: str
    token: str
    emulator: GitHubEmulator | GitLabEmulator | None

    def canonical(self, text: str) -> str:
        base, repo = (GITHUB_API, GITHUB_REPO) if self.kind == "github" else (GITLAB_URL, GITLAB_REPO)
        text = text.replace(self.base, base).replace(self.repo, repo)
        return text.replace(self.repo.replace("/", "%2F"), repo.replace("/", "%2F"))


def _target(kind: str, record_mode: str) -> Iterator[Target]:
    env_repo = os.environ.get(f"SYNCBOT_RECORD_{kind.upper()}_REPO")
    env_token = os.environ.get(f"SYNCBOT_RECORD_{kind.upper()}_TOKEN")
    if record_mode == "none":
        base, repo = (GITHUB_API, GITHUB_REPO) if kind == "github" else (GITLAB_URL, GITLAB_REPO)
        yield Target(kind, base, repo, GITHUB_TOKEN if kind == "github" else GITLAB_TOKEN, None)
    elif env_repo and env_token:  # a maintainer re-recording against a real sandbox (docs/recording.md)
        default = "https://api.github.com" if kind == "github" else "https://gitlab.com"
        base = os.environ.get(f"SYNCBOT_RECORD_{kind.upper()}_URL", default)
        yield Target(kind, base, env_repo, env_token, None)
    else:
        emulator: GitHubEmulator | GitLabEmulator
        if kind == "github":
            emulator = GitHubEmulator(tokens=(GITHUB_TOKEN,))
            emulator.add_repo(GITHUB_REPO)
            token = GITHUB_TOKEN
        else:
            emulator = GitLabEmulator(tokens=(GITLAB_TOKEN,))
            emulator.add_project(GITLAB_REPO).default_branch = "main"
            token = GITLAB_TOKEN
        emulator.start()
        try:
            yield Target(kind, emulator.base_url, GITHUB_REPO if kind == "github" else GITLAB_REPO, token, emulator)
        finally:
            emulator.stop()


@pytest.fixture
def target(request: pytest.FixtureRequest, record_mode: str) -> Iterator[Target]:
    kind = "github" if request.node.name.startswith("test_github") else "gitlab"
    yield from _target(kind, record_mode)


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / ("github" if request.node.name.startswith("test_github") else "gitlab"))


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return request.node.name.removeprefix("test_github_").removeprefix("test_gitlab_")


@pytest.fixture
def vcr_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    holder: dict[str, Target] = {}

    def current() -> Target | None:
        if "t" not in holder and "target" in request.fixturenames:
            holder["t"] = request.getfixturevalue("target")
        return holder.get("t")

    def before_record_request(req: Any) -> Any:
        t = current()
        if t is not None:
            req.uri = t.canonical(req.uri)
        for name in list(req.headers):
            if name.lower() in SECRET_HEADERS:
                req.headers[name] = REDACTED
        if req.body:
            body = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else str(req.body)
            req.body = scrub(t.canonical(body) if t else body).encode()
        return req

    def before_record_response(resp: dict[str, Any]) -> dict[str, Any]:
        t = current()
        headers = resp.get("headers") or {}
        for name in list(headers):
            if name.lower() in ("date", "server"):  # vary per recording: noise in a re-recording's diff
                del headers[name]
            elif name.lower() in SECRET_HEADERS:
                headers[name] = [REDACTED]
            else:
                headers[name] = [scrub(t.canonical(v) if t else v) for v in headers[name]]
        body = resp.get("body", {}).get("string")
        if body:
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            resp["body"]["string"] = scrub(t.canonical(text) if t else text).encode()
        return resp

    return {
        # The port of a loopback recording (and the host) must not matter when replaying.
        "match_on": ["method", "path", "query", "conditional"],
        "filter_headers": [(h, REDACTED) for h in SECRET_HEADERS],
        "before_record_request": before_record_request,
        "before_record_response": before_record_response,
        "decode_compressed_response": True,
    }


def github(t: Target, **kwargs: Any) -> GitHubForge:
    return GitHubForge(t.repo, t.token, t.base, seconds_between_writes=0, backoff_factor=0, **kwargs)


def gitlab(t: Target) -> GitLabForge:
    return GitLabForge(t.repo, t.token, t.base)


# -- GitHub scenarios ---------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_github_first_sync_then_noop(target: Target) -> None:
    f = github(target)
    assert f.list_issues("tracker:demo") == []
    f.list_labels(), f.list_milestones()
    for name, color in [("tracker:demo", "5319e7"), ("status:planned", "c5def5"), ("depends-on:1", "bfdadc")]:
        f.create_label(Label(name, color, "managed by syncbot"))
    wave = f.create_milestone("Wave 1", "Sessions 1, 2")
    one = f.create_issue("Session 1: Setup", "<!-- syncbot:v1 tracker=demo key=1 -->", ["tracker:demo"], "Wave 1")
    two = f.create_issue("Session 2: Model", "body 2", ["tracker:demo", "status:planned", "depends-on:1"], None)
    assert one.milestone == "Wave 1" and two.labels[-1] == "depends-on:1"
    assert f.add_blocked_by(two.number, one.number)
    first = (f.list_issues("tracker:demo"), f.list_labels(), f.list_milestones())
    before = (f.stats.gets, f.stats.not_modified, f.stats.writes)
    second = (f.list_issues("tracker:demo"), f.list_labels(), f.list_milestones())
    assert second == first
    assert (f.stats.gets - before[0], f.stats.not_modified - before[1], f.stats.writes - before[2]) == (3, 3, 0)
    assert wave.title == "Wave 1"


@pytest.mark.vcr
def test_github_status_changes_and_comments(target: Target) -> None:
    f = github(target)
    f.create_milestone("Wave 1", "")
    a = f.create_issue("Session 1: Setup", "one", ["tracker:demo"], "Wave 1")
    b = f.create_issue("Session 2: Model", "two", ["tracker:demo"], "Wave 1")
    f.add_blocked_by(b.number, a.number)
    done = f.update_issue(a.number, IssueChange(state="closed", state_reason="completed"))
    assert (done.state, done.state_reason) == ("closed", "completed")
    dropped = f.update_issue(b.number, IssueChange(state="closed", state_reason="not_planned", milestone=""))
    assert (dropped.state_reason, dropped.milestone) == ("not_planned", None)
    f.remove_blocked_by(b.number, a.number)
    again = f.update_issue(b.number, IssueChange(state="open", title="Session 2: Data model", labels=["tracker:demo"]))
    assert (again.state, again.title) == ("open", "Session 2: Data model")
    c = f.create_comment(a.number, "Progress: 1/2")
    assert f.update_comment(a.number, c.id, "Progress: 2/2").body == "Progress: 2/2"
    assert [x.body for x in f.list_comments(a.number)] == ["Progress: 2/2"]
    f.update_label(Label("tracker:demo", "1d76db", "syncbot tracker"))
    m = f.list_milestones()[0]
    assert f.update_milestone(m.number, state="closed").state == "closed"


@pytest.mark.vcr
def test_github_file_write_back_and_commits(target: Target) -> None:
    f = github(target)
    v1 = f.write_file("docs/SESSION_TRACKER.md", "| 1 | ⏳ Waiting |\n", "Add tracker", None)
    text, version = f.read_file("docs/SESSION_TRACKER.md")
    assert (text, version) == ("| 1 | ⏳ Waiting |\n", v1)
    v2 = f.write_file("docs/SESSION_TRACKER.md", "| 1 | ✅ Done |\n", "syncbot: Session 1 done\n\nSyncbot: yes", v1)
    with pytest.raises(ConflictError):
        f.write_file("docs/SESSION_TRACKER.md", "| 1 | ❌ |\n", "stale write", v1)
    commits = f.list_commits()
    assert [c.message.splitlines()[0] for c in commits][-2:] == ["Add tracker", "syncbot: Session 1 done"]
    assert f.list_commits(since_sha=commits[-2].sha)[0].message.startswith("syncbot: Session 1 done")
    assert v2 != v1


@pytest.mark.vcr
def test_github_errors(target: Target) -> None:
    with pytest.raises(AuthError, match="401"):
        GitHubForge(target.repo, GITHUB_TOKEN.replace("0000", "1111"), target.base).list_labels()
    with pytest.raises(NotFoundError):
        GitHubForge(target.repo + "-missing", target.token, target.base).list_labels()
    f = github(target)
    with pytest.raises(ForgeError, match="422"):
        f.create_issue("", "no title", [], None)
    if isinstance(target.emulator, GitHubEmulator):
        target.emulator.exhaust_rate_limit(reset=1_893_456_000)
    if target.emulator is not None or os.environ.get("SYNCBOT_RECORD_GITHUB_REPO") is None:
        with pytest.raises(RateLimitError) as err:
            f.list_issues("tracker:demo")
        assert err.value.reset_at is not None and err.value.reset_at.year == 2030


@pytest.mark.vcr
def test_github_app_installation_flows(target: Target, record_mode: str) -> None:
    """The fleet's discovery: installations (the App's JWT), an installation token, the installation's
    repositories, its ``.github/syncbot.toml`` absent then present, and an unchanged listing again (304).
    Recorded from the emulator only (a real recording needs an App's credentials, not a token)."""
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from syncbot.auth import installation_token_minter
    from syncbot.fleet.client import GitHubAppClient
    from syncbot.fleet.config import CONFIG_PATH
    from syncbot.fleet.tokens import TokenPool
    from syncbot.settings import Settings

    if target.emulator is None and record_mode != "none":
        pytest.skip("the App flows are recorded from the emulator (a sandbox recording needs an App)")
    app_id, installation = 4242, 77
    if isinstance(target.emulator, GitHubEmulator):
        target.emulator.app_id = app_id
        target.emulator.add_installation(installation, target.repo.split("/")[0], [target.repo])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = key.decode()
    settings = Settings(_env_file=None, github_url=target.base, github_app_id=app_id, github_app_private_key=pem)
    # A clock in the past: the token recorded (redacted) stays fresh whenever the cassette is replayed.
    tokens = TokenPool(installation_token_minter(settings), clock=lambda: datetime(2000, 1, 1, tzinfo=UTC))
    client = GitHubAppClient(target.base, app_id, pem, tokens, backoff_factor=0)
    [found] = client.installations()
    assert found.id == installation and not found.suspended
    [repo] = client.repositories(installation)
    assert repo.full_name == target.repo and repo.default_branch == "main"
    assert client.read_config(installation, target.repo) is None
    forge = github(target, token_source=tokens.source(installation))
    forge.write_file(CONFIG_PATH, 'path = "docs/TRACKER.md"\n', "Configure syncbot", None)
    assert client.read_config(installation, target.repo) == 'path = "docs/TRACKER.md"\n'
    assert client.installations() == [found] and client.stats.not_modified == 1


# -- GitLab scenarios ---------------------------------------------------------------------------------------


@pytest.mark.vcr
def test_gitlab_first_sync_then_noop(target: Target) -> None:
    f = gitlab(target)
    assert f.list_issues("tracker:demo") == []
    f.list_labels(), f.list_milestones()
    f.create_label(Label("tracker:demo", "5319e7", "managed by syncbot"))
    f.create_milestone("Wave 1", "Sessions 1, 2")
    one = f.create_issue("Session 1: Setup", "<!-- syncbot:v1 tracker=demo key=1 -->", ["tracker:demo"], "Wave 1")
    two = f.create_issue("Session 2: Model", "body 2", ["tracker:demo", "depends-on:1"], None)
    f.add_blocked_by(two.number, one.number)
    first = (f.list_issues("tracker:demo"), f.list_labels(), f.list_milestones())
    before = (f.stats.gets, f.stats.not_modified, f.stats.writes)
    second = (f.list_issues("tracker:demo"), f.list_labels(), f.list_milestones())
    assert second == first
    assert (f.stats.gets - before[0], f.stats.not_modified - before[1], f.stats.writes - before[2]) == (3, 3, 0)


@pytest.mark.vcr
def test_gitlab_status_changes_notes_and_files(target: Target) -> None:
    f = gitlab(target)
    a = f.create_issue("Session 1: Setup", "one", ["tracker:demo"], None)
    b = f.create_issue("Session 2: Model", "two", ["tracker:demo"], None)
    f.add_blocked_by(b.number, a.number)
    f.remove_blocked_by(b.number, a.number)  # lists the links to find the link id, then deletes it
    closed = f.update_issue(a.number, IssueChange(state="closed", labels=["tracker:demo", "status:dropped"]))
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    n = f.create_comment(a.number, "Progress: 0/1")
    assert f.update_comment(a.number, n.id, "Progress: 1/1").body == "Progress: 1/1"
    assert [c.body for c in f.list_comments(a.number)] == ["Progress: 1/1"]
    v1 = f.write_file("TRACKER.md", "| 1 | ⏳ |\n", "Add tracker", None, branch="main")
    assert f.read_file("TRACKER.md", "main") == ("| 1 | ⏳ |\n", v1)
    v2 = f.write_file("TRACKER.md", "| 1 | ✅ |\n", "Session: 1 done", v1, branch="main")
    with pytest.raises(ConflictError):
        f.write_file("TRACKER.md", "stale", "stale", v1, branch="main")
    assert [c.message for c in f.list_commits("main")][-2:] == ["Add tracker", "Session: 1 done"]
    assert v2 != v1


# -- the cassettes themselves ---------------------------------------------------------------------------------


def cassette_files() -> list[Path]:
    return sorted(p for p in CASSETTES.rglob("*") if p.is_file())


def secrets_in(path: Path) -> list[str]:
    """Token-like strings, and credential headers holding anything but the redaction mark."""
    text = path.read_text("utf-8", "replace")
    found = find_tokens(text)
    for match in re.finditer(r"(?im)^\s*-?\s*(authorization|private-token|job-token|x-gitlab-token):\s*\n?(.*)$", text):
        value = match.group(2).strip().strip("-").strip().strip("'\"")
        if value and value != REDACTED:
            found.append(f"{match.group(1)}: {value}")
    return found


def test_cassettes_exist_for_both_forges() -> None:
    for kind in ("github", "gitlab"):
        assert list((CASSETTES / kind).glob("*.yaml")), f"no cassettes in cassettes/{kind}/"


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_no_cassette_holds_a_token(path: Path) -> None:
    assert secrets_in(path) == [], f"{path} holds a credential"


def test_the_token_check_can_fail(tmp_path: Path) -> None:
    leaky = tmp_path / "leak.yaml"
    leaky.write_text(
        json.dumps({"headers": {"Authorization": [f"token {GITHUB_TOKEN}"]}}) + "\nPRIVATE-TOKEN: abc\n", "utf-8"
    )
    assert GITHUB_TOKEN in "".join(secrets_in(leaky))
    assert any(s.lower().startswith("private-token") for s in secrets_in(leaky))
    assert find_tokens("glpat-" + "x" * 20) and find_tokens("github_pat_" + "A" * 30)
    clean = tmp_path / "clean.yaml"
    clean.write_text("headers:\n  Authorization:\n  - <REDACTED>\n", "utf-8")
    assert secrets_in(clean) == []

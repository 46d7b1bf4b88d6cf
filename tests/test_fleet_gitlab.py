"""A GitLab group as a fleet: a group access token serves every project of the group (subgroups included)
that has a ``.syncbot.toml``; a group webhook's ``Push Hook`` re-reads a project's file.  Real HTTP
through python-gitlab against the loopback GitLab emulator; the sync writes back through the files API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from emulators import GITLAB_TOKEN
from emulators.gitlab import GitLabEmulator
from fastapi.testclient import TestClient

from syncbot.fleet.setup import FleetSetup, build_fleet, fleet_configured
from syncbot.service.clock import ManualClock
from syncbot.service.serve import build_app, check_can_serve
from syncbot.settings import Settings
from syncbot.trailers import is_bot_commit
from syncbot.webhooks import Delivery

CONFIG = ".syncbot.toml"
TEXT = "# T\n\n| # | Session | Status |\n|---|---|---|\n| 1 | Setup | ✅ Done |\n| 2 | API | ⏳ Planned |\n"


@pytest.fixture
def gl(gitlab_emulator: GitLabEmulator) -> GitLabEmulator:
    for path in ("grp/api", "grp/sub/web", "grp/docs", "grp/broken", "other/app", "grp/empty"):
        gitlab_emulator.add_project(path)
    gitlab_emulator.commit("grp/api", "Add", {"TRACKER.md": TEXT, CONFIG: 'path = "TRACKER.md"\n'})
    gitlab_emulator.commit("grp/sub/web", "Add", {CONFIG: '[[trackers]]\npath = "PLAN.md"\n'})
    gitlab_emulator.commit("grp/docs", "Add", {"README.md": "hi\n"})
    gitlab_emulator.commit("grp/broken", "Add", {CONFIG: 'path = "T.md"\nforge = "github"\n'})
    gitlab_emulator.commit("other/app", "Add", {CONFIG: 'path = "T.md"\n'})
    return gitlab_emulator


@pytest.fixture
def setup(gl: GitLabEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FleetSetup:
    monkeypatch.chdir(tmp_path)
    settings = Settings(
        _env_file=None,
        gitlab_url=gl.base_url,
        gitlab_token=GITLAB_TOKEN,
        gitlab_group="grp",
        state_dir=tmp_path / "state",
    )
    assert fleet_configured(settings)
    return build_fleet(settings)


def push(project: str, files: list[str], ref: str = "refs/heads/main") -> Delivery:
    payload: dict[str, Any] = {
        "object_kind": "push",
        "ref": ref,
        "project": {"path_with_namespace": project, "default_branch": "main"},
        "commits": [{"added": [], "modified": files, "removed": []}],
        "total_commits_count": 1,
    }
    return Delivery("gitlab", "Push Hook", "g-1", payload)


def test_a_group_serves_its_projects_that_have_the_file(setup: FleetSetup) -> None:
    changes = setup.fleet.reconcile()
    ids = [t.id for t in setup.fleet.trackers()]
    assert ids == ["gitlab:grp/api:TRACKER.md", "gitlab:grp/sub/web:PLAN.md"] and len(changes.added) == 2
    assert list(setup.fleet.problems()) == ["grp/broken"] and "forge" in setup.fleet.problems()["grp/broken"]
    assert not setup.fleet.reconcile()  # unchanged: nothing moves


def test_a_push_hook_rereads_the_file(setup: FleetSetup, gl: GitLabEmulator) -> None:
    fleet = setup.fleet
    fleet.reconcile()
    gl.commit("grp/docs", "Configure", {CONFIG: 'path = "README.md"\n'})
    assert [t.id for t in fleet.apply(push("grp/docs", [CONFIG])).added] == ["gitlab:grp/docs:README.md"]
    gl.commit("grp/api", "Stop", {CONFIG: 'path = "OTHER.md"\n'})
    assert not fleet.apply(push("grp/api", ["README.md"]))  # not the file: not read
    assert not fleet.apply(push("grp/api", [CONFIG], ref="refs/heads/feature"))
    moved = fleet.apply(push("grp/api", [CONFIG]))
    assert [t.id for t in moved.removed] == ["gitlab:grp/api:TRACKER.md"]
    assert not fleet.apply(push("other/app", [CONFIG]))  # outside the group
    assert not fleet.apply(Delivery("github", "push", "x", {"installation": {"id": 1}}))


def test_a_group_tracker_syncs_through_the_files_api(setup: FleetSetup, gl: GitLabEmulator) -> None:
    setup.fleet.reconcile()
    api = next(t for t in setup.fleet.trackers() if t.repo == "grp/api")
    assert setup.sync(api).ok
    gl.commit("grp/api", "Wire the API\n\nSession: 2 done\n", {})
    assert setup.sync(api).ok
    project = gl.projects["grp/api"]
    assert "| 2 | API | ✅ Done |" in project.files["main"]["TRACKER.md"]["content"].decode()
    assert is_bot_commit(project.commits["main"][0]["message"])


def test_serve_follows_a_group_webhook(gl: GitLabEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    token = "group-hook-token-5678"
    settings = Settings(
        _env_file=None,
        gitlab_url=gl.base_url,
        gitlab_token=GITLAB_TOKEN,
        gitlab_group="grp",
        gitlab_webhook_token=token,
        state_dir=tmp_path / "state",
        sync_on_start=False,
    )
    check_can_serve(settings, insecure_no_webhook_secret=False)
    calls: list[str] = []
    app = build_app(settings, lambda t: calls.append(t.id), clock=ManualClock(), fleet=build_fleet(settings).fleet)
    with TestClient(app) as client:
        ready = client.get("/readyz").json()
        assert [t["tracker"] for t in ready["trackers"]] == ["gitlab:grp/api:TRACKER.md", "gitlab:grp/sub/web:PLAN.md"]
        gl.commit("grp/docs", "Configure", {CONFIG: 'path = "README.md"\n'})
        body = json.dumps(push("grp/docs", [CONFIG]).payload).encode()
        headers = {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": token, "X-Gitlab-Event-UUID": "u-1"}
        answer = client.post("/webhooks/gitlab", content=body, headers=headers).json()
        assert answer["fleet"] == "queued" and app.state.fleet.wait_idle(30)
        assert app.state.fleet.last_changes.describe() == "1 added"
        assert [t["tracker"] for t in client.get("/readyz").json()["trackers"]][-1] == "gitlab:grp/docs:README.md"

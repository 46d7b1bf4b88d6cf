"""``syncbot serve`` as a GitHub App fleet: the queue's set of trackers follows discovery and webhooks.

The queue's own side (``add_tracker``/``remove_tracker`` of the embedded backend) on a clock moved by
hand; then the whole service in process (FastAPI's TestClient) against the loopback GitHub emulator:
discovery at start, signed ``installation``, ``installation_repositories`` and ``push`` deliveries
changing what is served, and a real file-API sync run by the queue.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulators.github import GitHubEmulator
from fastapi.testclient import TestClient

from syncbot.fleet.config import CONFIG_PATH
from syncbot.fleet.setup import build_fleet
from syncbot.service.clock import ManualClock
from syncbot.service.coordinator import EmbeddedQueue
from syncbot.service.deliveries import DeliveryLog
from syncbot.service.locks import file_locks
from syncbot.service.metrics import Metrics
from syncbot.service.serve import build_app, check_can_serve
from syncbot.settings import Settings, SettingsError, TrackerConfig
from syncbot.webhooks import github_signature

APP_ID = 5252
SECRET = "fleet-webhook-secret-1234"
DEBOUNCE = 5.0
TRACKER = "TRACKER.md"
TEXT = "# T\n\n| # | Session | Status |\n|---|---|---|\n| 1 | Setup | ✅ Done |\n| 2 | API | ⏳ Planned |\n"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, tracker: TrackerConfig) -> None:
        self.calls.append(tracker.id)


def tracker(name: str, schedule: str = "10m") -> TrackerConfig:
    return TrackerConfig(path=Path("T.md"), forge="github", repo=name, schedule=schedule)


# -- the queue: trackers come and go ----------------------------------------------------------------------


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def embedded(tmp_path: Path, clock: ManualClock, syncs: Recorder) -> EmbeddedQueue:
    return EmbeddedQueue(
        [],
        syncs,
        clock=clock,
        locks=file_locks(tmp_path / "state"),
        deliveries=DeliveryLog(),
        metrics=Metrics(),
        debounce=DEBOUNCE,
    )


def test_a_tracker_added_while_serving_syncs_at_once_and_on_its_schedule(tmp_path: Path, clock: ManualClock) -> None:
    syncs = Recorder()
    queue = embedded(tmp_path, clock, syncs)
    before = tracker("acme/early")
    queue.add_tracker(before)  # before start: joins the set start begins with
    queue.start(sync_on_start=True, schedules=True)
    clock.advance(0)
    assert syncs.calls == [before.id]
    t = tracker("acme/api")
    queue.add_tracker(t)
    clock.advance(0)
    assert syncs.calls == [before.id, t.id]
    clock.advance(600 + DEBOUNCE)
    assert syncs.calls.count(t.id) == 2  # its schedule ticked
    # New settings (same id): its schedule is replaced, not doubled; a sync follows after the debounce.
    queue.add_tracker(tracker("acme/api", schedule="1h"))
    assert [n for _, n in clock.pending()].count(f"schedule:{t.id}") == 1
    clock.advance(DEBOUNCE)
    assert syncs.calls.count(t.id) == 3
    assert [s["tracker"] for s in queue.status()] == [before.id, t.id]


def test_a_removed_tracker_is_never_synced_again(tmp_path: Path, clock: ManualClock) -> None:
    syncs = Recorder()
    queue = embedded(tmp_path, clock, syncs)
    queue.start(sync_on_start=False, schedules=True)
    t = tracker("acme/api")
    queue.add_tracker(t, sync=False)
    assert queue.request(t.id, "webhook") == "scheduled"
    queue.remove_tracker(t.id)  # while its sync is pending
    assert all(not n.startswith("schedule:") for _, n in clock.pending())
    assert queue.request(t.id, "webhook") == "unknown"
    clock.advance(3 * 3600)
    assert syncs.calls == [] and queue.status() == []
    queue.remove_tracker(t.id)  # twice is no error


# -- the service --------------------------------------------------------------------------------------------


@pytest.fixture
def gh(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.app_id = APP_ID
    github_emulator.add_installation(31, "acme", ["acme/api", "acme/mobile"])
    github_emulator.commit("acme/api", "Add", {TRACKER: TEXT, CONFIG_PATH: f'path = "{TRACKER}"\n'})
    github_emulator.commit("acme/mobile", "Add", {"README.md": "hi\n"})
    return github_emulator


@pytest.fixture
def settings(gh: GitHubEmulator, private_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return Settings(
        _env_file=None,
        github_url=gh.base_url,
        github_app_id=APP_ID,
        github_app_private_key=private_key,
        github_webhook_secret=SECRET,
        state_dir=tmp_path / "state",
        debounce_seconds=DEBOUNCE,
        schedule="1h",
        shutdown_grace_seconds=5,
    )


def post(client: TestClient, event: str, payload: dict[str, Any], delivery: str) -> Any:
    """Deliver, then wait for the fleet's thread to have followed it (the handler answers at once)."""
    body = json.dumps(payload).encode()
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": github_signature(body, SECRET),
        "Content-Type": "application/json",
    }
    r = client.post("/webhooks/github", content=body, headers=headers)
    assert r.status_code == 202, r.text
    fleet = client.app.state.fleet  # type: ignore[attr-defined]
    assert fleet.wait_idle(30)
    return r.json()


def changed(client: TestClient) -> str:
    return str(client.app.state.fleet.last_changes.describe())  # type: ignore[attr-defined]


def served(client: TestClient) -> list[str]:
    return [t["tracker"] for t in client.get("/readyz").json()["trackers"]]


@pytest.fixture
def fleet_client(settings: Settings, clock: ManualClock) -> Iterator[tuple[TestClient, Recorder]]:
    syncs = Recorder()
    setup = build_fleet(settings)
    app = build_app(settings, syncs, clock=clock, fleet=setup.fleet)
    with TestClient(app) as client:
        yield client, syncs


def test_serve_with_app_credentials_and_no_trackers_serves_the_fleet(settings: Settings) -> None:
    check_can_serve(settings, insecure_no_webhook_secret=False)
    no_app = settings.model_copy(update={"github_app_id": None})
    with pytest.raises(SettingsError, match="GitHub App"):
        check_can_serve(no_app, insecure_no_webhook_secret=False)


def test_webhooks_change_what_the_service_serves(
    fleet_client: tuple[TestClient, Recorder], gh: GitHubEmulator, clock: ManualClock
) -> None:
    client, syncs = fleet_client
    api, mobile = f"github:acme/api:{TRACKER}", "github:acme/mobile:PLAN.md"
    ready = client.get("/readyz").json()
    assert ready["ready"] and served(client) == [api]
    assert ready["fleet"]["trackers"] == 1 and ready["fleet"]["problems"] == {}
    clock.advance(0)
    assert syncs.calls == [api]  # the start sync of what discovery found

    # acme/mobile gets its file: the push re-reads it, the tracker is served and synced at once.
    gh.commit("acme/mobile", "Configure", {CONFIG_PATH: 'path = "PLAN.md"\n'})
    push = {
        "ref": "refs/heads/main",
        "installation": {"id": 31},
        "repository": {"full_name": "acme/mobile", "default_branch": "main"},
        "commits": [{"added": [CONFIG_PATH], "modified": [], "removed": []}],
    }
    answer = post(client, "push", push, "d-1")
    assert answer == {"result": "accepted", "trackers": {}, "fleet": "queued"}  # answered before any read
    assert changed(client) == "1 added" and served(client) == [api, mobile]
    clock.advance(0)
    assert syncs.calls == [api, mobile]
    assert post(client, "push", push, "d-1") == {"result": "duplicate"}

    # A new repository joins with its file; another leaves.
    gh.add_installation(31, "acme", ["acme/web"])
    gh.commit("acme/web", "Add", {CONFIG_PATH: 'path = "T.md"\n'})
    added = {
        "action": "added",
        "installation": {"id": 31},
        "repositories_added": [{"full_name": "acme/web"}],
        "repositories_removed": [],
    }
    assert post(client, "installation_repositories", added, "d-2")["fleet"] == "queued"
    assert changed(client) == "1 added"
    removed = {
        **added,
        "action": "removed",
        "repositories_added": [],
        "repositories_removed": [{"full_name": "acme/api"}],
    }
    post(client, "installation_repositories", removed, "d-3")
    assert changed(client) == "1 removed"
    assert served(client) == [mobile, "github:acme/web:T.md"]
    issues = {
        "action": "closed",
        "issue": {"number": 1},
        "installation": {"id": 31},
        "repository": {"full_name": "acme/api"},
    }
    assert post(client, "issues", issues, "d-4")["result"] == "ignored"  # no longer served

    # The installation is deleted: nothing is served, and nothing more is synced.
    post(client, "installation", {"action": "deleted", "installation": {"id": 31}}, "d-5")
    assert changed(client) == "2 removed"
    calls = len(syncs.calls)
    clock.advance(4 * 3600)
    assert served(client) == [] and len(syncs.calls) == calls


def test_the_queue_runs_a_real_file_api_sync_of_a_discovered_tracker(
    settings: Settings, gh: GitHubEmulator, clock: ManualClock
) -> None:
    setup = build_fleet(settings, seconds_between_writes=0, backoff_factor=0)
    app = build_app(settings, setup.sync, clock=clock, fleet=setup.fleet)
    with TestClient(app) as client:
        clock.advance(0)
        [status] = client.get("/readyz").json()["trackers"]
        assert status["last_result"] == "ok", status["last_error"]
    titles = {i["title"] for i in gh.repos["acme/api"].issues.values()}
    assert {"Session 1: Setup", "Session 2: API"} <= titles


# -- a real `syncbot serve` -------------------------------------------------------------------------------


def test_syncbot_serve_discovers_syncs_follows_a_webhook_and_exits_0(
    gh: GitHubEmulator, private_key: str, tmp_path: Path
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    env.update(
        {
            "SYNCBOT_GITHUB_URL": gh.base_url,
            "SYNCBOT_GITHUB_APP_ID": str(APP_ID),
            "SYNCBOT_GITHUB_APP_PRIVATE_KEY": private_key,
            "SYNCBOT_GITHUB_WEBHOOK_SECRET": SECRET,
            "SYNCBOT_STATE_DIR": str(tmp_path / "state"),
            "SYNCBOT_DEBOUNCE_SECONDS": "0",
            "SYNCBOT_SCHEDULE": "1h",
            "SYNCBOT_LOG_FORMAT": "json",
        }
    )
    script = Path(sys.executable).with_name("syncbot")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from syncbot.cli import main; main()"]
    proc = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def ready(trackers: int = 1) -> dict[str, Any]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                body: dict[str, Any] = httpx.get(f"{url}/readyz", timeout=5).json()
                done = all(t["last_result"] for t in body["trackers"]) and len(body["trackers"]) == trackers
                if body["ready"] and done:
                    return body
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(proc.communicate(timeout=30) if proc.poll() is not None else "not ready in time")

    try:
        first = ready()
        assert [t["tracker"] for t in first["trackers"]] == [f"github:acme/api:{TRACKER}"]
        assert first["trackers"][0]["last_result"] == "ok", first
        gh.commit("acme/mobile", "Configure", {CONFIG_PATH: 'path = "README.md"\n'})
        push = {
            "ref": "refs/heads/main",
            "installation": {"id": 31},
            "repository": {"full_name": "acme/mobile", "default_branch": "main"},
            "commits": [{"modified": [CONFIG_PATH]}],
        }
        body = json.dumps(push).encode()
        headers = {"X-GitHub-Event": "push", "X-GitHub-Delivery": "p-1", "Content-Type": "application/json"}
        headers["X-Hub-Signature-256"] = github_signature(body, SECRET)
        assert httpx.post(f"{url}/webhooks/github", content=body, headers=headers, timeout=30).status_code == 202
        assert len(ready(trackers=2)["trackers"]) == 2
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert any(i["title"] == "Session 2: API" for i in gh.repos["acme/api"].issues.values())
    key_lines = [ln for ln in private_key.splitlines() if ln and not ln.startswith("-----")]
    for secret in [*gh.installation_tokens, *gh.jwts_seen, *key_lines, SECRET]:
        assert secret not in out + err

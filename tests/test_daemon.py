"""The daemon in process (FastAPI's TestClient) with an injected sync that counts its calls and a clock
moved by hand (``ManualClock``: nothing waits), plus a few real runs: a shutdown waiting for a real worker
thread, and a real `syncbot serve` subprocess for SIGTERM.  The queue's own promises, without HTTP, are in
tests/test_coordinator.py."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from syncbot.service.clock import ManualClock, SchedulerClock
from syncbot.service.deliveries import DeliveryLog
from syncbot.service.locks import TrackerLock
from syncbot.service.serve import build_app, check_can_serve
from syncbot.settings import Settings, SettingsError, TrackerConfig, load_settings
from syncbot.webhooks import github_signature

SECRET = "daemon-test-secret-7c1e"
GL_TOKEN = "gitlab-test-token-51ab"
REPO = "octo/tracker-repo"
DEBOUNCE = 0.15


class FakeSync:
    """Counts calls and the most syncs ever running at once; can take time, fail, or do something while
    it runs (``during``, given the call's number).  Its ``seconds`` of work move the ``clock`` (what falls
    due meanwhile runs, as on another worker); there is no clock to move only where nothing syncs."""

    def __init__(
        self,
        seconds: float = 0.0,
        fail: Exception | None = None,
        clock: ManualClock | None = None,
        during: Callable[[int], None] | None = None,
    ) -> None:
        self.seconds = seconds
        self.fail = fail
        self.clock = clock
        self.during = during
        self.calls: list[str] = []
        self.times: list[float] = []  # the clock's time at each call's start
        self.running = 0
        self.max_running = 0
        self._lock = threading.Lock()

    def __call__(self, tracker: TrackerConfig) -> Any:
        with self._lock:
            self.calls.append(tracker.id)
            self.times.append(self.clock.monotonic() if self.clock else 0.0)
            self.running += 1
            self.max_running = max(self.max_running, self.running)
            n = len(self.calls)
        try:
            if self.during is not None:
                self.during(n)
            if self.clock is not None:
                self.clock.advance(self.seconds)
            if self.fail is not None:
                raise self.fail
            return None
        finally:
            with self._lock:
                self.running -= 1


def wait_for(cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def make_settings(tmp_path: Path, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "forge": "github",
        "repo": REPO,
        "tracker": Path("SESSION_TRACKER.md"),
        "github_webhook_secret": SECRET,
        "gitlab_webhook_token": GL_TOKEN,
        "state_dir": tmp_path / "state",
        "debounce_seconds": DEBOUNCE,
        "sync_on_start": False,
        "schedule": "1h",
        "shutdown_grace_seconds": 5,
        "webhook_max_bytes": 64 * 1024,
    }
    values.update(over)
    return Settings(**values)


@pytest.fixture
def env_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def issue_body(action: str = "closed", repo: str = REPO) -> bytes:
    return json.dumps({"action": action, "issue": {"number": 1}, "repository": {"full_name": repo}}).encode()


def gh_headers(body: bytes, event: str = "issues", delivery: str = "d-1", secret: str = SECRET) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": github_signature(body, secret),
        "Content-Type": "application/json",
    }


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeSync:
    return FakeSync(clock=clock)


@pytest.fixture
def client(tmp_path: Path, fake: FakeSync, clock: ManualClock, env_clean: None) -> Iterator[TestClient]:
    app = build_app(make_settings(tmp_path), fake, schedules=False, clock=clock)
    with TestClient(app) as c:
        yield c


def metric(client: TestClient, name: str, **labels: str) -> float:
    text = client.get("/metrics").text
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# --- endpoints ----------------------------------------------------------------------------------------------


def test_health_ready_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["trackers"][0]["tracker"] == f"github:{REPO}:SESSION_TRACKER.md"
    assert ready.json()["trackers"][0]["last_result"] is None
    text = client.get("/metrics").text
    for name in (
        "syncbot_syncs_total",
        "syncbot_sync_failures_total",
        "syncbot_sync_duration_seconds",
        "syncbot_api_requests_total",
        "syncbot_rate_limit_remaining",
        "syncbot_webhook_deliveries_total",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text, name


def test_signed_delivery_answers_202_and_syncs_once(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    body = issue_body()
    r = client.post("/webhooks/github", content=body, headers=gh_headers(body))
    assert r.status_code == 202
    assert r.json() == {"result": "accepted", "trackers": {f"github:{REPO}:SESSION_TRACKER.md": "scheduled"}}
    clock.advance(DEBOUNCE * 0.9)
    assert fake.calls == []  # answered before the sync even began: it waits for the debounce
    clock.advance(DEBOUNCE * 0.2)
    assert fake.times == [pytest.approx(DEBOUNCE)]
    clock.advance(3600)
    assert len(fake.calls) == 1
    _check_after_one_sync(client)


def _check_after_one_sync(client: TestClient) -> None:
    ready = client.get("/readyz").json()["trackers"][0]
    assert ready["last_result"] == "ok" and ready["age_seconds"] is not None
    assert metric(client, "syncbot_syncs_total") == 1
    assert metric(client, "syncbot_webhook_deliveries_total", forge="github", result="accepted") == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"X-GitHub-Event": "issues", "X-GitHub-Delivery": "x"},  # no signature
        {"X-GitHub-Event": "issues", "X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-GitHub-Event": "issues", "X-Hub-Signature-256": github_signature(issue_body(), "wrong")},
    ],
    ids=["missing", "zeros", "wrong-secret"],
)
def test_bad_or_missing_signature_is_401_and_nothing_else(
    client: TestClient, fake: FakeSync, clock: ManualClock, headers: dict[str, str]
) -> None:
    r = client.post("/webhooks/github", content=issue_body(), headers=headers)
    assert r.status_code == 401
    assert SECRET not in r.text
    assert clock.pending() == []
    clock.advance(3600)
    assert fake.calls == []
    assert metric(client, "syncbot_webhook_deliveries_total", result="unauthorized") == 1
    # A 401 records no delivery id: the genuine delivery with that id still gets through.
    good = client.post("/webhooks/github", content=issue_body(), headers=gh_headers(issue_body(), delivery="x"))
    assert good.status_code == 202 and good.json()["result"] == "accepted"


def test_gitlab_token(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    body = json.dumps({"object_kind": "issue", "project": {"path_with_namespace": REPO}}).encode()
    bad = client.post("/webhooks/gitlab", content=body, headers={"X-Gitlab-Event": "Issue Hook"})
    assert bad.status_code == 401
    wrong = client.post(
        "/webhooks/gitlab", content=body, headers={"X-Gitlab-Event": "Issue Hook", "X-Gitlab-Token": "nope"}
    )
    assert wrong.status_code == 401
    clock.advance(3600)
    assert fake.calls == []
    # The tracker is a GitHub one, so a GitLab issue event for the same path is accepted and ignored.
    ok = client.post(
        "/webhooks/gitlab", content=body, headers={"X-Gitlab-Event": "Issue Hook", "X-Gitlab-Token": GL_TOKEN}
    )
    assert ok.status_code == 202 and ok.json()["result"] == "ignored"
    clock.advance(3600)
    assert fake.calls == []


def test_gitlab_delivery_syncs_gitlab_tracker(tmp_path: Path, env_clean: None) -> None:
    clock = ManualClock()
    fake = FakeSync(clock=clock)
    app = build_app(make_settings(tmp_path, forge="gitlab"), fake, schedules=False, clock=clock)
    body = json.dumps({"object_kind": "note", "project": {"path_with_namespace": REPO}}).encode()
    headers = {"X-Gitlab-Event": "Note Hook", "X-Gitlab-Token": GL_TOKEN, "X-Gitlab-Event-UUID": "u1"}
    with TestClient(app) as c:
        assert c.post("/webhooks/gitlab", content=body, headers=headers).status_code == 202
        assert c.post("/webhooks/gitlab", content=body, headers=headers).json()["result"] == "duplicate"
        clock.advance(3600)
        assert fake.calls == [f"gitlab:{REPO}:SESSION_TRACKER.md"]


def test_ping_pongs_without_sync(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    body = b'{"zen": "Keep it logically awesome.", "hook_id": 1}'
    r = client.post("/webhooks/github", content=body, headers=gh_headers(body, event="ping"))
    assert r.status_code == 200 and r.json() == {"result": "pong"}
    other = issue_body(repo="someone/else")
    r = client.post("/webhooks/github", content=other, headers=gh_headers(other, delivery="d-2"))
    assert r.status_code == 202 and r.json()["result"] == "ignored"
    clock.advance(3600)
    assert fake.calls == []


def test_repeated_delivery_id_is_ignored(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    body = issue_body()
    first = client.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="same"))
    assert first.json()["result"] == "accepted"
    clock.advance(3600)
    assert len(fake.calls) == 1
    again = client.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="same"))
    assert again.status_code == 202 and again.json()["result"] == "duplicate"
    clock.advance(3600)
    assert len(fake.calls) == 1


def test_delivery_log_is_bounded() -> None:
    log = DeliveryLog(size=3)
    assert not any(log.seen(x) for x in "abcd")
    assert log.seen("d") and not log.seen("a")  # "a" was pushed out


def test_body_over_limit_is_413(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    big = b'{"a": "' + b"x" * (64 * 1024) + b'"}'
    r = client.post("/webhooks/github", content=big, headers=gh_headers(big))
    assert r.status_code == 413
    # No Content-Length (chunked): the streamed size is what counts.
    chunks = iter([big[:40_000], big[40_000:]])
    r = client.post("/webhooks/github", content=chunks, headers=gh_headers(big, delivery="d-3"))
    assert r.status_code == 413
    # A Content-Length that understates the body does not help either: the streamed size counts.
    headers = {**gh_headers(big, delivery="d-4"), "Content-Length": "10"}
    assert client.post("/webhooks/github", content=big, headers=headers).status_code == 413
    assert metric(client, "syncbot_webhook_deliveries_total", result="too_large") == 3
    clock.advance(3600)
    assert fake.calls == []


def test_burst_of_deliveries_makes_one_sync(client: TestClient, fake: FakeSync, clock: ManualClock) -> None:
    body = issue_body()
    answers = []
    for i in range(100):
        r = client.post("/webhooks/github", content=body, headers=gh_headers(body, delivery=f"burst-{i}"))
        answers.append(r.json()["trackers"][f"github:{REPO}:SESSION_TRACKER.md"])
        clock.advance(DEBOUNCE / 100)
    assert answers == ["scheduled"] + ["coalesced"] * 99
    clock.advance(3600)
    assert len(fake.calls) == 1
    assert fake.times == [pytest.approx(99 * DEBOUNCE / 100 + DEBOUNCE)]  # a debounce after the last one


def test_schedule_tick_and_webhook_at_the_same_moment_make_one_sync(tmp_path: Path, env_clean: None) -> None:
    clock = ManualClock()
    fake = FakeSync(clock=clock)
    app = build_app(make_settings(tmp_path), fake, clock=clock)  # with the schedule: "1h"
    with TestClient(app) as c:
        clock.advance(3600 - DEBOUNCE / 2)
        body = issue_body()
        c.post("/webhooks/github", content=body, headers=gh_headers(body))  # a webhook, and the tick right after
        clock.advance(DEBOUNCE / 2)
        assert fake.calls == []
        clock.advance(DEBOUNCE * 2)
        assert fake.times == [pytest.approx(3600 + DEBOUNCE)]  # a debounce after the tick
        assert [name for _, name in clock.ran].count(f"schedule:github:{REPO}:SESSION_TRACKER.md") == 1
        clock.advance(3000)
        assert len(fake.calls) == 1  # until the next tick


def test_delivery_during_a_sync_gets_one_follow_up(tmp_path: Path, env_clean: None) -> None:
    clock = ManualClock()
    body = issue_body()
    answers: list[str] = []

    def deliver(n: int) -> None:  # five deliveries arrive while the first sync runs; it may read stale state
        for i in range(5 if n == 1 else 0):
            r = c.post("/webhooks/github", content=body, headers=gh_headers(body, delivery=f"b{i}"))
            answers.extend(r.json()["trackers"].values())

    fake = FakeSync(seconds=30, clock=clock, during=deliver)
    with TestClient(build_app(make_settings(tmp_path), fake, schedules=False, clock=clock)) as c:
        c.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="a"))
        clock.advance(DEBOUNCE)
        assert answers == ["coalesced"] * 5
        assert fake.times == [pytest.approx(DEBOUNCE)]
        clock.advance(3600)
        assert fake.times == [pytest.approx(DEBOUNCE), pytest.approx(DEBOUNCE + 30 + DEBOUNCE)]  # one follow-up
        assert fake.max_running == 1


def test_tracker_lock_excludes_and_is_released(tmp_path: Path) -> None:
    a, b = TrackerLock(tmp_path, "github:o/r:x.md"), TrackerLock(tmp_path, "github:o/r:x.md")
    assert a.acquire()
    assert not b.acquire()
    a.release()
    assert b.acquire()
    b.release()


def test_failing_sync_is_reported_and_the_daemon_goes_on(tmp_path: Path, env_clean: None) -> None:
    clock = ManualClock()
    fake = FakeSync(fail=RuntimeError("forge said no"), clock=clock)
    app = build_app(make_settings(tmp_path), fake, schedules=False, clock=clock)
    body = issue_body()
    with TestClient(app) as c:
        c.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="f1"))
        clock.advance(DEBOUNCE)
        status = c.get("/readyz").json()["trackers"][0]
        assert status["last_result"] == "failed"
        assert "forge said no" in status["last_error"]
        assert metric(c, "syncbot_sync_failures_total") == 1
        c.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="f2"))
        clock.advance(DEBOUNCE)
        assert len(fake.calls) == 2


def test_sync_result_feeds_api_metrics(tmp_path: Path, env_clean: None) -> None:
    class Result:
        ok = True
        api_requests = 7
        rate_limit_remaining = 4993

    clock = ManualClock()
    app = build_app(make_settings(tmp_path, sync_on_start=True), lambda t: Result(), schedules=False, clock=clock)
    with TestClient(app) as c:
        clock.advance(0)  # the sync at start runs at once
        assert metric(c, "syncbot_syncs_total") == 1
        assert metric(c, "syncbot_api_requests_total", forge="github") == 7
        assert metric(c, "syncbot_rate_limit_remaining", forge="github") == 4993


def test_refuses_to_start_without_webhook_secret(tmp_path: Path, env_clean: None) -> None:
    s = make_settings(tmp_path, github_webhook_secret=None, gitlab_webhook_token=None)
    with pytest.raises(SettingsError, match="SYNCBOT_GITHUB_WEBHOOK_SECRET"):
        check_can_serve(s, insecure_no_webhook_secret=False)
    check_can_serve(s, insecure_no_webhook_secret=True)
    with pytest.raises(SettingsError, match="SYNCBOT_TRACKER"):
        check_can_serve(make_settings(tmp_path, tracker=None), insecure_no_webhook_secret=False)


def test_insecure_mode_accepts_unsigned_but_not_signed(tmp_path: Path, env_clean: None) -> None:
    clock = ManualClock()
    fake = FakeSync(clock=clock)
    s = make_settings(tmp_path, github_webhook_secret=None, gitlab_webhook_token=None)
    app = build_app(s, fake, insecure_no_webhook_secret=True, schedules=False, clock=clock)
    body = issue_body()
    with TestClient(app) as c:
        r = c.post("/webhooks/github", content=body, headers={"X-GitHub-Event": "issues", "X-GitHub-Delivery": "u"})
        assert r.status_code == 202
        assert c.post("/webhooks/github", content=body, headers=gh_headers(body, delivery="s")).status_code == 401
        clock.advance(3600)
        assert len(fake.calls) == 1


def test_without_secret_and_without_insecure_flag_everything_is_401(tmp_path: Path, env_clean: None) -> None:
    fake = FakeSync()
    s = make_settings(tmp_path, gitlab_webhook_token=None)
    with TestClient(build_app(s, fake, schedules=False, clock=ManualClock())) as c:
        body = b"{}"
        assert c.post("/webhooks/gitlab", content=body, headers={"X-Gitlab-Event": "Issue Hook"}).status_code == 401


class DrainSignal(SchedulerClock):
    """The production clock, telling the test when the shutdown's drain has begun (it cancels the
    scheduler's jobs before it waits for running syncs)."""

    def __init__(self) -> None:
        super().__init__()
        self.drain_began = threading.Event()

    def cancel_all(self) -> None:
        super().cancel_all()
        self.drain_began.set()


def test_shutdown_waits_for_a_running_sync(tmp_path: Path, env_clean: None) -> None:
    # The production clock and a real worker thread: the shutdown path as `syncbot serve` runs it.
    clock = DrainSignal()
    started, events = threading.Event(), []

    def sync(tracker: TrackerConfig) -> None:  # still running when the shutdown begins
        started.set()
        assert clock.drain_began.wait(10)
        events.append("sync finished")

    app = build_app(make_settings(tmp_path, sync_on_start=True, debounce_seconds=0), sync, schedules=False, clock=clock)
    with TestClient(app):
        assert started.wait(10)
    # Leaving the block ran the lifespan's shutdown: it returned only after the sync finished.
    assert events == ["sync finished"]
    assert app.state.drained_cleanly
    assert not clock.running


# --- a real `syncbot serve` ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def syncbot_command() -> list[str]:
    script = Path(sys.executable).with_name("syncbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from syncbot.cli import main; main()"]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_sigterm_during_a_sync_lets_it_finish_and_exits_0(tmp_path: Path) -> None:
    port = free_port()
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    env.update(
        {
            "PYTHONPATH": str(Path(__file__).parent),
            "SYNCBOT_TRACKER": "SESSION_TRACKER.md",
            "SYNCBOT_GITHUB_WEBHOOK_SECRET": SECRET,
            "SYNCBOT_STATE_DIR": str(state),
            "SYNCBOT_SYNC_FUNCTION": "daemon_fake_sync:slow_sync",
            "SYNCBOT_DEBOUNCE_SECONDS": "0",
            "SYNCBOT_LOG_FORMAT": "json",
            "SYNCBOT_LOG_LEVEL": "DEBUG",
        }
    )
    proc = subprocess.Popen(
        [*syncbot_command(), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: (state / "sync-started").exists() or proc.poll() is not None, timeout=20)
        assert proc.poll() is None, proc.communicate()
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        body = issue_body()
        bad = httpx.post(
            f"http://127.0.0.1:{port}/webhooks/github",
            content=body,
            headers={"X-GitHub-Event": "issues", "X-Hub-Signature-256": "sha256=00"},
            timeout=5,
        )
        assert bad.status_code == 401
        assert not (state / "sync-finished").exists()  # still inside the sync, which waits for "may-finish"
        proc.send_signal(signal.SIGTERM)
        assert wait_for(lambda: not listening(port), timeout=20)  # the server has stopped taking requests …
        assert proc.poll() is None  # … and waits for the running sync
        (state / "may-finish").write_text("")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert (state / "sync-finished").exists()
    assert SECRET not in out + err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert lines and all("run_id" in x and "delivery_id" in x for x in lines)
    assert any("sync of" in x["message"] and "finished" in x["message"] for x in lines)


def test_serve_command_refuses_without_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    env["SYNCBOT_TRACKER"] = "T.md"
    proc = subprocess.run(
        [*syncbot_command(), "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "SYNCBOT_GITHUB_WEBHOOK_SECRET" in proc.stderr
    assert "--insecure-no-webhook-secret" in proc.stderr


def test_load_settings_for_serve_from_toml(tmp_path: Path, env_clean: None) -> None:
    cfg = tmp_path / "syncbot.toml"
    cfg.write_text('forge = "github"\nrepo = "o/r"\n[[trackers]]\npath = "A.md"\n[[trackers]]\npath = "B.md"\n')
    s = load_settings(config=cfg, github_webhook_secret=SECRET, sync_on_start=False, debounce_seconds=DEBOUNCE)
    clock = ManualClock()
    fake = FakeSync(clock=clock)
    app = build_app(s, fake, schedules=False, clock=clock)
    body = issue_body(repo="o/r")
    with TestClient(app) as c:
        r = c.post("/webhooks/github", content=body, headers=gh_headers(body))
        assert sorted(r.json()["trackers"]) == ["github:o/r:A.md", "github:o/r:B.md"]
        clock.advance(DEBOUNCE)
        assert sorted(fake.calls) == ["github:o/r:A.md", "github:o/r:B.md"]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "SESSION_TRACKER.md"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="examples/SESSION_TRACKER.md absent")
def test_real_sync_of_the_bundled_example_against_the_local_forge(
    tmp_path: Path, env_clean: None, git_env: dict[str, str]
) -> None:
    from syncbot.forge.local import LocalForge
    from syncbot.service.serve import load_sync_function

    (tmp_path / "SESSION_TRACKER.md").write_bytes(EXAMPLE.read_bytes())
    for args in (["init", "-q", "-b", "main"], ["add", "SESSION_TRACKER.md"], ["commit", "-qm", "tracker"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
    s = make_settings(tmp_path, forge="local", repo="", sync_on_start=True, debounce_seconds=0.05)
    clock = ManualClock()
    app = build_app(s, load_sync_function(s), schedules=False, clock=clock)
    with TestClient(app) as c:
        clock.advance(0)  # the sync at start, on this thread
        status = c.get("/readyz").json()["trackers"][0]
        assert status["last_result"] == "ok", status["last_error"]
    forge = LocalForge(tmp_path / ".syncbot" / "forge.db", create=False)
    try:
        assert len(forge.all_issues()) > 1
    finally:
        forge.close()

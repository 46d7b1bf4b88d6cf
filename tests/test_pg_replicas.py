"""Two real `syncbot serve` replicas on one real PostgreSQL (tests/pg.py), four trackers on the embedded
local forge, the real sync (tests/pg_fake_sync.py logs each one's start and end).  The scene issue 13 is
judged by: each tracker synced once at start-up across both replicas; a burst of 100 signed webhooks
split across them makes exactly one sync per tracker; a burst accepted by a replica that is then killed
(SIGKILL, mid-sync or before the sync began) is synced by the survivor; no duplicate issues; SIGTERM
exits 0.  The replicas share nothing but the database (each has its own state directory)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pg import EmbeddedPostgres, free_port

from syncbot.webhooks import github_signature

pytest.importorskip("procrastinate")

SECRET = "replicas-webhook-secret-4d1f"
PASSWORD = "replicas-db-password-93c2"
TRACKERS = ("alpha.md", "beta.md", "gamma.md", "delta.md")
IDS = tuple(f"local:o/r:{name}" for name in TRACKERS)
DEBOUNCE = 1.0
STALLED = 4.0


def wait_for(cond: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def syncbot_command() -> list[str]:
    script = Path(sys.executable).with_name("syncbot")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from syncbot.cli import main; main()"]


class Replica:
    def __init__(self, name: str, repo: Path, env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.port = free_port()
        self.out = logs / f"{name}.log"
        env = {**env, "SYNCBOT_STATE_DIR": str(logs / f"state-{name}")}
        with self.out.open("wb") as out:
            self.proc = subprocess.Popen(
                [*syncbot_command(), "serve", "--port", str(self.port)],
                cwd=repo,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ready(self) -> bool:
        assert self.proc.poll() is None, self.out.read_text()
        try:
            return httpx.get(self.url("/readyz"), timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    def webhook(self, delivery: str) -> dict[str, Any]:
        body = json.dumps({"action": "closed", "issue": {"number": 1}, "repository": {"full_name": "o/r"}}).encode()
        headers = {
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": github_signature(body, SECRET),
            "Content-Type": "application/json",
        }
        r = httpx.post(self.url("/webhooks/github"), content=body, headers=headers, timeout=10)
        assert r.status_code == 202, r.text
        return dict(r.json())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class SyncLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[tuple[str, str, int]]:
        if not self.path.exists():
            return []
        rows = [line.split() for line in self.path.read_text().splitlines()]
        assert all(r[3:] in ([], ["ok"]) for r in rows), rows  # every sync that ended succeeded
        return [(r[0], r[1], int(r[2])) for r in rows]

    def since(self, n: int, kind: str) -> list[tuple[str, int]]:
        return [(t, p) for k, t, p in self.lines()[n:] if k == kind]


@pytest.fixture
def scene(
    postgres_server: EmbeddedPostgres, tmp_path: Path, git_env: dict[str, str]
) -> Iterator[tuple[Callable[[str], Replica], SyncLog]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    for i, name in enumerate(TRACKERS):
        (repo / name).write_text(f"# {name}\n\n- [x] 1. First {i}\n- [ ] 2. Second {i}\n- [ ] 3. Third {i}\n")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "trackers"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    config = tmp_path / "syncbot.toml"
    entries = "".join(f'[[trackers]]\npath = "{name}"\n' for name in TRACKERS)
    config.write_text(f'forge = "local"\nrepo = "o/r"\nschedule = "1h"\n{entries}')
    database = postgres_server.create_database()
    url = postgres_server.url(database).replace("postgres@", f"postgres:{PASSWORD}@")
    log = tmp_path / "syncs.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCBOT_")}
    env.update(
        {
            "PYTHONPATH": str(Path(__file__).parent),
            "PG_TEST_SYNC_LOG": str(log),
            "SYNCBOT_CONFIG": str(config),
            "SYNCBOT_DATABASE_URL": url,
            "SYNCBOT_GITHUB_WEBHOOK_SECRET": SECRET,
            "SYNCBOT_SYNC_FUNCTION": "pg_fake_sync:counting_sync",
            "SYNCBOT_LOCAL_DB": str(tmp_path / "forge.db"),
            "SYNCBOT_DEBOUNCE_SECONDS": str(DEBOUNCE),
            "SYNCBOT_DEBOUNCE_MAX_SECONDS": "30",
            "SYNCBOT_DATABASE_STALLED_SECONDS": str(STALLED),
            "SYNCBOT_LOG_FORMAT": "json",
        }
    )
    migrate = subprocess.run([*syncbot_command(), "db", "migrate"], env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr
    assert "procrastinate" in migrate.stderr and PASSWORD not in migrate.stderr
    replicas: list[Replica] = []

    def start(name: str) -> Replica:
        replicas.append(Replica(name, repo, env, tmp_path))
        return replicas[-1]

    try:
        yield start, SyncLog(log)
    finally:
        for r in replicas:
            r.stop()
        for r in replicas:
            assert PASSWORD not in r.out.read_text(errors="replace"), f"{r.name} logged the database password"
    forge_issues(tmp_path / "forge.db")


def forge_issues(db: Path) -> None:
    """Every unit of every tracker (three, and the tracking issue) has one issue, and none was ever
    created twice (a healed duplicate would be closed with a `syncbot:duplicate` marker)."""
    from syncbot.forge.local import LocalForge

    forge = LocalForge(db, create=False)
    try:
        bodies = [i.body for i in forge.all_issues()]
    finally:
        forge.close()
    markers = Counter(b.splitlines()[0] for b in bodies if b.startswith("<!-- syncbot:v1") and " key=" in b)
    assert not [b for b in bodies if b.startswith("<!-- syncbot:duplicate")]
    assert len(markers) == 4 * len(TRACKERS) and set(markers.values()) == {1}, markers


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_two_replicas_on_one_postgresql(scene: tuple[Callable[[str], Replica], SyncLog]) -> None:
    start, log = scene
    a, b = start("a"), start("b")
    assert wait_for(lambda: a.ready() and b.ready(), timeout=60)

    # 1. Start-up: each tracker synced once across both replicas.
    assert wait_for(lambda: len(log.since(0, "end")) >= 4, timeout=60), log.lines()
    time.sleep(DEBOUNCE + 1)
    assert sorted(t for t, _ in log.since(0, "start")) == sorted(IDS)
    n = len(log.lines())

    # 2. 100 signed webhooks, split across the replicas: one sync per tracker for the deliveries of one
    # debounce window (a machine so loaded that the burst takes longer spans several windows, each synced once)
    sent = time.monotonic()
    results = [(a if i % 2 else b).webhook(f"burst-{i}") for i in range(100)]
    windows = 1 + int((time.monotonic() - sent) / DEBOUNCE)
    assert all(r["result"] == "accepted" for r in results)
    assert a.webhook("burst-7")["result"] == "duplicate"  # b accepted it; a knows
    assert wait_for(lambda: len(log.since(n, "end")) >= 4, timeout=30), log.lines()[n:]
    time.sleep(DEBOUNCE + 1)
    starts = Counter(t for t, _ in log.since(n, "start"))
    assert set(starts) == set(IDS) and max(starts.values()) <= windows, (starts, windows)
    n = len(log.lines())

    # 3. A burst, then the replica running its syncs is killed in the middle of them: the survivor
    # retries them once the dead one's heartbeat is STALLED seconds old.
    slow = log.path.with_name("slow")
    slow.write_text("")  # (every sync waits while it lies there: the victim is killed mid-sync)
    for i in range(20):
        a.webhook(f"kill-mid-{i}")
    assert wait_for(lambda: len(log.since(n, "start")) >= 1, timeout=20)
    victim_pid = log.since(n, "start")[0][1]
    victim, survivor = (a, b) if victim_pid == a.pid else (b, a)
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait()
    slow.unlink()
    assert wait_for(lambda: {t for t, p in log.since(n, "end") if p == survivor.pid} == set(IDS), timeout=60), (
        log.lines()[n:]
    )
    killed_mid_sync = {t for t, p in log.since(n, "start") if p == victim.pid}
    assert killed_mid_sync and not {t for t, p in log.since(n, "end") if p == victim.pid}, log.lines()[n:]
    n = len(log.lines())

    # 4. A replica that starts now leaves the start-up sync to the syncs just done.
    c = start("c")
    assert wait_for(c.ready, timeout=60)
    time.sleep(DEBOUNCE)
    assert log.since(n, "start") == []

    # 5. A burst accepted by a replica killed before its sync began: the other one syncs it.
    for i in range(20):
        survivor.webhook(f"kill-early-{i}")
    survivor.proc.send_signal(signal.SIGKILL)
    survivor.proc.wait()
    assert wait_for(lambda: {t for t, p in log.since(n, "end") if p == c.pid} == set(IDS), timeout=30), log.lines()[n:]
    time.sleep(DEBOUNCE + 1)
    assert sorted(t for t, _ in log.since(n, "start")) == sorted(IDS)

    # 6. SIGTERM: a clean exit.
    c.proc.send_signal(signal.SIGTERM)
    assert c.proc.wait(30) == 0, c.out.read_text()[-3000:]

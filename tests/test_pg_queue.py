"""The PostgreSQL backend against a real PostgreSQL (tests/pg.py): two queues on one database are two
replicas, in one process; the sync is a fake that records calls and overlaps."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from syncbot.logging import Redactor
from syncbot.service import pg_schema
from syncbot.service.metrics import Metrics
from syncbot.service.pg_periodic import cron_for
from syncbot.service.pg_queue import PRIORITY_SCHEDULE, QUEUED, PostgresQueue, lock_key
from syncbot.settings import Settings, TrackerConfig

pytest.importorskip("procrastinate")

T1, T2 = "github:o/r:A.md", "github:o/r:B.md"


class FakeSync:
    """Records (tracker, start, end) of every call and the most syncs of one tracker ever at once."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.calls: list[str] = []
        self.times: list[tuple[str, float]] = []
        self.running: dict[str, int] = {}
        self.max_running = 0
        self.gate: threading.Event | None = None
        self._lock = threading.Lock()

    def __call__(self, tracker: TrackerConfig) -> Any:
        with self._lock:
            self.calls.append(tracker.id)
            self.times.append((tracker.id, time.monotonic()))
            self.running[tracker.id] = self.running.get(tracker.id, 0) + 1
            self.max_running = max(self.max_running, self.running[tracker.id])
        try:
            if self.gate is not None:
                self.gate.wait(10)
            time.sleep(self.seconds)
        finally:
            with self._lock:
                self.running[tracker.id] -= 1
        return None

    def count(self, tracker: str) -> int:
        return self.calls.count(tracker)


def wait_for(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def settings(url: str, tmp_path: Path, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "forge": "github",
        "repo": "o/r",
        "database_url": url,
        "state_dir": tmp_path / "state",
        "debounce_seconds": 0.3,
        "debounce_max_seconds": 5,
        "schedule": "1h",
        "database_stalled_seconds": 2,
    }
    values.update(over)
    return Settings(**values)


def trackers(*names: str, schedule: str = "1h") -> list[TrackerConfig]:
    return [TrackerConfig(path=Path(n), forge="github", repo="o/r", schedule=schedule) for n in names]


@pytest.fixture
def replicas(pg_url: str, tmp_path: Path) -> Iterator[Callable[..., PostgresQueue]]:
    made: list[PostgresQueue] = []

    def make(fake: FakeSync, *, names: tuple[str, ...] = ("A.md", "B.md"), schedule: str = "1h", **over: Any):
        concurrency = over.pop("concurrency", None)
        q = PostgresQueue(
            settings=settings(pg_url, tmp_path, **over),
            trackers=trackers(*names, schedule=schedule),
            run_sync=fake,
            metrics=Metrics(),
            concurrency=concurrency,
        )
        made.append(q)
        return q

    yield make
    for q in made:
        if q.started and not q.draining:
            assert q.drain(10)


def test_migrate_creates_what_is_missing_once_and_check_names_the_command(postgres_server: Any, tmp_path: Path) -> None:
    url = postgres_server.url(postgres_server.create_database())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(pg_schema.SYNCBOT_TABLES)  # some of the tables, not procrastinate's: not a new database
    with pytest.raises(pg_schema.SchemaMissing, match="syncbot db migrate") as info:
        PostgresQueue(
            settings=settings(url, tmp_path), trackers=trackers("A.md"), run_sync=FakeSync(), metrics=Metrics()
        )
    assert info.value.code == 2
    assert pg_schema.migrate(url) == ["procrastinate"]
    assert pg_schema.migrate(url) == []
    with psycopg.connect(url) as conn:
        pg_schema.check(conn)


def test_a_new_empty_database_gets_the_schema_when_serve_starts(postgres_server: Any, tmp_path: Path) -> None:
    """Two replicas pointed at a database made for them need no `db migrate` first: the one locked migration
    runs once, and the second replica finds the schema in place."""
    url = postgres_server.url(postgres_server.create_database())
    for _ in range(2):
        PostgresQueue(
            settings=settings(url, tmp_path), trackers=trackers("A.md"), run_sync=FakeSync(), metrics=Metrics()
        )
    with psycopg.connect(url) as conn:
        pg_schema.check(conn)
    assert pg_schema.migrate(url) == []


def test_a_burst_split_across_two_replicas_makes_one_sync_per_tracker(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    a, b = replicas(fake), replicas(fake)
    a.start(sync_on_start=False, schedules=False)
    b.start(sync_on_start=False, schedules=False)
    sent = time.monotonic()
    results = [(a if i % 2 else b).request(tid, "webhook", f"d{i}") for i in range(40) for tid in (T1, T2)]
    # one sync per tracker for the requests of one debounce window (a machine so loaded that the burst takes
    # longer than the window spans several, each synced once)
    windows = 1 + int((time.monotonic() - sent) / 0.3)
    scheduled = results.count("scheduled")
    assert 2 <= scheduled <= 2 * windows and results.count("coalesced") == 80 - scheduled, (results, windows)
    assert wait_for(lambda: len(fake.calls) >= 2)
    time.sleep(0.8)  # longer than the debounce: nothing more comes
    assert set(fake.calls) == {T1, T2} and len(fake.calls) == scheduled


def test_a_request_during_a_sync_gets_one_follow_up(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    fake.gate = threading.Event()
    a, b = replicas(fake, names=("A.md",)), replicas(fake, names=("A.md",))
    a.start(sync_on_start=False, schedules=False)
    b.start(sync_on_start=False, schedules=False)
    assert a.request(T1, "webhook") == "scheduled"
    assert wait_for(lambda: len(fake.calls) == 1)
    # Running now: the next request queues one follow-up, which the rest join.
    assert [b.request(T1, "webhook"), a.request(T1, "webhook"), b.request(T1, "webhook")] == [
        "scheduled",
        "coalesced",
        "coalesced",
    ]
    time.sleep(0.6)
    assert len(fake.calls) == 1  # the follow-up waits for the tracker's lock
    fake.gate.set()
    assert wait_for(lambda: len(fake.calls) == 2)
    time.sleep(0.6)
    assert fake.calls == [T1, T1] and fake.max_running == 1


def test_the_lock_serialises_one_tracker_across_replicas(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync(seconds=0.3)
    qs = [replicas(fake, names=("A.md",), debounce_seconds=0) for _ in range(2)]
    for q in qs:
        q.start(sync_on_start=False, schedules=False)
    for i in range(6):
        qs[i % 2].request(T1, "webhook")
        time.sleep(0.1)
    idle = lambda: not any(fake.running.values()) and not qs[0].status()[0]["pending"]  # noqa: E731
    assert wait_for(lambda: len(fake.calls) >= 2 and idle())
    assert fake.max_running == 1


def test_start_up_reconcile_runs_once_across_replicas_started_apart(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    a = replicas(fake)
    a.start()
    assert wait_for(lambda: len(fake.calls) == 2)
    b = replicas(fake)
    b.start()  # after a's syncs finished: the claim in syncbot_trackers, not the queueing lock, stops it
    time.sleep(1.0)
    assert sorted(fake.calls) == [T1, T2]
    assert wait_for(lambda: [s["last_result"] for s in b.status()] == ["ok", "ok"])  # a's results, seen from b


def test_replicas_starting_together_sync_each_tracker_once(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    qs = [replicas(fake) for _ in range(2)]
    threads = [threading.Thread(target=q.start) for q in qs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wait_for(lambda: len(fake.calls) == 2)
    time.sleep(1.0)
    assert sorted(fake.calls) == [T1, T2]


def test_a_schedule_tick_fires_once_across_two_workers(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    qs = [replicas(fake, names=("A.md",), schedule="1s") for _ in range(2)]
    for q in qs:
        q.start(sync_on_start=False)
    time.sleep(3.2)  # three ticks (and the one just before the start, which procrastinate catches up)
    starts = [t for _, t in fake.times]
    assert 2 <= len(starts) <= 4, starts
    # Two workers firing one tick would run it twice within milliseconds (one after the other's lock).
    assert all(b - a > 0.5 for a, b in itertools.pairwise(starts)), starts


def test_webhook_syncs_go_before_scheduled_reconciles(replicas: Callable[..., PostgresQueue]) -> None:
    fake = FakeSync()
    fake.gate = threading.Event()
    q = replicas(fake, names=("A.md", "B.md", "C.md"), debounce_seconds=0, concurrency=1)
    q.start(sync_on_start=False, schedules=False)
    q.request("github:o/r:C.md", "webhook")  # occupies the one worker slot
    assert wait_for(lambda: len(fake.calls) == 1)
    q._jobs.defer_job(q._new_job(T1, "schedule", PRIORITY_SCHEDULE, delay=0))  # queued first
    q.request(T2, "webhook")
    fake.gate.set()
    assert wait_for(lambda: len(fake.calls) == 3)
    assert fake.calls[1:] == [T2, T1]


def test_a_delivery_is_a_duplicate_on_every_replica(replicas: Callable[..., PostgresQueue]) -> None:
    a, b = replicas(FakeSync()), replicas(FakeSync())
    a.start(sync_on_start=False, schedules=False)
    b.start(sync_on_start=False, schedules=False)
    assert a.seen("github:d-1") is False
    assert b.seen("github:d-1") is True
    assert a.seen("github:d-1") is True
    assert b.seen("github:d-2") is False


def test_the_running_sync_of_a_dead_replica_is_retried_and_its_lock_freed(
    replicas: Callable[..., PostgresQueue], pg_url: str
) -> None:
    fake = FakeSync()
    survivor = replicas(fake, names=("A.md",))
    # The dead replica: a worker that stopped beating, and the sync it had started.
    with psycopg.connect(pg_url, autocommit=True) as conn:
        dead = conn.execute("SELECT worker_id FROM procrastinate_register_worker_v1()").fetchone()[0]
        conn.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'")
        conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, queueing_lock, args, status,"
            " worker_id) VALUES ('default', 'syncbot.sync', 20, %s, %s, %s, 'doing', %s)",
            [lock_key(survivor.trackers[T1]), QUEUED + T1, Jsonb({"tracker": T1, "reason": "webhook"}), dead],
        )
    survivor.start(sync_on_start=False, schedules=False)
    assert survivor.status()[0]["running"] is True
    assert wait_for(lambda: fake.calls == [T1], timeout=15)
    assert wait_for(lambda: survivor.status()[0]["running"] is False)
    assert survivor.request(T1, "webhook") == "scheduled"  # the tracker is free again
    assert wait_for(lambda: len(fake.calls) == 2)


def test_schedules_become_cron_lines() -> None:
    assert cron_for("10m") == "*/10 * * * *"
    assert cron_for("30s") == "* * * * * */30"
    assert cron_for("2h") == "0 */2 * * *"
    assert cron_for("1d") == "0 0 * * *"
    assert cron_for("*/15 9-18 * * mon-fri") == "*/15 9-18 * * mon-fri"


def test_the_database_password_is_in_no_error(tmp_path: Path, postgres_server: Any) -> None:
    url = f"postgresql://postgres:hunter2-very-secret@127.0.0.1:{postgres_server.port}/no_such_database"
    s = settings(url, tmp_path)
    assert "hunter2-very-secret" in s.secret_values()
    with pytest.raises(pg_schema.DatabaseUnusable) as info:
        PostgresQueue(
            settings=s,
            trackers=trackers("A.md"),
            run_sync=FakeSync(),
            metrics=Metrics(),
            redact=Redactor(s.secret_values()),
        )
    assert "no_such_database" in str(info.value) and "hunter2" not in str(info.value)
    assert info.value.code == 3


class Outcome:
    """What the real sync returns (syncbot.runner.SyncOutcome), as the budget reads it."""

    def __init__(self, remaining: int, reset: datetime) -> None:
        self.ok = True
        self.api_requests = 3
        self.rate_limit_remaining = remaining
        self.rate_limit_reset = reset


def test_the_request_budget_is_shared_shown_and_holds_back_scheduled_reconciles(
    replicas: Callable[..., PostgresQueue], pg_url: str
) -> None:
    reset = datetime.now(UTC) + timedelta(hours=1)
    fake = FakeSync()
    a, b = (replicas(fake, names=("A.md",), debounce_seconds=0) for _ in range(2))
    a.run_sync = b.run_sync = lambda tracker: (fake(tracker), Outcome(120, reset))[1]
    a.start(sync_on_start=False, schedules=False)
    b.start(sync_on_start=False, schedules=False)
    assert a.request(T1, "webhook") == "scheduled"
    assert wait_for(lambda: b.status()[0]["request_budget"] is not None)
    budget = b.status()[0]["request_budget"]  # the same on both replicas, whichever ran the sync
    assert a.status()[0]["request_budget"] == budget
    assert budget["remaining"] == 120 and budget["low"] is True
    assert datetime.fromisoformat(budget["reset_at"]) == reset
    assert 'syncbot_request_budget_remaining{budget="github:token:https://api.github.com"} 120.0' in (
        b.metrics.render().decode()
    )
    # A scheduled tick while the budget is low does nothing; a webhook still syncs.
    tick = a._new_job(T1, "schedule", PRIORITY_SCHEDULE, delay=0)
    a._jobs.defer_job(tick.evolve(task_kwargs={**tick.task_kwargs, "timestamp": int(time.time()) + 5}))
    with psycopg.connect(pg_url) as conn:
        assert wait_for(lambda: conn.execute("SELECT count(*) FROM procrastinate_jobs").fetchone() == (0,))
    assert fake.calls == [T1]
    assert a.request(T1, "webhook") == "scheduled"
    assert wait_for(lambda: fake.calls == [T1, T1])


def test_a_sync_that_spends_the_rate_limit_runs_again_at_the_reset_and_not_before(
    replicas: Callable[..., PostgresQueue],
) -> None:
    from syncbot.forge.base import RateLimitError

    reset = datetime.now(UTC) + timedelta(seconds=1.5)
    fake = FakeSync()
    q = replicas(fake, names=("A.md",), debounce_seconds=0)
    first = True

    def sync(tracker: TrackerConfig) -> Any:
        nonlocal first
        fake(tracker)
        if first:
            first = False
            raise RateLimitError("budget spent after 3 of 9 actions", reset)
        return None

    q.run_sync = sync
    q.start(sync_on_start=False, schedules=False)
    q.request(T1, "webhook")
    assert wait_for(lambda: (s := q.status()[0])["last_result"] == "failed" and s["pending"])  # queued again
    assert q.request(T1, "webhook") == "coalesced"  # joins the sync queued for the reset
    assert wait_for(lambda: len(fake.calls) == 2, timeout=10)
    assert datetime.now(UTC) >= reset
    assert wait_for(lambda: q.status()[0]["last_result"] == "ok")


def test_trackers_added_while_serving_sync_once_across_replicas_and_removed_ones_are_unknown(
    replicas: Callable[..., PostgresQueue],
) -> None:
    fake = FakeSync()
    a, b = (replicas(fake, names=()) for _ in range(2))  # a fleet: nothing configured, all discovered
    a.start()
    b.start()
    (t1,) = trackers("A.md")
    for q in (a, b):  # both replicas discover the same repository
        q.add_tracker(t1)
    assert wait_for(lambda: fake.calls == [T1])
    assert T1 in {k[1] for k in a.app.periodic_registry.periodic_tasks}  # its schedule
    assert b.request(T1, "webhook") in ("scheduled", "coalesced")  # (joins the hour's tick, if one waits)
    assert wait_for(lambda: len(fake.calls) == 2)
    time.sleep(0.6)
    assert fake.calls == [T1, T1]
    for q in (a, b):
        q.remove_tracker(T1)
        assert q.request(T1, "webhook") == "unknown"
        assert T1 not in {k[1] for k in q.app.periodic_registry.periodic_tasks}


def test_a_webhook_joining_a_waiting_schedule_tick_is_synced_though_a_sync_started_since_the_tick(
    replicas: Callable[..., PostgresQueue],
) -> None:
    fake = FakeSync()
    q = replicas(fake, names=("A.md",), debounce_seconds=0.3)
    q.start(sync_on_start=False, schedules=False)
    q.request(T1, "webhook")
    assert wait_for(lambda: len(fake.calls) == 1)
    # A tick from before that sync, waiting: alone it would be skipped (covered by the sync since).
    tick = q._new_job(T1, "schedule", PRIORITY_SCHEDULE, delay=0.3)
    q._jobs.defer_job(tick.evolve(task_kwargs={**tick.task_kwargs, "timestamp": int(time.time()) - 60}))
    assert q.request(T1, "webhook") == "coalesced"  # the change behind this delivery must be synced
    assert wait_for(lambda: len(fake.calls) == 2)

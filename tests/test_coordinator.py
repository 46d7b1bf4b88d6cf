"""What the embedded queue promises, on a clock moved by hand: no test here waits for time to pass.

Each test is one promise of ``SyncQueue`` (syncbot/service/queue.py) or of the embedded backend's timing:
syncs start a debounce after the last request, at most ``max_wait`` after the first, never two at once for
one tracker, and never lost.  ``clock.advance(s)`` runs what falls due on this thread; a sync that "takes"
time advances the clock itself, so what falls due meanwhile runs inside it, as another worker would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from syncbot.forge.base import RateLimitError
from syncbot.service.clock import ManualClock, SchedulerClock
from syncbot.service.coordinator import EmbeddedQueue
from syncbot.service.deliveries import DeliveryLog
from syncbot.service.locks import TrackerLock, file_locks
from syncbot.service.metrics import Metrics
from syncbot.settings import TrackerConfig

DEBOUNCE = 5.0
MAX_WAIT = 60.0
TRACKER = TrackerConfig(path=Path("T.md"), forge="local", repo="", schedule="10m")
TID = TRACKER.id


class Syncs:
    """The injected sync: records when each one started; may take time, fail, or act while it runs."""

    def __init__(self, clock: ManualClock, seconds: float = 0.0) -> None:
        self.clock = clock
        self.seconds = seconds
        self.times: list[float] = []
        self.fail: Callable[[int], Exception | None] = lambda n: None
        self.during: Callable[[int], None] = lambda n: None
        self.running = 0
        self.max_running = 0

    def __call__(self, tracker: TrackerConfig) -> Any:
        self.times.append(self.clock.monotonic())
        n = len(self.times)
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            self.during(n)
            self.clock.advance(self.seconds)
            if (exc := self.fail(n)) is not None:
                raise exc
        finally:
            self.running -= 1


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def syncs(clock: ManualClock) -> Syncs:
    return Syncs(clock)


def embedded(
    tmp_path: Path, syncs: Syncs, clock: ManualClock, *, schedules: bool = False, start: bool = True, **over: Any
) -> EmbeddedQueue:
    options: dict[str, Any] = {"debounce": DEBOUNCE, "max_wait": MAX_WAIT, "lock_retry": 1.0, **over}
    queue = EmbeddedQueue(
        [TRACKER],
        syncs,
        clock=clock,
        locks=file_locks(tmp_path / "state"),
        deliveries=DeliveryLog(),
        metrics=Metrics(),
        **options,
    )
    if start:
        queue.start(sync_on_start=False, schedules=schedules)
    return queue


def status(queue: EmbeddedQueue) -> dict[str, Any]:
    [only] = queue.status()
    return only


# --- a burst, a steady stream, a request during a sync ---------------------------------------------------


def test_a_burst_is_one_sync_a_debounce_after_its_last_request(
    tmp_path: Path, syncs: Syncs, clock: ManualClock
) -> None:
    queue = embedded(tmp_path, syncs, clock)
    answers = []
    for _ in range(40):  # one request a second: each gap is shorter than the debounce
        answers.append(queue.request(TID, "webhook"))
        clock.advance(1)
    assert answers == ["scheduled"] + ["coalesced"] * 39
    clock.advance(39 + DEBOUNCE - 40 - 0.5)
    assert syncs.times == []
    clock.advance(3600)
    assert syncs.times == [39 + DEBOUNCE]


def test_a_request_during_a_sync_gets_exactly_one_follow_up(tmp_path: Path, clock: ManualClock) -> None:
    syncs = Syncs(clock, seconds=30)  # the first sync may have read the forge before these changes

    def three_requests_meanwhile(n: int) -> None:
        for _ in range(3 if n == 1 else 0):
            assert queue.request(TID, "webhook") == "coalesced"
            clock.advance(5)

    syncs.during = three_requests_meanwhile
    queue = embedded(tmp_path, syncs, clock)
    queue.request(TID, "webhook")
    clock.advance(DEBOUNCE)
    assert syncs.times == [DEBOUNCE] and status(queue)["pending"]
    clock.advance(24 * 3600)
    # The first took 15 + 30 seconds; the follow-up starts a debounce after it ends, and nothing after that.
    assert syncs.times == [DEBOUNCE, DEBOUNCE + 45 + DEBOUNCE]
    assert syncs.max_running == 1


def test_no_request_during_a_sync_means_no_follow_up(tmp_path: Path, clock: ManualClock) -> None:
    syncs = Syncs(clock, seconds=30)
    queue = embedded(tmp_path, syncs, clock)
    queue.request(TID, "webhook")
    clock.advance(24 * 3600)
    assert syncs.times == [DEBOUNCE]


def test_max_wait_bounds_a_steady_stream(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock)
    for _ in range(300):  # a request every 2 s for 10 minutes: never a quiet debounce
        queue.request(TID, "webhook")
        clock.advance(2)
    assert syncs.times == [MAX_WAIT * k for k in range(1, 11)]  # held back at most max_wait each time


def test_requests_wait_for_the_pending_sync_with_no_extra_job(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock)
    queue.request(TID, "webhook")
    for _ in range(100):
        queue.request(TID, "webhook")
    assert len(clock.pending()) == 1  # joining a pending sync only counts; the one job re-arms itself


# --- schedules, start-up ----------------------------------------------------------------------------------


def test_a_schedule_tick_and_a_webhook_together_make_one_sync(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock, schedules=True)  # every 10 minutes
    clock.advance(598)
    assert queue.request(TID, "webhook") == "scheduled"
    clock.advance(2)  # the tick, at 600 s, joins it
    clock.advance(1200 - 600 - 1)
    assert syncs.times == [600 + DEBOUNCE]
    clock.advance(1 + DEBOUNCE)
    assert syncs.times == [600 + DEBOUNCE, 1200 + DEBOUNCE]  # the next tick alone


def test_a_cron_schedule_ticks_at_its_calendar_times(tmp_path: Path, clock: ManualClock) -> None:
    hourly = TrackerConfig(path=Path("T.md"), forge="local", repo="", schedule="30 * * * *")
    ticks: list[str] = []
    queue = EmbeddedQueue(
        [hourly],
        lambda t: ticks.append(f"{clock.now():%H:%M:%S}"),
        clock=clock,
        locks=file_locks(tmp_path),
        deliveries=DeliveryLog(),
        debounce=0,
        metrics=Metrics(),
    )
    queue.start(sync_on_start=False, schedules=True)
    assert f"{clock.now():%H:%M}" == "12:00"
    clock.advance(3 * 3600)
    assert ticks == ["12:30:00", "13:30:00", "14:30:00"]


def test_every_tracker_syncs_at_once_on_start(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock, start=False)
    assert not queue.ready()
    queue.start(sync_on_start=True, schedules=False)
    assert queue.ready()
    clock.advance(0)
    assert syncs.times == [0.0]  # no debounce for the first sync


# --- failures, rate limits, locks -------------------------------------------------------------------------


def test_a_rate_limit_reset_reschedules_the_sync_for_the_reset(
    tmp_path: Path, syncs: Syncs, clock: ManualClock
) -> None:
    reset = clock.now() + timedelta(minutes=30)
    syncs.fail = lambda n: RateLimitError("budget spent after 3 of 9 actions", reset) if n == 1 else None
    queue = embedded(tmp_path, syncs, clock)
    queue.request(TID, "webhook")
    clock.advance(DEBOUNCE)
    assert syncs.times == [DEBOUNCE]
    assert status(queue)["last_result"] == "failed" and "RateLimitError" in status(queue)["last_error"]
    assert status(queue)["pending"]  # the retry at the reset
    clock.advance(100)
    assert queue.request(TID, "webhook") == "coalesced"  # joins the retry rather than spending more budget
    clock.advance(1800 - 100 - DEBOUNCE)
    assert syncs.times == [DEBOUNCE]  # not before the reset, though max_wait is a minute
    clock.advance(1)  # a second after the reset
    assert syncs.times == [DEBOUNCE, 1801]
    assert status(queue)["last_result"] == "ok"
    clock.advance(24 * 3600)
    assert len(syncs.times) == 2


def test_a_failing_sync_is_recorded_and_the_next_request_syncs_again(
    tmp_path: Path, syncs: Syncs, clock: ManualClock
) -> None:
    syncs.fail = lambda n: RuntimeError("forge said no") if n == 1 else None
    queue = embedded(tmp_path, syncs, clock, redact=lambda s: s.replace("no", "***"))
    queue.request(TID, "webhook")
    clock.advance(DEBOUNCE)
    assert status(queue)["last_result"] == "failed"
    assert status(queue)["last_error"] == "RuntimeError: forge said ***"  # redacted for /readyz
    assert not status(queue)["pending"]  # a failure is not retried on its own
    clock.advance(60)
    assert status(queue)["age_seconds"] == 60
    queue.request(TID, "webhook")
    clock.advance(DEBOUNCE)
    assert len(syncs.times) == 2 and status(queue)["last_result"] == "ok"


def test_a_tracker_locked_elsewhere_is_synced_once_the_lock_is_free(
    tmp_path: Path, syncs: Syncs, clock: ManualClock
) -> None:
    elsewhere = TrackerLock(tmp_path / "state", TID)  # another process's sync of this tracker
    assert elsewhere.acquire()
    queue = embedded(tmp_path, syncs, clock, lock_retry=1.0)
    queue.request(TID, "webhook")
    clock.advance(DEBOUNCE + 2.5)
    assert syncs.times == [] and status(queue)["pending"]  # the request stands, retried every second
    elsewhere.release()
    clock.advance(60)
    assert syncs.times == [DEBOUNCE + 3]


def test_two_replicas_never_sync_one_tracker_at_once(tmp_path: Path, clock: ManualClock) -> None:
    syncs = Syncs(clock, seconds=3)
    replicas = [embedded(tmp_path, syncs, clock) for _ in range(2)]  # one state directory, one lock
    for replica in replicas:
        replica.request(TID, "webhook")
    clock.advance(60)
    # Both requests are honoured, one after the other: the second retries each second until the lock is free.
    assert syncs.times == [DEBOUNCE, DEBOUNCE + 4]
    assert syncs.max_running == 1


# --- draining ---------------------------------------------------------------------------------------------


def test_drain_drops_pending_syncs_and_takes_no_more(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock, schedules=True)
    queue.request(TID, "webhook")
    assert queue.drain(0)
    assert not queue.ready() and not status(queue)["pending"]
    assert queue.request(TID, "webhook") == "draining"
    clock.advance(24 * 3600)
    assert syncs.times == []  # neither the pending sync nor a schedule tick ran
    assert clock.pending() == []


class DrainSignal(ManualClock):
    """Tells the test when ``drain`` has begun (it cancels the clock's jobs before it waits)."""

    def __init__(self) -> None:
        super().__init__()
        self.drain_began = threading.Event()

    def cancel_all(self) -> None:
        super().cancel_all()
        self.drain_began.set()


def test_drain_waits_for_the_running_sync(tmp_path: Path) -> None:
    clock = DrainSignal()
    started, events = threading.Event(), []

    def sync(tracker: TrackerConfig) -> None:  # held until drain has begun
        started.set()
        assert clock.drain_began.wait(10)
        events.append("sync finished")

    queue = EmbeddedQueue(
        [TRACKER],
        sync,
        clock=clock,
        locks=file_locks(tmp_path),
        deliveries=DeliveryLog(),
        debounce=0,
        metrics=Metrics(),
    )
    queue.start(sync_on_start=True, schedules=False)
    worker = threading.Thread(target=clock.advance, args=(0,))  # the worker thread the sync runs on
    worker.start()
    assert started.wait(10)
    assert queue.request(TID, "webhook") == "coalesced"  # would be a follow-up; drain drops it
    assert queue.drain(10)
    assert events == ["sync finished"]  # drain returned only once the running sync had
    worker.join(10)
    assert clock.pending() == []


def test_drain_says_so_when_a_sync_outlives_the_timeout(tmp_path: Path) -> None:
    clock = ManualClock()
    started, finish = threading.Event(), threading.Event()

    def sync(tracker: TrackerConfig) -> None:
        started.set()
        assert finish.wait(10)

    queue = EmbeddedQueue(
        [TRACKER],
        sync,
        clock=clock,
        locks=file_locks(tmp_path),
        deliveries=DeliveryLog(),
        debounce=0,
        metrics=Metrics(),
    )
    queue.start(sync_on_start=True, schedules=False)
    worker = threading.Thread(target=clock.advance, args=(0,))
    worker.start()
    assert started.wait(10)
    try:
        assert queue.drain(0) is False  # `syncbot serve` then exits 1
        assert status(queue)["running"]
    finally:
        finish.set()
        worker.join(10)
    assert not status(queue)["running"]


# --- deliveries ---------------------------------------------------------------------------------------------


def test_seen_remembers_a_delivery(tmp_path: Path, syncs: Syncs, clock: ManualClock) -> None:
    queue = embedded(tmp_path, syncs, clock)
    assert not queue.seen("github:d-1")
    assert queue.seen("github:d-1")
    assert not queue.seen("gitlab:d-1")


# --- the clock itself ---------------------------------------------------------------------------------------


def test_the_manual_clock_runs_due_jobs_in_order_each_at_its_time() -> None:
    clock = ManualClock()
    seen: list[tuple[str, float]] = []
    clock.call_later(2, lambda: seen.append(("b", clock.monotonic())), "b")
    clock.call_later(1, lambda: clock.call_later(0.5, lambda: seen.append(("c", clock.monotonic())), "c"), "a")
    clock.start()
    clock.advance(1.6)
    assert seen == [("c", 1.5)] and clock.monotonic() == 1.6  # a job's job, due inside the step, ran too
    clock.advance(10)
    assert seen == [("c", 1.5), ("b", 2.0)]
    assert [name for _, name in clock.ran] == ["a", "c", "b"]
    clock.call_later(1, lambda: seen.append(("d", clock.monotonic())), "d")
    clock.stop()
    clock.advance(10)
    assert len(seen) == 2 and clock.pending() == [(12.6, "d")]  # a stopped clock runs nothing


def test_the_production_clock_wires_apscheduler(tmp_path: Path) -> None:
    clock = SchedulerClock()
    queue = EmbeddedQueue(
        [TRACKER], lambda t: None, clock=clock, locks=file_locks(tmp_path), deliveries=DeliveryLog(), debounce=60,
        metrics=Metrics(),
    )  # fmt: skip
    queue.start(sync_on_start=False, schedules=True)
    try:
        assert queue.ready() and clock.running
        tick = clock.scheduler.get_job(f"schedule:{TID}")
        assert tick is not None and tick.trigger.interval == timedelta(minutes=10)
        queue.request(TID, "webhook")
        [pending] = [job for job in clock.scheduler.get_jobs() if job.id.startswith("pending:")]
        assert 55 < (pending.next_run_time - clock.now()).total_seconds() <= 60  # the debounce, in real time
    finally:
        assert queue.drain(5)
    assert not clock.running and not queue.ready()

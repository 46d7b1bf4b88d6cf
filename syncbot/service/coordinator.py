"""The embedded queue (the default backend): debounces, coalesces and serialises syncs per tracker, in
this process, on an injected :class:`~syncbot.service.clock.Clock`, with a lock file per tracker shared by
every process using the same state directory.

Coalescing works by generations.  Every request (a delivery, a schedule tick) bumps the tracker's
``requested`` counter; a sync records the counter it started at in ``covered``.  A request is satisfied by
any sync that *starts* after it, so: while a sync is pending, new requests just join it; while one runs,
they leave a mark and one more sync follows it; when the pending job fires and finds nothing uncovered,
it does nothing.  A burst therefore costs one sync, and a change made during a sync is never lost.

Across replicas, an advisory lock per tracker keeps two processes from syncing one tracker at once; the
loser retries later (its request still stands).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from loguru import logger

from syncbot.service.clock import Clock
from syncbot.service.deliveries import DeliveryLog
from syncbot.service.execute import Finished, RunSync, run_one
from syncbot.service.locks import LockFactory
from syncbot.service.metrics import Metrics
from syncbot.service.queue import RequestResult
from syncbot.settings import TrackerConfig


@dataclass
class TrackerState:
    config: TrackerConfig
    requested: int = 0
    covered: int = 0
    pending: bool = False
    running: bool = False
    deliveries: list[str] = field(default_factory=list)
    last: Finished | None = None
    last_request: float = 0.0  # clock.monotonic() of the latest request
    pending_since: float = 0.0  # when the pending sync was first asked for
    quiet_needed: float = 0.0  # the debounce that applies to the pending sync (0 at start-up)


class EmbeddedQueue:
    """:class:`~syncbot.service.queue.SyncQueue` in one process: the clock's workers run the syncs."""

    def __init__(
        self,
        trackers: list[TrackerConfig],
        run_sync: RunSync,
        *,
        clock: Clock,
        locks: LockFactory,
        deliveries: DeliveryLog,
        debounce: float,
        metrics: Metrics,
        max_wait: float | None = None,
        lock_retry: float = 1.0,
        redact: Callable[[str], str] = str,
    ) -> None:
        self.run_sync = run_sync
        self.clock = clock
        self.locks = locks
        self.deliveries = deliveries
        self.debounce = debounce
        self.max_wait = max_wait if max_wait is not None else max(10 * debounce, debounce + 1.0)
        self.lock_retry = lock_retry
        self.metrics = metrics
        self.redact = redact
        self.states = {t.id: TrackerState(t) for t in trackers}
        self._jobs = 0
        self._mutex = threading.Lock()
        self._idle = threading.Condition(self._mutex)
        self._seen = threading.Lock()
        self.draining = False
        self.started = False
        self.schedules = True

    # --- lifecycle --------------------------------------------------------------------------------------

    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        self.schedules = schedules
        with self._mutex:
            configs = [st.config for st in self.states.values()]
        for config in configs:
            self._schedule_ticks(config)
        self.clock.start()
        self.started = True
        if sync_on_start:
            for config in configs:
                self._request(config.id, "start", "", delay=0.0)

    def _schedule_ticks(self, config: TrackerConfig) -> None:
        if self.schedules:
            assert config.schedule is not None
            name = f"schedule:{config.id}"
            self.clock.cancel(name)
            self.clock.every(config.schedule, partial(self.tick, config.id), name)

    # --- the set of trackers (a fleet's repositories come and go) ---------------------------------------

    def add_tracker(self, config: TrackerConfig, *, sync: bool = True) -> None:
        with self._mutex:
            if self.draining:
                return
            st = self.states.get(config.id)
            if st is not None:
                renewed = st.config.schedule != config.schedule
                st.config = config
            else:
                renewed = True
                self.states[config.id] = TrackerState(config)
            started = self.started
        if not started:
            return
        if renewed:
            self._schedule_ticks(config)
        if sync:
            self._request(config.id, "added" if st is None else "changed", "", delay=0.0 if st is None else None)

    def remove_tracker(self, tracker_id: str) -> None:
        with self._mutex:
            st = self.states.pop(tracker_id, None)
            if st is None:
                return
            st.pending = False  # a pending job finds no state and does nothing
        self.clock.cancel(f"schedule:{tracker_id}")
        logger.info("{} is no longer served", tracker_id)

    def ready(self) -> bool:
        return self.started and not self.draining and self.clock.running

    def drain(self, timeout: float) -> bool:
        """Stop taking work, drop pending (not started) syncs, wait up to ``timeout`` seconds for running
        ones.  True when nothing is left running."""
        with self._mutex:
            self.draining = True
            dropped = [tid for tid, st in self.states.items() if st.pending]
            for tid in dropped:
                self.states[tid].pending = False
        self.clock.cancel_all()  # schedule ticks and not-yet-started syncs
        if dropped:
            logger.info("shutdown: dropped pending syncs of {}; the next start syncs them", ", ".join(dropped))
        with self._idle:
            # Real time on purpose: this waits for worker threads, not for the clock.
            clean = self._idle.wait_for(lambda: not any(st.running for st in self.states.values()), timeout)
        self.clock.stop()
        return clean

    # --- requests ---------------------------------------------------------------------------------------

    def seen(self, delivery_key: str) -> bool:
        with self._seen:
            return self.deliveries.seen(delivery_key)

    def tick(self, tracker_id: str) -> None:
        """The schedule fired: same path as a webhook, so a tick and a delivery together make one sync."""
        self._request(tracker_id, "schedule", "")

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult:
        """Ask for a sync of one tracker; returns ``scheduled``, ``coalesced`` or ``draining``.

        The debounce trails: a sync starts once ``debounce`` seconds pass without a new request, so a
        burst of any length makes one sync, but never later than ``max_wait`` after the burst's first
        request, so a steady stream of deliveries cannot starve it.  A request that joins a pending sync
        only bumps counters (no timer call): the pending job re-arms itself when it fires early.
        ``priority`` is for backends that order a shared queue; here every tracker has its own."""
        return self._request(tracker_id, reason, delivery_id)

    def _request(self, tracker_id: str, reason: str, delivery_id: str, delay: float | None = None) -> RequestResult:
        with self._mutex:
            if self.draining:
                return "draining"
            st = self.states.get(tracker_id)
            if st is None:
                return "unknown"
            st.requested += 1
            st.last_request = self.clock.monotonic()
            if delivery_id and len(st.deliveries) < 1000:
                st.deliveries.append(delivery_id)
            if st.running or st.pending:
                # Joins the pending sync, or leaves a mark so one follow-up runs after the current one
                # (which may have read the forge before this change).
                return "coalesced"
            self._schedule_locked(st, self.debounce if delay is None else delay)
        logger.debug("sync of {} requested ({})", tracker_id, reason)
        return "scheduled"

    def _schedule_locked(self, st: TrackerState, delay: float) -> None:
        st.pending = True
        st.pending_since = st.last_request = self.clock.monotonic()
        st.quiet_needed = delay
        self._arm_locked(st, delay)

    def _run_at(self, st: TrackerState, when: datetime) -> None:
        """Sync ``st`` again at ``when`` (a rate limit's reset), not before: requests until then join it."""
        delay = max((when - self.clock.now()).total_seconds(), 0.0) + 1.0
        with self._mutex:
            if self.draining:
                return
            st.requested += 1
            st.pending = True
            st.pending_since = st.last_request = self.clock.monotonic() + delay
            st.quiet_needed = 0.0
            self._arm_locked(st, delay)
        logger.info("sync of {} scheduled for {:%Y-%m-%d %H:%M:%S} UTC, when the rate limit resets", st.config.id, when)

    def _arm_locked(self, st: TrackerState, delay: float) -> None:
        self._jobs += 1
        tid = st.config.id
        self.clock.call_later(max(delay, 0.0), partial(self._run, tid), f"pending:{tid}:{self._jobs}")

    # --- the sync ---------------------------------------------------------------------------------------

    def _run(self, tracker_id: str) -> None:
        with self._mutex:
            found = self.states.get(tracker_id)
            if found is None:
                return  # removed meanwhile
            st = found
            now = self.clock.monotonic()
            due = min(st.last_request + st.quiet_needed, st.pending_since + self.max_wait)
            if st.pending and not self.draining and due > now + 0.001:
                self._arm_locked(st, due - now)  # requests kept coming: wait for the quiet period
                return
            st.pending = False
            if self.draining or st.requested <= st.covered or st.running:
                return
            before, st.covered = st.covered, st.requested
            st.running = True
            deliveries, st.deliveries = st.deliveries, []
        lock = self.locks(tracker_id)
        try:
            if not lock.acquire():
                # Another replica is syncing this tracker; our request stands, try again shortly.
                logger.info("{} is being synced by another process; retrying in {}s", tracker_id, self.lock_retry)
                with self._mutex:
                    st.covered = min(st.covered, before)
                    st.deliveries = deliveries + st.deliveries
                return
            try:
                finished = run_one(
                    st.config, self.run_sync, deliveries, clock=self.clock, metrics=self.metrics, redact=self.redact
                )
            finally:
                lock.release()
            with self._mutex:
                st.last = finished
            if finished.retry_at is not None:
                self._run_at(st, finished.retry_at)
        finally:
            with self._idle:
                st.running = False
                served = self.states.get(tracker_id) is st
                if served and st.requested > st.covered and not self.draining and not st.pending:
                    retry = self.lock_retry if st.covered == before else self.debounce
                    self._schedule_locked(st, retry)
                self._idle.notify_all()

    def status(self) -> list[dict[str, Any]]:
        now = self.clock.now()
        with self._mutex:
            return [
                {
                    "tracker": tid,
                    "last_result": None if st.last is None else ("ok" if st.last.ok else "failed"),
                    "last_error": None if st.last is None else st.last.error,
                    "age_seconds": None if st.last is None else round((now - st.last.finished_at).total_seconds(), 3),
                    "duration_seconds": None if st.last is None else st.last.duration,
                    "running": st.running,
                    "pending": st.pending,
                }
                for tid, st in self.states.items()
            ]

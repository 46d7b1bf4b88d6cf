"""Time, for the embedded queue: what time it is, and "call this later" / "call this on a schedule".

The queue's logic never reads a clock or touches a scheduler itself; it is handed a :class:`Clock`.
:class:`SchedulerClock` is production's: ``time.monotonic``, the wall clock, and an APScheduler
``BackgroundScheduler`` whose worker threads run what is due.  :class:`ManualClock` is a clock driven by
hand: nothing happens until :meth:`ManualClock.advance`, which runs every job that falls due, in order,
on the caller's thread — so tests of debouncing, coalescing and rate-limit resets take no real time.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from syncbot.settings import parse_interval

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.base import BaseTrigger

Job = Callable[[], None]


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences mean anything."""
        ...

    def now(self) -> datetime:
        """The wall clock, timezone-aware UTC (rate-limit resets are wall-clock times)."""
        ...

    def call_later(self, delay: float, job: Job, name: str) -> None:
        """Run ``job`` once, ``delay`` seconds from now, on a worker (never inside this call)."""
        ...

    def every(self, schedule: str, job: Job, name: str) -> None:
        """Run ``job`` on ``schedule`` (an interval such as ``10m`` or a five-field cron line, UTC)."""
        ...

    def cancel(self, name: str) -> None:
        """Forget the jobs named ``name`` not yet started (a schedule: its next ticks); none is no error."""
        ...

    def start(self) -> None: ...

    def cancel_all(self) -> None:
        """Forget every job not yet started (schedules included)."""
        ...

    def stop(self) -> None: ...

    @property
    def running(self) -> bool: ...


def make_trigger(schedule: str) -> BaseTrigger:
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    seconds = parse_interval(schedule)
    if seconds is not None:
        return IntervalTrigger(seconds=seconds)
    return CronTrigger.from_crontab(schedule, timezone=UTC)


class SchedulerClock:
    """Production: real clocks, and an APScheduler ``BackgroundScheduler`` with eight worker threads."""

    def __init__(self, scheduler: BackgroundScheduler | None = None) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self.scheduler = scheduler or BackgroundScheduler(
            timezone=UTC, executors={"default": {"type": "threadpool", "max_workers": 8}}
        )

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    def call_later(self, delay: float, job: Job, name: str) -> None:
        run_date = datetime.now(UTC) + timedelta(seconds=max(delay, 0.0))
        self.scheduler.add_job(job, "date", run_date=run_date, id=name, misfire_grace_time=None)

    def every(self, schedule: str, job: Job, name: str) -> None:
        self.scheduler.add_job(
            job, make_trigger(schedule), id=name, coalesce=True, max_instances=1, misfire_grace_time=None
        )

    def cancel(self, name: str) -> None:
        from apscheduler.jobstores.base import JobLookupError

        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(name)

    def start(self) -> None:
        self.scheduler.start()

    def cancel_all(self) -> None:
        if self.scheduler.running:
            self.scheduler.remove_all_jobs()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)


class ManualClock:
    """A clock that moves only when told to.  ``advance(seconds)`` runs the jobs that fall due, in time
    order, each at its own time (``monotonic()`` reads the job's due time while it runs).  A job may
    schedule more jobs, or call ``advance`` itself (a sync "taking" time): what falls due meanwhile runs
    inside that call, as another worker thread would run it.  Thread-safe; jobs run on the caller's thread.
    """

    def __init__(self, start: datetime = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)) -> None:
        self._epoch = start
        self._t = 0.0
        self._seq = itertools.count()
        self._jobs: list[tuple[float, int, str, Job]] = []
        self._mutex = threading.Lock()
        self._running = False
        self.ran: list[tuple[float, str]] = []  # (time, job name) of every job run, for tests to read

    def monotonic(self) -> float:
        return self._t

    def now(self) -> datetime:
        return self._epoch + timedelta(seconds=self._t)

    def call_later(self, delay: float, job: Job, name: str) -> None:
        with self._mutex:
            heapq.heappush(self._jobs, (self._t + max(delay, 0.0), next(self._seq), name, job))

    def every(self, schedule: str, job: Job, name: str) -> None:
        interval = parse_interval(schedule)
        trigger = None if interval is not None else make_trigger(schedule)  # cron: only its calendar arithmetic

        def delay() -> float:
            if interval is not None:
                return float(interval)
            assert trigger is not None
            fire = trigger.get_next_fire_time(None, self.now() + timedelta(microseconds=1))
            assert fire is not None
            return (fire - self.now()).total_seconds()

        def tick() -> None:
            self.call_later(delay(), tick, name)  # the next tick first: as APScheduler, whatever the job does
            job()

        self.call_later(delay(), tick, name)

    def cancel(self, name: str) -> None:
        with self._mutex:
            self._jobs = [j for j in self._jobs if j[2] != name]
            heapq.heapify(self._jobs)

    def start(self) -> None:
        self._running = True

    def cancel_all(self) -> None:
        with self._mutex:
            self._jobs.clear()

    def stop(self) -> None:
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def pending(self) -> list[tuple[float, str]]:
        """(due time, name) of every job not yet run, soonest first."""
        with self._mutex:
            return [(due, name) for due, _, name, _ in sorted(self._jobs)]

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` on, running what falls due (nothing while stopped)."""
        with self._mutex:
            target = self._t + seconds
        while True:
            with self._mutex:
                if not (self._running and self._jobs and self._jobs[0][0] <= target):
                    self._t = max(self._t, target)
                    return
                due, _, name, job = heapq.heappop(self._jobs)
                self._t = max(self._t, due)
                self.ran.append((self._t, name))
            job()

"""The PostgreSQL backend of the sync queue (``SYNCBOT_DATABASE_URL``): procrastinate jobs, so any number
of ``syncbot serve`` replicas share one queue.

* A request defers a ``syncbot.sync`` job ``debounce`` seconds ahead with a **queueing lock** per tracker:
  at most one job per tracker waits, so the other requests of a burst, on any replica, join it
  (``AlreadyEnqueued``) and push it back (a trailing debounce, bounded by ``debounce_max``).  The queueing
  lock binds only waiting jobs, so a request while the tracker's sync runs queues one follow-up.
* A **lock** per tracker's repository (its trackers share labels and milestones): procrastinate starts
  no job while another with the same lock runs.  The sync also holds a PostgreSQL advisory lock on its
  own connection, which the server drops with a dead replica's connection; a job that finds it taken
  comes back later.
* The schedule is a procrastinate **periodic task** per tracker: one job per tick across replicas.  A
  tick that a sync already covers (one started at or after the tick) does nothing.
* The start-up reconcile is claimed in ``syncbot_trackers``: a replica starting within the window of a
  sync queued by another (replicas started seconds apart) leaves it to that one.
* Priorities: webhook syncs before start-up reconciles before scheduled ones.
* A replica that dies stops its heartbeat; the others' recovery loop retries its running jobs
  (``get_stalled_jobs`` → ``retry_job``), which frees the tracker's lock.
* The worker runs in a thread with its own event loop; the HTTP side defers through a synchronous
  connection pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import psycopg_pool
from loguru import logger
from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector, exceptions
from procrastinate.jobs import Job
from procrastinate.manager import JobManager
from procrastinate.worker import Worker

from syncbot.service import pg_schema, pg_store
from syncbot.service.clock import SchedulerClock
from syncbot.service.metrics import Metrics
from syncbot.service.pg_periodic import cron_for, periodic_id
from syncbot.service.queue import RequestResult
from syncbot.settings import Settings, TrackerConfig

TASK = "syncbot.sync"
LOCK = "syncbot:sync:"  # + forge and repository (lock_key): one running sync per repository
QUEUED = "syncbot:queued:"  # + tracker id: one waiting sync per tracker
ADVISORY_CLASS = 0x5EC0  # pg_try_advisory_lock(ADVISORY_CLASS, hashtext(tracker id))

PRIORITY_WEBHOOK = 20
PRIORITY_START = 10
PRIORITY_SCHEDULE = 0

DELIVERY_DAYS = 7  # GitHub redelivers up to 3 days back


def lock_key(tracker: TrackerConfig) -> str:
    """The lock of a tracker's syncs.  Trackers of one repository share its labels and milestones (two
    first syncs at once would both create ``Wave 1``), so they take turns: one lock per repository
    (the local forge is one database: one lock)."""
    forge = tracker.forge or "local"
    return LOCK + (forge if forge == "local" else f"{forge}:{(tracker.repo or '').lower()}")


class PostgresQueue:
    def __init__(
        self,
        *,
        settings: Settings,
        trackers: list[TrackerConfig],
        run_sync: Callable[..., Any],
        metrics: Metrics,
        redact: Callable[[str], str] = str,
        concurrency: int | None = None,
    ) -> None:
        assert settings.database_url is not None
        self._conninfo = settings.database_url.get_secret_value()
        self.settings = settings
        self.trackers = {t.id: t for t in trackers}
        self.run_sync = run_sync
        self.metrics = metrics
        self.redact = redact
        self.clock = SchedulerClock()  # run_one reads its time; nothing is scheduled on it
        self.debounce = settings.debounce_seconds
        self.max_wait = max(settings.debounce_max_seconds, settings.debounce_seconds)
        # A start-up reconcile within this long of another replica's sync of the same tracker is left out.
        self.start_window = max(60.0, self.max_wait)
        self.stalled = settings.database_stalled_seconds
        self.heartbeat = self.stalled / 5
        self.concurrency = concurrency or min(8, max(1, len(trackers)))
        self.app = App(connector=PsycopgConnector(conninfo=self._conninfo, min_size=1, max_size=4))
        self._task = self.app.task(name=TASK, pass_context=True, lock=None)(self._job)
        self.pool = psycopg_pool.ConnectionPool(
            self._conninfo, min_size=1, max_size=4, open=False, kwargs={"autocommit": True}
        )
        self._connector = SyncPsycopgConnector()
        self._jobs = JobManager(self._connector)
        self._thread: threading.Thread | None = None
        self._worker: Worker | None = None
        self._worker_up = threading.Event()
        self._failure: BaseException | None = None
        self.started = False
        self.draining = False

    # --- lifecycle --------------------------------------------------------------------------------------

    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        if self.settings.log_level not in ("TRACE", "DEBUG"):
            logging.getLogger("procrastinate").setLevel(logging.WARNING)
        if self.settings.database_migrate:
            created = pg_schema.migrate(self._conninfo)
            logger.info("database schema: {}", ", ".join(created) + " created" if created else "up to date")
        else:
            with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as conn:
                pg_schema.check(conn)
        self.pool.open(wait=True, timeout=30)
        self._connector.open(self.pool)
        if schedules:
            for tid, t in self.trackers.items():
                assert t.schedule is not None
                self.app.periodic_registry.register_task(
                    task=self._task,  # type: ignore[arg-type]  # its first argument is the context, not the tick
                    cron=cron_for(t.schedule),
                    periodic_id=periodic_id(tid),
                    configure_kwargs={
                        "lock": lock_key(t),
                        "queueing_lock": QUEUED + tid,
                        "priority": PRIORITY_SCHEDULE,
                        "task_kwargs": {"tracker": tid, "reason": "schedule"},
                    },
                )
        if sync_on_start:
            self._start_reconcile()
        self._thread = threading.Thread(target=self._thread_main, name="syncbot-pg-worker", daemon=True)
        self._thread.start()
        if not self._worker_up.wait(30) or self._failure is not None:
            raise RuntimeError(f"the PostgreSQL worker did not start: {self._failure}")
        self.started = True

    def _start_reconcile(self) -> None:
        claimed, left = [], []
        for tid in self.trackers:
            try:
                with self.pool.connection() as conn, conn.transaction():
                    if not pg_store.claim_start(conn, tid, self.start_window):
                        left.append(tid)
                        continue
                    self._jobs.defer_job(self._new_job(tid, "start", PRIORITY_START, delay=0.0), connection=conn)
                    claimed.append(tid)
            except exceptions.AlreadyEnqueued:
                left.append(tid)  # a sync is queued already; it covers the start
        if left:
            logger.info("start-up sync of {} left to the sync another replica queued", ", ".join(left))
        if claimed:
            logger.debug("start-up sync of {} queued", ", ".join(claimed))

    def drain(self, timeout: float) -> bool:
        """Stop fetching jobs and wait up to ``timeout`` for running syncs.  Queued syncs stay in the
        database for the other replicas (or this one's next start)."""
        self.draining = True
        worker, thread = self._worker, self._thread
        if worker is not None:
            worker.stop()  # thread-safe: wakes the worker's loop
        clean = True
        if thread is not None:
            thread.join(timeout)
            clean = not thread.is_alive()
        if clean:
            self._connector.close()
            self.pool.close()
        return clean

    def ready(self) -> bool:
        if not self.started or self.draining or self._thread is None or not self._thread.is_alive():
            return False
        try:
            with self.pool.connection(timeout=2) as conn:
                conn.execute("SELECT 1")
        except (psycopg.Error, psycopg_pool.PoolTimeout):
            return False
        return True

    # --- the worker's thread ----------------------------------------------------------------------------

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._worker_main())
        except BaseException as exc:
            self._failure = exc
            logger.opt(exception=exc).error("the PostgreSQL worker stopped: {}", self.redact(str(exc)))
        finally:
            self._worker_up.set()

    async def _worker_main(self) -> None:
        async with self.app.open_async():
            self._worker = Worker(
                self.app,
                name="syncbot",
                concurrency=self.concurrency,
                install_signal_handlers=False,
                fetch_job_polling_interval=min(1.0, max(0.05, self.debounce / 4)),
                delete_jobs="successful",
                update_heartbeat_interval=self.heartbeat,
                stalled_worker_timeout=self.stalled,
            )
            recovery = asyncio.create_task(self._recover_loop())
            self._worker_up.set()
            try:
                await self._worker.run()
            finally:
                recovery.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await recovery

    async def _recover_loop(self) -> None:
        """Retry the jobs of replicas that stopped beating; each retried job frees its tracker's lock."""
        jobs = self.app.job_manager
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                own = self._worker.worker_id if self._worker else None
                for job in await jobs.get_stalled_jobs(task_name=TASK, seconds_since_heartbeat=self.stalled):
                    if job.worker_id is not None and job.worker_id == own:
                        continue
                    await self._recover(job)
                await jobs.prune_stalled_workers(self.stalled)
                await asyncio.to_thread(self._prune)
            except Exception as exc:
                logger.warning("stalled-job recovery failed, trying again: {}", self.redact(str(exc)))

    async def _recover(self, job: Job) -> None:
        assert job.id is not None
        tracker = job.task_kwargs.get("tracker")
        try:
            await self.app.job_manager.retry_job(job)
            logger.warning("sync of {} was running on a replica that stopped; retrying it", tracker)
        except exceptions.UniqueViolation:
            # Another sync of the tracker is queued already: it covers this one.
            await self.app.job_manager.finish_job_by_id_async(job.id, status=_failed(), delete_job=False)
            logger.warning("sync of {} was running on a replica that stopped; a queued sync covers it", tracker)

    def _prune(self) -> None:
        with self.pool.connection() as conn:
            pg_store.prune_deliveries(conn, DELIVERY_DAYS)

    # --- requests (HTTP side, any thread) ---------------------------------------------------------------

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult:
        if tracker_id not in self.trackers:
            raise KeyError(tracker_id)
        if self.draining:
            return "draining"
        prio = PRIORITY_WEBHOOK + priority
        job = self._new_job(tracker_id, reason, prio, delay=self.debounce, delivery=delivery_id)
        try:
            with self.pool.connection() as conn, conn.transaction():
                self._jobs.defer_job(job, connection=conn)
                pg_store.mark_queued(conn, tracker_id)
        except exceptions.AlreadyEnqueued:
            with self.pool.connection() as conn:
                pg_store.join_queued(
                    conn,
                    QUEUED + tracker_id,
                    debounce=self.debounce,
                    max_wait=self.max_wait,
                    priority=prio,
                    delivery=delivery_id,
                )
            return "coalesced"
        logger.debug("sync of {} requested ({})", tracker_id, reason)
        return "scheduled"

    def seen(self, delivery_key: str) -> bool:
        with self.pool.connection() as conn:
            return not pg_store.first_delivery(conn, delivery_key)

    def status(self) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            return pg_store.tracker_rows(conn, list(self.trackers), QUEUED)

    def _new_job(self, tracker_id: str, reason: str, priority: int, *, delay: float, delivery: str = "") -> Job:
        deferrer = self._task.configure(
            lock=lock_key(self.trackers[tracker_id]),
            queueing_lock=QUEUED + tracker_id,
            priority=priority,
            schedule_in={"milliseconds": round(delay * 1000)} if delay > 0 else None,
        )
        kwargs: dict[str, Any] = {"tracker": tracker_id, "reason": reason, "first_at": time.time()}
        if delivery:
            kwargs["deliveries"] = [delivery]
        return deferrer.make_new_job(**kwargs)

    def _defer_at_reset(self, tracker_id: str, seconds: float) -> None:
        """A sync that hit the rate limit runs again once it resets, not before."""
        job = self._new_job(tracker_id, "rate limit reset", PRIORITY_WEBHOOK, delay=seconds)
        try:
            self._jobs.defer_job(job)
        except exceptions.AlreadyEnqueued:
            with self.pool.connection() as conn:
                pg_store.postpone_queued(conn, QUEUED + tracker_id, seconds)
        logger.info("sync of {} queued for when the rate limit resets, in {:.0f}s", tracker_id, seconds)

    # --- the job ----------------------------------------------------------------------------------------

    def _job(self, context: JobContext, tracker: str, reason: str, **kwargs: Any) -> None:
        from syncbot.service.pg_run import run_job

        run_job(self, context, tracker, reason, **kwargs)


def _failed() -> Any:
    from procrastinate.jobs import Status

    return Status.FAILED

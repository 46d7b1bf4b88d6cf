"""The PostgreSQL backend of the sync queue (``SYNCBOT_DATABASE_URL``): procrastinate jobs, so any number
of ``syncbot serve`` replicas share one queue.  A request defers a ``syncbot.sync`` job with a **queueing
lock** per tracker (a burst joins the one waiting job and pushes it back; a request during a run queues
one follow-up), a **lock** per repository serialises syncs, the schedule is a **periodic task** per
tracker, the start-up sync is claimed in ``syncbot_trackers``, and the jobs of a replica that stopped
beating are retried by the others (``pg_worker``).  Webhook syncs go first.  The worker runs in a thread
with its own event loop; the HTTP side defers through a synchronous connection pool.  Why each piece is
there: docs/design.md, "Replicas on PostgreSQL"."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import psycopg
import psycopg_pool
from loguru import logger
from procrastinate import App, JobContext, PsycopgConnector, SyncPsycopgConnector, exceptions
from procrastinate.jobs import Job
from procrastinate.manager import JobManager

from syncbot.service import pg_budget, pg_periodic, pg_schema, pg_store
from syncbot.service.clock import SchedulerClock
from syncbot.service.metrics import Metrics
from syncbot.service.pg_budget import BudgetGauge, budget_key
from syncbot.service.pg_periodic import HOUSEKEEPING_CRON, cron_for, periodic_id
from syncbot.service.pg_worker import WorkerThread
from syncbot.service.queue import RequestResult
from syncbot.settings import Settings, TrackerConfig

TASK = "syncbot.sync"
HOUSEKEEPING = "syncbot.housekeeping"
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
        self.budget_keys = {t.id: budget_key(settings, t) for t in trackers}
        self.budget_gauge = BudgetGauge(metrics.registry)
        self.debounce = settings.debounce_seconds
        self.max_wait = max(settings.debounce_max_seconds, settings.debounce_seconds)
        # A start-up reconcile within this long of another replica's sync of the same tracker is left out.
        self.start_window = max(60.0, self.max_wait)
        self.stalled = settings.database_stalled_seconds
        self.heartbeat = self.stalled / 5
        self.concurrency = concurrency or 8  # syncs at once on this replica (trackers may be added later)
        if settings.log_level not in ("TRACE", "DEBUG"):
            logging.getLogger("procrastinate").setLevel(logging.WARNING)  # a line per job otherwise
        self.app = App(connector=PsycopgConnector(conninfo=self._conninfo, min_size=1, max_size=4))
        self._task = self.app.task(name=TASK, pass_context=True, lock=None)(self._job)
        self._housekeeping = self.app.task(name=HOUSEKEEPING, priority=PRIORITY_SCHEDULE - 10)(self._housekeep)
        self._schedules = True
        self.pool = psycopg_pool.ConnectionPool(
            self._conninfo, min_size=1, max_size=4, open=False, kwargs={"autocommit": True}
        )
        self._connector = SyncPsycopgConnector()
        self._jobs = JobManager(self._connector)
        self.task_name = TASK
        self._worker: WorkerThread | None = None
        self.started = False
        self.draining = False
        self._prepare()

    # --- lifecycle --------------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Before the server starts (so a mistake is one line and an exit code, not a failed lifespan):
        the database answers and has the schema, or gets it with ``--migrate``."""
        try:
            if self.settings.database_migrate:
                created = pg_schema.migrate(self._conninfo)
                logger.info("database schema: {}", ", ".join(created) + " created" if created else "up to date")
            else:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as conn:
                    fresh = pg_schema.empty(conn)
                    if not fresh:
                        pg_schema.check(conn)
                if fresh:
                    # a database with none of the tables is one made for syncbot: create them (the same
                    # locked, idempotent migration, so replicas starting together do it once); a database with
                    # some of them is left alone and named instead
                    created = pg_schema.migrate(self._conninfo)
                    logger.info("empty database: schema created ({})", ", ".join(created))
        except psycopg.Error as exc:
            raise pg_schema.DatabaseUnusable(self.redact(str(exc).strip())) from None

    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        self.pool.open(wait=True, timeout=30)
        self._connector.open(self.pool)
        self._schedules = schedules
        pg_periodic.put(self.app, self._housekeeping, HOUSEKEEPING_CRON, "", {"queueing_lock": HOUSEKEEPING})
        for t in self.trackers.values():
            self._schedule(t)
        if sync_on_start:
            for tid in self.trackers:
                self._start_sync(tid)
        self._worker = WorkerThread(self)
        self._worker.start()
        self.started = True

    def _schedule(self, t: TrackerConfig) -> None:
        if not self._schedules:
            return
        assert t.schedule is not None
        options: Any = {
            "lock": lock_key(t),
            "queueing_lock": QUEUED + t.id,
            "priority": PRIORITY_SCHEDULE,
            "task_kwargs": {"tracker": t.id, "reason": "schedule"},
        }
        pg_periodic.put(self.app, self._task, cron_for(t.schedule), periodic_id(t.id), options)

    def _start_sync(self, tid: str, reason: str = "start") -> bool:
        """The start-up sync of one tracker, unless another replica queued a sync of it within the window
        (they start seconds apart, or a fleet's replicas all discover the same repository)."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                if not pg_store.claim_start(conn, tid, self.start_window):
                    logger.info("{} sync of {} left to the sync another replica queued", reason, tid)
                    return False
                self._jobs.defer_job(self._new_job(tid, reason, PRIORITY_START, delay=0.0), connection=conn)
        except exceptions.AlreadyEnqueued:
            return False  # a sync is queued already; it covers this one
        return True

    def add_tracker(self, config: TrackerConfig, *, sync: bool = True) -> None:
        if self.draining:
            return
        known = config.id in self.trackers
        # Replaced, not changed in place: the HTTP side and the worker read these from other threads.
        self.trackers = {**self.trackers, config.id: config}
        self.budget_keys = {**self.budget_keys, config.id: budget_key(self.settings, config)}
        if not self.started:
            return
        self._schedule(config)
        if sync and not known:
            self._start_sync(config.id, "added")
        elif sync:
            self.request(config.id, "changed")

    def remove_tracker(self, tracker_id: str) -> None:
        if tracker_id not in self.trackers:
            return
        self.trackers = {k: v for k, v in self.trackers.items() if k != tracker_id}
        self.budget_keys = {k: v for k, v in self.budget_keys.items() if k != tracker_id}
        pg_periodic.drop(self.app, self._task, periodic_id(tracker_id))
        if self.started:
            with self.pool.connection() as conn:
                pg_store.cancel_queued(conn, QUEUED + tracker_id)
        logger.info("{} is no longer served", tracker_id)

    def drain(self, timeout: float) -> bool:
        """Stop fetching jobs and wait up to ``timeout`` for running syncs.  Queued syncs stay in the
        database for the other replicas (or this one's next start)."""
        self.draining = True
        clean = True
        if self._worker is not None:
            self._worker.stop()
            clean = self._worker.join(timeout)
        if clean:
            self._connector.close()
            self.pool.close()
        return clean

    def ready(self) -> bool:
        if not self.started or self.draining or self._worker is None or not self._worker.alive():
            return False
        try:
            with self.pool.connection(timeout=2) as conn:
                conn.execute("SELECT 1")
        except (psycopg.Error, psycopg_pool.PoolTimeout):
            return False
        return True

    def refresh_metrics(self) -> None:
        """Every heartbeat: the budget metric follows what the other replicas' syncs read."""
        with self.pool.connection() as conn:
            self._budgets(conn)

    def _housekeep(self, timestamp: int) -> None:
        """The housekeeping job, every minute on one replica: delivery ids older than a week go."""
        with self.pool.connection() as conn:
            pg_store.prune_deliveries(conn, DELIVERY_DAYS)

    # --- requests (HTTP side, any thread) ---------------------------------------------------------------

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult:
        if tracker_id not in self.trackers:
            return "unknown"
        if self.draining:
            return "draining"
        prio = PRIORITY_WEBHOOK + priority
        # Joining a waiting sync is the common case in a burst: one UPDATE, and no failed INSERT for the
        # database's log.  Two replicas may still both find none and both defer: the queueing lock lets
        # one through (AlreadyEnqueued for the other, which then joins).
        if self._join(tracker_id, prio, delivery_id):
            return "coalesced"
        job = self._new_job(tracker_id, reason, prio, delay=self.debounce, delivery=delivery_id)
        try:
            with self.pool.connection() as conn, conn.transaction():
                self._jobs.defer_job(job, connection=conn)
                pg_store.mark_queued(conn, tracker_id)
        except exceptions.AlreadyEnqueued:
            self._join(tracker_id, prio, delivery_id)
            return "coalesced"
        logger.debug("sync of {} requested ({})", tracker_id, reason)
        return "scheduled"

    def _join(self, tracker_id: str, priority: int, delivery_id: str) -> bool:
        with self.pool.connection() as conn:
            return pg_store.join_queued(
                conn,
                QUEUED + tracker_id,
                debounce=self.debounce,
                max_wait=self.max_wait,
                priority=priority,
                delivery=delivery_id,
            )

    def seen(self, delivery_key: str) -> bool:
        with self.pool.connection() as conn:
            return not pg_store.first_delivery(conn, delivery_key)

    def status(self) -> list[dict[str, Any]]:
        """``/readyz``'s entries, the same on every replica, each with its request budget."""
        with self.pool.connection() as conn:
            rows = pg_store.tracker_rows(conn, list(self.trackers), QUEUED)
            budgets = self._budgets(conn)
        for row in rows:
            key = self.budget_keys[row["tracker"]]
            row["request_budget"] = None if key is None else pg_budget.describe(budgets.get(key))
        return rows

    def _budgets(self, conn: Any) -> dict[str, pg_budget.Budget]:
        keys = sorted({k for k in self.budget_keys.values() if k is not None})
        budgets = pg_budget.read(conn, keys) if keys else {}
        self.budget_gauge.show(budgets)
        return budgets

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

    def defer_later(self, tracker_id: str, seconds: float, why: str) -> None:
        """Sync again in ``seconds``, not before (the rate limit resets then, or the lock is taken): a
        sync already waiting is postponed to then."""
        job = self._new_job(tracker_id, why, PRIORITY_WEBHOOK, delay=seconds)
        try:
            self._jobs.defer_job(job)
        except exceptions.AlreadyEnqueued:
            with self.pool.connection() as conn:
                pg_store.postpone_queued(conn, QUEUED + tracker_id, seconds)
        logger.info("sync of {} queued again in {:.0f}s: {}", tracker_id, seconds, why)

    # --- the job ----------------------------------------------------------------------------------------

    def _job(self, context: JobContext, tracker: str, reason: str, **kwargs: Any) -> None:
        from syncbot.service.pg_run import run_job

        run_job(self, context, tracker, reason, **kwargs)

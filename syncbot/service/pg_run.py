"""One ``syncbot.sync`` job, as a procrastinate worker runs it (in a thread of its pool): the checks that
make it safe to run, the sync, and what is recorded of it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from loguru import logger

from syncbot.service import pg_budget, pg_store
from syncbot.service.execute import run_one
from syncbot.settings import TrackerConfig

if TYPE_CHECKING:
    from procrastinate import JobContext

    from syncbot.service.pg_queue import PostgresQueue

LOCK_BUSY_RETRY = 2.0  # seconds before a job that found the advisory lock taken runs again


def run_job(
    queue: PostgresQueue,
    context: JobContext,
    tracker: str,
    reason: str,
    *,
    timestamp: int | None = None,
    deliveries: list[str] | None = None,
    first_at: float | None = None,
) -> None:
    from syncbot.service.pg_queue import ADVISORY_CLASS, lock_key

    config = queue.trackers.get(tracker)
    if config is None:
        logger.warning("a queued sync of {} is no tracker this replica serves; dropped", tracker)
        return
    key = queue.budget_keys.get(tracker)
    if timestamp is not None:
        with queue.pool.connection() as conn:
            if pg_store.started_since(conn, tracker, timestamp):
                logger.debug("schedule tick of {} already covered by a sync started since", tracker)
                return
            budget = pg_budget.read(conn, [key]).get(key) if key else None
        if budget is not None and budget.low(datetime.now(UTC)):
            logger.info(
                "scheduled sync of {} held back: {} requests left for {} until {}; webhooks go first",
                tracker,
                budget.remaining,
                key,
                budget.reset_at,
            )
            return
    # The advisory lock lives as long as this connection: a replica killed mid-sync loses it at once.
    with psycopg.connect(queue._conninfo, autocommit=True) as lock_conn:
        lock = [ADVISORY_CLASS, lock_key(config)]
        row = lock_conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", lock).fetchone()
        if not (row and row[0]):
            queue.defer_later(tracker, LOCK_BUSY_RETRY, "another replica holds the repository's lock")
            return
        with queue.pool.connection() as conn:
            pg_store.mark_started(conn, tracker)
        logger.debug("sync of {} runs for: {}", tracker, reason)
        results: list[Any] = []

        def sync(cfg: TrackerConfig) -> Any:
            results.append(queue.run_sync(cfg))
            return results[-1]

        done = run_one(config, sync, deliveries or [], clock=queue.clock, metrics=queue.metrics, redact=queue.redact)
        with queue.pool.connection() as conn:
            pg_store.mark_finished(conn, tracker, ok=done.ok, error=done.error, duration=done.duration)
            if key and results:
                pg_budget.record(conn, key, results[-1])
    if done.retry_at is not None:
        wait = max((done.retry_at - done.finished_at).total_seconds(), 0.0) + 1.0
        queue.defer_later(tracker, wait, "the forge's rate limit resets then")

"""One ``syncbot.sync`` job, as a procrastinate worker runs it (in a thread of its pool): the checks that
make it safe to run, the sync, and what is recorded of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg
from loguru import logger

from syncbot.service import pg_store
from syncbot.service.execute import run_one

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
    if timestamp is not None:
        with queue.pool.connection() as conn:
            if pg_store.started_since(conn, tracker, timestamp):
                logger.debug("schedule tick of {} already covered by a sync started since", tracker)
                return
    # The advisory lock lives as long as this connection: a replica killed mid-sync loses it at once.
    with psycopg.connect(queue._conninfo, autocommit=True) as lock_conn:
        key = [ADVISORY_CLASS, lock_key(config)]
        row = lock_conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", key).fetchone()
        if not (row and row[0]):
            logger.info("{} is being synced by another replica; trying again in {}s", tracker, LOCK_BUSY_RETRY)
            queue._defer_at_reset(tracker, LOCK_BUSY_RETRY)
            return
        with queue.pool.connection() as conn:
            pg_store.mark_started(conn, tracker)
        logger.debug("sync of {} runs for: {}", tracker, reason)
        done = run_one(
            config, queue.run_sync, deliveries or [], clock=queue.clock, metrics=queue.metrics, redact=queue.redact
        )
        with queue.pool.connection() as conn:
            pg_store.mark_finished(conn, tracker, ok=done.ok, error=done.error, duration=done.duration)
    if done.retry_at is not None:
        queue._defer_at_reset(tracker, max((done.retry_at - done.finished_at).total_seconds(), 0.0) + 1.0)

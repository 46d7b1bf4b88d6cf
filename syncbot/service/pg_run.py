"""One ``syncbot.sync`` job, as a procrastinate worker runs it (in a thread of its pool): the checks that
make it safe to run, the sync, and what is recorded of it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import psycopg
from loguru import logger

from syncbot.forge.base import RateLimitError
from syncbot.logging import new_run_id
from syncbot.service import pg_store

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
    from syncbot.service.pg_queue import ADVISORY_CLASS

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
        row = lock_conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [ADVISORY_CLASS, tracker]).fetchone()
        if not (row and row[0]):
            logger.info("{} is being synced by another replica; trying again in {}s", tracker, LOCK_BUSY_RETRY)
            queue._defer_at_reset(tracker, LOCK_BUSY_RETRY)
            return
        with queue.pool.connection() as conn:
            pg_store.mark_started(conn, tracker)
        ok, error, duration, retry_in = _sync(queue, config, reason, deliveries or [])
        with queue.pool.connection() as conn:
            pg_store.mark_finished(conn, tracker, ok=ok, error=error, duration=duration)
    if retry_in is not None:
        queue._defer_at_reset(tracker, retry_in)


def _outcome(result: Any) -> tuple[bool, str | None]:
    if result is None or result is True:
        return True, None
    if result is False:
        return False, "sync reported failure"
    ok = getattr(result, "ok", True)
    return bool(ok), None if ok else str(getattr(result, "error", None) or getattr(result, "summary", "failed"))


def _sync(
    queue: PostgresQueue, config: Any, reason: str, deliveries: list[str]
) -> tuple[bool, str | None, float, float | None]:
    tid = config.id
    more = f",+{len(deliveries) - 5}" if len(deliveries) > 5 else ""
    label = ",".join(deliveries[-5:]) + more or "-"
    retry_in: float | None = None
    with logger.contextualize(run_id=new_run_id(), delivery_id=label):
        logger.info("sync of {} started ({})", tid, reason)
        started = time.monotonic()
        result: Any = None
        try:
            result = queue.run_sync(config)
            ok, error = _outcome(result)
        except RateLimitError as exc:
            logger.warning("sync of {} stopped: {}", tid, exc)
            ok, error = False, f"{type(exc).__name__}: {exc}"
            if exc.reset_at is not None:
                retry_in = max(exc.reset_at.timestamp() - time.time(), 0.0) + 1.0
        except Exception as exc:
            logger.opt(exception=exc).error("sync of {} failed: {}", tid, exc)
            ok, error = False, f"{type(exc).__name__}: {exc}"
        elapsed = time.monotonic() - started
        _record(queue, config, result, ok, elapsed)
        if ok:
            logger.info("sync of {} finished in {:.2f}s", tid, elapsed)
        elif result is not None:
            logger.error("sync of {} reported failure: {}", tid, error)
    return ok, None if error is None else queue.redact(error), elapsed, retry_in


def _record(queue: PostgresQueue, config: Any, result: Any, ok: bool, elapsed: float) -> None:
    m = queue.metrics
    tid = config.id
    m.syncs.labels(tid).inc()
    m.duration.labels(tid).observe(elapsed)
    if not ok:
        m.failures.labels(tid).inc()
    forge = config.forge or "local"
    requests = getattr(result, "api_requests", None)
    if isinstance(requests, int) and requests > 0:
        m.api_requests.labels(forge).inc(requests)
    remaining = getattr(result, "rate_limit_remaining", None)
    if isinstance(remaining, int | float):
        m.rate_limit.labels(forge).set(remaining)

"""One sync of one tracker, run the way every backend runs it: in a log context naming the run and the
deliveries it answers, with its outcome read, logged, counted in the metrics, and its error redacted for
``/readyz``.  A rate limit's reset is handed back, so the backend can schedule the next sync for it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loguru import logger

from syncbot.forge.base import RateLimitError
from syncbot.logging import new_run_id
from syncbot.service.clock import Clock
from syncbot.service.metrics import Metrics
from syncbot.settings import TrackerConfig

RunSync = Callable[[TrackerConfig], Any]


@dataclass(frozen=True)
class Finished:
    ok: bool
    error: str | None  # redacted: it is shown over HTTP, where the log sink's mask does not reach
    finished_at: datetime
    duration: float
    retry_at: datetime | None = None  # the forge's rate limit resets then: sync again, not before


def outcome(result: Any) -> tuple[bool, str | None]:
    """Read a SyncResult-ish value: ``None``/``True`` are success, ``False`` or ``ok=False`` failure."""
    if result is None or result is True:
        return True, None
    if result is False:
        return False, "sync reported failure"
    ok = getattr(result, "ok", True)
    return bool(ok), None if ok else str(getattr(result, "error", None) or getattr(result, "summary", "failed"))


def delivery_label(deliveries: Sequence[str]) -> str:
    """The deliveries a sync answers, for its log lines: the last five, and how many more."""
    more = f",+{len(deliveries) - 5}" if len(deliveries) > 5 else ""
    return ",".join(deliveries[-5:]) + more or "-"


def run_one(
    config: TrackerConfig,
    run_sync: RunSync,
    deliveries: Sequence[str],
    *,
    clock: Clock,
    metrics: Metrics,
    redact: Callable[[str], str] = str,
) -> Finished:
    """Run the sync; never raises (one failing tracker must not stop the service)."""
    tid = config.id
    retry_at: datetime | None = None
    with logger.contextualize(run_id=new_run_id(), delivery_id=delivery_label(deliveries)):
        logger.info("sync of {} started", tid)
        started = clock.monotonic()
        try:
            result = run_sync(config)
            ok, error = outcome(result)
        except RateLimitError as exc:
            # The hourly budget ran out (part-way through, for a large first sync): run again at the reset.
            logger.warning("sync of {} stopped: {}", tid, exc)
            result, ok, error, retry_at = None, False, f"{type(exc).__name__}: {exc}", exc.reset_at
        except Exception as exc:
            # The error goes to the log, the metrics and /readyz.
            logger.opt(exception=exc).error("sync of {} failed: {}", tid, exc)
            result, ok, error = None, False, f"{type(exc).__name__}: {exc}"
        elapsed = clock.monotonic() - started
        metrics.record_sync(tid, config.forge or "local", result, ok, elapsed)
        if ok:
            logger.info("sync of {} finished in {:.2f}s", tid, elapsed)
        elif result is not None:
            logger.error("sync of {} reported failure: {}", tid, error)
    return Finished(
        ok=ok,
        error=None if error is None else redact(error),
        finished_at=clock.now(),
        duration=elapsed,
        retry_at=retry_at,
    )

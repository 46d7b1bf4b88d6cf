"""The daemon: webhooks and a schedule feed one coordinator that runs at most one sync per tracker.

Shape (bedevere's): the HTTP handlers only authenticate, route and enqueue, then answer 202; the sync
runs in APScheduler's worker threads.  The per-tracker sync itself is injected (``run_sync``), so the
daemon knows nothing of forges and tests can count calls.

Coalescing works by generations.  Every request (a delivery, a schedule tick) bumps the tracker's
``requested`` counter; a sync records the counter it started at in ``covered``.  A request is satisfied by
any sync that *starts* after it, so: while a sync is pending, new requests just join it; while one runs,
they leave a mark and one more sync follows it; when the pending job fires and finds nothing uncovered,
it does nothing.  A burst therefore costs one sync, and a change made during a sync is never lost.

Across replicas, an advisory ``flock`` on a file in the state directory keeps two processes from
syncing one tracker at once; the loser retries later (its request still stands).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Literal

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from loguru import logger
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from syncbot.deliveries import LOG_NAME, BodyTooLarge, BodyTooSlow, DeliveryLog, read_body
from syncbot.forge.base import RateLimitError
from syncbot.lock import TrackerLock
from syncbot.logging import Redactor, new_run_id
from syncbot.settings import Settings, SettingsError, TrackerConfig, parse_interval
from syncbot.webhooks import (
    Delivery,
    PayloadError,
    SignatureError,
    clean_delivery_id,
    parse_github,
    parse_gitlab,
    route,
)

RunSync = Callable[[TrackerConfig], Any]
WebhookResult = Literal["accepted", "ignored", "duplicate", "pong", "unauthorized", "too_large", "too_slow", "invalid"]

EXIT_DRAIN_TIMEOUT = 1  # SIGTERM arrived and a sync outlived the grace period


class Metrics:
    """Prometheus metrics in a registry of their own, so two apps in one test process don't collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.syncs = Counter("syncbot_syncs", "Syncs run, by tracker", ["tracker"], registry=r)
        self.failures = Counter("syncbot_sync_failures", "Syncs that failed, by tracker", ["tracker"], registry=r)
        self.duration = Histogram(
            "syncbot_sync_duration_seconds",
            "Wall time of one sync",
            ["tracker"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=r,
        )
        self.api_requests = Counter("syncbot_api_requests", "Forge API requests made by syncs", ["forge"], registry=r)
        self.rate_limit = Gauge(
            "syncbot_rate_limit_remaining", "Forge API requests left in the rate-limit window", ["forge"], registry=r
        )
        self.deliveries = Counter(
            "syncbot_webhook_deliveries", "Webhook deliveries, by forge and result", ["forge", "result"], registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)


@dataclass
class TrackerState:
    config: TrackerConfig
    requested: int = 0
    covered: int = 0
    pending: bool = False
    running: bool = False
    deliveries: list[str] = field(default_factory=list)
    last_result: str | None = None  # "ok" / "failed"
    last_error: str | None = None
    last_finished: float | None = None  # time.time()
    last_duration: float | None = None
    last_request: float = 0.0  # time.monotonic() of the latest request
    pending_since: float = 0.0  # when the pending sync was first asked for
    quiet_needed: float = 0.0  # the debounce that applies to the pending sync (0 at start-up)


def make_trigger(schedule: str) -> BaseTrigger:
    seconds = parse_interval(schedule)
    if seconds is not None:
        return IntervalTrigger(seconds=seconds)
    return CronTrigger.from_crontab(schedule)


def _outcome(result: Any) -> tuple[bool, str | None]:
    """Read a SyncResult-ish value: ``None``/``True`` are success, ``False`` or ``ok=False`` failure."""
    if result is None or result is True:
        return True, None
    if result is False:
        return False, "sync reported failure"
    ok = getattr(result, "ok", True)
    return bool(ok), None if ok else str(getattr(result, "error", None) or getattr(result, "summary", "failed"))


class Coordinator:
    """Debounces, coalesces and serialises syncs per tracker on an APScheduler ``BackgroundScheduler``."""

    def __init__(
        self,
        trackers: list[TrackerConfig],
        run_sync: RunSync,
        *,
        state_dir: Path,
        debounce: float,
        metrics: Metrics,
        lock_retry: float = 1.0,
        max_wait: float | None = None,
        redact: Callable[[str], str] = str,
        scheduler: BackgroundScheduler | None = None,
    ) -> None:
        self.run_sync = run_sync
        self.redact = redact  # /readyz shows sync errors over HTTP, where the log sink's mask doesn't reach
        self.max_wait = max_wait if max_wait is not None else max(10 * debounce, debounce + 1.0)
        self.state_dir = state_dir
        self.debounce = debounce
        self.lock_retry = lock_retry
        self.metrics = metrics
        self.scheduler = scheduler or BackgroundScheduler(
            timezone=UTC, executors={"default": {"type": "threadpool", "max_workers": 8}}
        )
        self.states = {t.id: TrackerState(t) for t in trackers}
        self._jobs = 0
        self._mutex = threading.Lock()
        self._idle = threading.Condition(self._mutex)
        self.draining = False
        self.started = False

    # --- lifecycle --------------------------------------------------------------------------------------

    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        if schedules:
            for tid, st in self.states.items():
                assert st.config.schedule is not None
                self.scheduler.add_job(
                    self.tick,
                    make_trigger(st.config.schedule),
                    args=[tid],
                    id=f"schedule:{tid}",
                    coalesce=True,
                    max_instances=1,
                    misfire_grace_time=None,
                )
        self.scheduler.start()
        self.started = True
        if sync_on_start:
            for tid in self.states:
                self.request(tid, "start", delay=0.0)

    def drain(self, timeout: float) -> bool:
        """Stop taking work, drop pending (not started) syncs, wait up to ``timeout`` seconds for running
        ones.  True when nothing is left running."""
        with self._mutex:
            self.draining = True
            dropped = [tid for tid, st in self.states.items() if st.pending]
        if self.scheduler.running:
            self.scheduler.remove_all_jobs()  # schedule ticks and not-yet-started syncs
        if dropped:
            logger.info("shutdown: dropped pending syncs of {}; the next start syncs them", ", ".join(dropped))
        deadline = time.monotonic() + timeout
        with self._idle:
            while any(st.running for st in self.states.values()):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._idle.wait(left)
            clean = not any(st.running for st in self.states.values())
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        return clean

    # --- requests ---------------------------------------------------------------------------------------

    def tick(self, tracker_id: str) -> None:
        """The schedule fired: same path as a webhook, so a tick and a delivery together make one sync."""
        self.request(tracker_id, "schedule")

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", delay: float | None = None) -> str:
        """Ask for a sync of one tracker; returns ``scheduled``, ``coalesced`` or ``draining``.

        The debounce trails: a sync starts once ``debounce`` seconds pass without a new request, so a
        burst of any length makes one sync, but never later than ``max_wait`` after the burst's first
        request, so a steady stream of deliveries cannot starve it.  A request that joins a pending sync
        only bumps counters (no scheduler call): the pending job re-arms itself when it fires early."""
        with self._mutex:
            if self.draining:
                return "draining"
            st = self.states[tracker_id]
            st.requested += 1
            st.last_request = time.monotonic()
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
        st.pending_since = time.monotonic()
        st.quiet_needed = delay
        self._arm_locked(st, delay)

    def _run_at(self, st: TrackerState, when: datetime) -> None:
        """Sync ``st`` again at ``when`` (a rate limit's reset), not before: requests until then join it."""
        delay = max((when - datetime.now(UTC)).total_seconds(), 0.0) + 1.0
        with self._mutex:
            if self.draining:
                return
            st.requested += 1
            st.pending = True
            st.pending_since = st.last_request = time.monotonic() + delay
            st.quiet_needed = 0.0
            self._arm_locked(st, delay)
        logger.info("sync of {} scheduled for {:%Y-%m-%d %H:%M:%S} UTC, when the rate limit resets", st.config.id, when)

    def _arm_locked(self, st: TrackerState, delay: float) -> None:
        self._jobs += 1
        self.scheduler.add_job(
            self._run,
            "date",
            run_date=datetime.now(UTC) + timedelta(seconds=max(delay, 0.0)),
            args=[st.config.id],
            id=f"pending:{st.config.id}:{self._jobs}",
            misfire_grace_time=None,
        )

    # --- the sync ---------------------------------------------------------------------------------------

    def _run(self, tracker_id: str) -> None:
        with self._mutex:
            st = self.states[tracker_id]
            now = time.monotonic()
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
        lock = TrackerLock(self.state_dir, tracker_id)
        try:
            if not lock.acquire():
                # Another replica is syncing this tracker; our request stands, try again shortly.
                logger.info("{} is being synced by another process; retrying in {}s", tracker_id, self.lock_retry)
                with self._mutex:
                    st.covered = min(st.covered, before)
                    st.deliveries = deliveries + st.deliveries
                return
            try:
                self._sync(st, deliveries)
            finally:
                lock.release()
        finally:
            with self._idle:
                st.running = False
                if st.requested > st.covered and not self.draining and not st.pending:
                    retry = self.lock_retry if st.covered == before else self.debounce
                    self._schedule_locked(st, retry)
                    st.last_request = time.monotonic()
                self._idle.notify_all()

    def _sync(self, st: TrackerState, deliveries: list[str]) -> None:
        tid = st.config.id
        run_id = new_run_id()
        delivery = ",".join(deliveries[-5:]) + (f",+{len(deliveries) - 5}" if len(deliveries) > 5 else "")
        with logger.contextualize(run_id=run_id, delivery_id=delivery or "-"):
            logger.info("sync of {} started", tid)
            started = time.monotonic()
            try:
                result = self.run_sync(st.config)
                ok, error = _outcome(result)
            except RateLimitError as exc:
                # The hourly budget ran out (part-way through, for a large first sync): run again at the reset.
                logger.warning("sync of {} stopped: {}", tid, exc)
                result, ok, error = None, False, f"{type(exc).__name__}: {exc}"
                if exc.reset_at is not None:
                    self._run_at(st, exc.reset_at)
            except Exception as exc:
                # One failing tracker must not stop the daemon; the error goes to logs, metrics, /readyz.
                logger.opt(exception=exc).error("sync of {} failed: {}", tid, exc)
                result, ok, error = None, False, f"{type(exc).__name__}: {exc}"
            elapsed = time.monotonic() - started
            self._record(st, result, ok, error, elapsed)
            if ok:
                logger.info("sync of {} finished in {:.2f}s", tid, elapsed)
            elif result is not None:
                logger.error("sync of {} reported failure: {}", tid, error)

    def _record(self, st: TrackerState, result: Any, ok: bool, error: str | None, elapsed: float) -> None:
        tid = st.config.id
        m = self.metrics
        m.syncs.labels(tid).inc()
        m.duration.labels(tid).observe(elapsed)
        if not ok:
            m.failures.labels(tid).inc()
        forge = st.config.forge or "local"
        requests = getattr(result, "api_requests", None)
        if isinstance(requests, int) and requests > 0:
            m.api_requests.labels(forge).inc(requests)
        remaining = getattr(result, "rate_limit_remaining", None)
        if isinstance(remaining, int | float):
            m.rate_limit.labels(forge).set(remaining)
        with self._mutex:
            st.last_result = "ok" if ok else "failed"
            st.last_error = None if error is None else self.redact(error)
            st.last_finished = time.time()
            st.last_duration = elapsed

    def status(self) -> list[dict[str, Any]]:
        now = time.time()
        with self._mutex:
            return [
                {
                    "tracker": tid,
                    "last_result": st.last_result,
                    "last_error": st.last_error,
                    "age_seconds": None if st.last_finished is None else round(now - st.last_finished, 3),
                    "duration_seconds": st.last_duration,
                    "running": st.running,
                    "pending": st.pending,
                }
                for tid, st in self.states.items()
            ]


def _log_id(headers: Mapping[str, str], forge: str) -> str:
    """The delivery id for log lines before authentication, cleaned as every delivery id is."""
    raw = headers.get("x-github-delivery" if forge == "github" else "x-gitlab-event-uuid", "") or headers.get(
        "idempotency-key", ""
    )
    return clean_delivery_id(raw) or "-"


class Daemon:
    """What the HTTP app needs: settings, the coordinator, metrics and the delivery log."""

    def __init__(
        self,
        settings: Settings,
        run_sync: RunSync,
        *,
        insecure_no_webhook_secret: bool = False,
        lock_retry: float = 1.0,
    ) -> None:
        self.settings = settings
        self.trackers = settings.tracker_configs()
        self.insecure = insecure_no_webhook_secret
        self.metrics = Metrics()
        self.coordinator = Coordinator(
            self.trackers,
            run_sync,
            state_dir=settings.state_dir,
            debounce=settings.debounce_seconds,
            max_wait=settings.debounce_max_seconds,
            redact=Redactor(settings.secret_values()),
            metrics=self.metrics,
            lock_retry=lock_retry,
        )
        state = settings.state_dir
        self.deliveries = DeliveryLog(path=state / LOG_NAME)
        self.drained_cleanly = True

    def _secret(self, forge: str) -> str | None:
        s = self.settings
        value = s.github_webhook_secret if forge == "github" else s.gitlab_webhook_token
        return value.get_secret_value() if value is not None else None

    async def handle(self, request: Request, forge: Literal["github", "gitlab"]) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        with logger.contextualize(delivery_id=_log_id(headers, forge)):
            result, response = await self._handle(request, headers, forge)
            self.metrics.deliveries.labels(forge, result).inc()
            return response

    async def _handle(
        self, request: Request, headers: dict[str, str], forge: Literal["github", "gitlab"]
    ) -> tuple[WebhookResult, Response]:
        try:
            body = await read_body(request, self.settings.webhook_max_bytes, self.settings.webhook_body_timeout_seconds)
        except BodyTooLarge:
            logger.warning("{} webhook refused: body over {} bytes", forge, self.settings.webhook_max_bytes)
            return "too_large", JSONResponse({"detail": "payload too large"}, status_code=413)
        except BodyTooSlow:
            timeout = self.settings.webhook_body_timeout_seconds
            logger.warning("{} webhook refused: body still arriving after {}s", forge, timeout)
            return "too_slow", JSONResponse({"detail": "request body too slow"}, status_code=408)
        secret = self._secret(forge)
        try:
            if secret is None and not self.insecure:
                raise SignatureError("no webhook secret is configured for this forge")
            delivery = (parse_github if forge == "github" else parse_gitlab)(headers, body, secret)
        except SignatureError as exc:
            logger.warning("{} webhook refused: {}", forge, exc)
            return "unauthorized", JSONResponse({"detail": "unauthorized"}, status_code=401)
        except PayloadError as exc:
            logger.warning("{} webhook refused: {}", forge, exc)
            return "invalid", JSONResponse({"detail": str(exc)}, status_code=400)
        return self._dispatch(delivery)

    def _dispatch(self, delivery: Delivery) -> tuple[WebhookResult, Response]:
        if delivery.delivery_id and self.deliveries.seen(f"{delivery.forge}:{delivery.delivery_id}"):
            logger.info("{} delivery {} seen before; ignored", delivery.forge, delivery.delivery_id)
            return "duplicate", JSONResponse({"result": "duplicate"}, status_code=202)
        decision = route(delivery, self.trackers)
        if decision.kind == "pong":
            return "pong", JSONResponse({"result": "pong"}, status_code=200)
        if decision.kind == "ignore":
            logger.debug("{} {} ignored: {}", delivery.forge, delivery.event, decision.reason)
            return "ignored", JSONResponse({"result": "ignored", "reason": decision.reason}, status_code=202)
        outcomes = {
            t.id: self.coordinator.request(t.id, decision.reason, delivery_id=delivery.delivery_id)
            for t in decision.trackers
        }
        logger.info("{} {} → sync {}", delivery.forge, decision.reason, outcomes)
        return "accepted", JSONResponse({"result": "accepted", "trackers": outcomes}, status_code=202)


def create_app(
    settings: Settings,
    run_sync: RunSync,
    *,
    insecure_no_webhook_secret: bool = False,
    schedules: bool = True,
    lock_retry: float = 1.0,
) -> FastAPI:
    """The ASGI app.  Its lifespan starts the scheduler and, on shutdown, drains running syncs."""
    daemon = Daemon(settings, run_sync, insecure_no_webhook_secret=insecure_no_webhook_secret, lock_retry=lock_retry)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        daemon.coordinator.start(sync_on_start=settings.sync_on_start, schedules=schedules)
        logger.info("serving {} tracker(s): {}", len(daemon.trackers), ", ".join(t.id for t in daemon.trackers))
        yield
        logger.info("shutting down: waiting up to {}s for running syncs", settings.shutdown_grace_seconds)
        # Off the event loop: draining blocks on worker threads.
        clean = await asyncio.to_thread(daemon.coordinator.drain, settings.shutdown_grace_seconds)
        daemon.drained_cleanly = clean
        if not clean:
            logger.error("a sync was still running after {}s; leaving it", settings.shutdown_grace_seconds)

    app = FastAPI(title="syncbot", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.daemon = daemon

    @app.post("/webhooks/github")
    async def github_webhook(request: Request) -> Response:
        return await daemon.handle(request, "github")

    @app.post("/webhooks/gitlab")
    async def gitlab_webhook(request: Request) -> Response:
        return await daemon.handle(request, "gitlab")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        c = daemon.coordinator
        ready = c.started and not c.draining and c.scheduler.running
        body = {"ready": ready, "trackers": c.status()}
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(daemon.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return app


def load_sync_function(settings: Settings) -> RunSync:
    """Resolve ``settings.sync_function`` (``module:function`` taking ``(settings, tracker)``) lazily, so
    the daemon imports no forge code until it serves."""
    module_name, _, attr = settings.sync_function.partition(":")
    try:
        func = getattr(importlib.import_module(module_name), attr or "sync_tracker")
    except (ImportError, AttributeError) as exc:
        raise SettingsError(
            f"SYNCBOT_SYNC_FUNCTION: cannot load {settings.sync_function!r} ({exc}); "
            "put module:function, e.g. syncbot.runner:sync_tracker"
        ) from None
    return partial(func, settings)


def check_can_serve(settings: Settings, insecure_no_webhook_secret: bool) -> None:
    if not settings.tracker_configs():
        raise SettingsError(
            "nothing to serve: set SYNCBOT_TRACKER to a tracker file, or SYNCBOT_CONFIG to a TOML file "
            "with [[trackers]] entries"
        )
    if settings.github_webhook_secret is None and settings.gitlab_webhook_token is None:
        if not insecure_no_webhook_secret:
            raise SettingsError(
                "no webhook secret: set SYNCBOT_GITHUB_WEBHOOK_SECRET and/or SYNCBOT_GITLAB_WEBHOOK_TOKEN "
                "(a long random string, also entered in the forge's webhook settings), or pass "
                "--insecure-no-webhook-secret to accept unsigned deliveries"
            )
        logger.warning("webhooks accept UNSIGNED deliveries (--insecure-no-webhook-secret)")


def serve(settings: Settings, *, insecure_no_webhook_secret: bool = False, run_sync: RunSync | None = None) -> int:
    """Run the daemon until SIGTERM/SIGINT; returns the exit code (0 after a clean drain)."""
    import uvicorn

    check_can_serve(settings, insecure_no_webhook_secret)
    app = create_app(
        settings, run_sync or load_sync_function(settings), insecure_no_webhook_secret=insecure_no_webhook_secret
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    # uvicorn re-raises the signal it caught once it has shut down; a no-op handler here turns that into
    # a normal return, so the exit code is ours (0 after a clean drain), not "killed by SIGTERM".
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    logger.info("listening on http://{}:{}", settings.host, settings.port)
    server.run()
    if not server.started:
        return 2  # the port was taken, or the lifespan failed: uvicorn has logged why
    daemon: Daemon = app.state.daemon
    if not daemon.drained_cleanly:
        sys.stderr.flush()
        # A worker thread is still inside the sync; the interpreter would wait for it at exit.
        os._exit(EXIT_DRAIN_TIMEOUT)
    logger.info("stopped")
    return 0

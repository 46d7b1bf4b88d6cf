"""``syncbot serve``: check the settings, choose the queue backend, build the app, run uvicorn until
SIGTERM/SIGINT, drain, and exit 0 (or 1 when a sync outlived the grace period).

The backend: the embedded queue (this process's threads, lock files in the state directory) unless
``SYNCBOT_DATABASE_URL`` names a PostgreSQL database, which several replicas then share.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from functools import partial
from typing import TYPE_CHECKING

from fastapi import FastAPI
from loguru import logger

from syncbot.logging import Redactor
from syncbot.service.clock import Clock, SchedulerClock
from syncbot.service.coordinator import EmbeddedQueue
from syncbot.service.deliveries import LOG_NAME, DeliveryLog
from syncbot.service.execute import RunSync
from syncbot.service.http import create_app
from syncbot.service.locks import file_locks
from syncbot.service.metrics import Metrics
from syncbot.service.queue import SyncQueue
from syncbot.settings import Settings, SettingsError, TrackerConfig, parse_interval

if TYPE_CHECKING:
    from syncbot.fleet.discovery import Fleet

EXIT_DRAIN_TIMEOUT = 1  # SIGTERM arrived and a sync outlived the grace period
POSTGRES_FIX = "pip install 'syncbot[postgres]'"


def make_queue(
    settings: Settings,
    trackers: list[TrackerConfig],
    run_sync: RunSync,
    metrics: Metrics,
    redact: Redactor,
    *,
    clock: Clock | None = None,
    lock_retry: float = 1.0,
) -> SyncQueue:
    """The queue backend the settings ask for: PostgreSQL when ``database_url`` is set, else embedded."""
    if settings.database_url is not None:
        try:
            from syncbot.service.pg_queue import PostgresQueue
        except ImportError as exc:
            raise SettingsError(
                f"SYNCBOT_DATABASE_URL is set, but the PostgreSQL queue cannot be loaded ({exc}); "
                f"install it with {POSTGRES_FIX}, or unset SYNCBOT_DATABASE_URL for the embedded queue"
            ) from None
        return PostgresQueue(settings=settings, trackers=trackers, run_sync=run_sync, metrics=metrics, redact=redact)
    return EmbeddedQueue(
        trackers,
        run_sync,
        clock=clock or SchedulerClock(),
        locks=file_locks(settings.state_dir),
        deliveries=DeliveryLog(path=settings.state_dir / LOG_NAME),
        debounce=settings.debounce_seconds,
        max_wait=settings.debounce_max_seconds,
        lock_retry=lock_retry,
        metrics=metrics,
        redact=redact,
    )


def build_app(
    settings: Settings,
    run_sync: RunSync,
    *,
    insecure_no_webhook_secret: bool = False,
    schedules: bool = True,
    lock_retry: float = 1.0,
    clock: Clock | None = None,
    fleet: Fleet | None = None,
) -> FastAPI:
    """The whole service as an ASGI app: metrics, the chosen queue, the HTTP endpoints.  With ``fleet``
    (a GitHub App fleet) the trackers are the ones it discovers, and webhooks keep them current."""
    metrics = Metrics()
    queue = make_queue(
        settings,
        settings.tracker_configs() if fleet is None else [],
        run_sync,
        metrics,
        Redactor(settings.secret_values()),  # /readyz shows sync errors over HTTP: mask secrets there too
        clock=clock,
        lock_retry=lock_retry,
    )
    feed = None
    if fleet is not None:
        from syncbot.fleet.feed import DEFAULT_INTERVAL, FleetFeed

        feed = FleetFeed(fleet, queue, interval=float(parse_interval(settings.schedule) or DEFAULT_INTERVAL))
    return create_app(
        settings,
        queue,
        metrics,
        insecure_no_webhook_secret=insecure_no_webhook_secret,
        schedules=schedules,
        fleet=feed,
    )


def load_sync_function(settings: Settings) -> RunSync:
    """Resolve ``settings.sync_function`` (``module:function`` taking ``(settings, tracker)``) lazily, so
    the service imports no forge code until it serves."""
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
    from syncbot.fleet.setup import fleet_configured

    if not settings.tracker_configs() and not fleet_configured(settings):
        raise SettingsError(
            "nothing to serve: set SYNCBOT_TRACKER to a tracker file, or SYNCBOT_CONFIG to a TOML file "
            "with [[trackers]] entries, or a GitHub App (SYNCBOT_GITHUB_APP_ID and its private key) to serve "
            "every repository it is installed on that has a .github/syncbot.toml, or SYNCBOT_GITLAB_GROUP to "
            "serve every project of that group that has a .syncbot.toml"
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
    """Run the service until SIGTERM/SIGINT; returns the exit code (0 after a clean drain)."""
    import uvicorn

    from syncbot.fleet.setup import build_fleet, fleet_configured

    check_can_serve(settings, insecure_no_webhook_secret)
    fleet = None
    if fleet_configured(settings):
        # No trackers configured: the App's installations say what to serve, synced through the file API.
        setup = build_fleet(settings)
        fleet, run_sync = setup.fleet, run_sync or setup.sync
        logger.info("serving the {} that have {}", fleet.scope_name(), fleet.config_path)
    app = build_app(
        settings,
        run_sync or load_sync_function(settings),
        insecure_no_webhook_secret=insecure_no_webhook_secret,
        fleet=fleet,
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
    if not app.state.drained_cleanly:
        sys.stderr.flush()
        # A worker thread is still inside the sync; the interpreter would wait for it at exit.
        os._exit(EXIT_DRAIN_TIMEOUT)
    logger.info("stopped")
    return 0

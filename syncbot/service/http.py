"""The HTTP side of ``syncbot serve`` (FastAPI): webhooks in, health, readiness and metrics out.

Shape (bedevere's): a handler only reads the body (bounded in size and time), authenticates, routes and
enqueues, then answers 202; syncs run wherever the queue runs them.  It knows a queue only as
:class:`~syncbot.service.queue.SyncQueue`, and asks the queue whether a delivery was seen before, so
redeliveries are recognised by whatever the backend shares (a file, a database).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from loguru import logger
from prometheus_client import CONTENT_TYPE_LATEST

from syncbot.service.deliveries import BodyTooLarge, BodyTooSlow, read_body
from syncbot.service.metrics import Metrics
from syncbot.service.queue import SyncQueue
from syncbot.settings import Settings, TrackerConfig
from syncbot.webhooks import (
    Delivery,
    PayloadError,
    SignatureError,
    clean_delivery_id,
    parse_github,
    parse_gitlab,
    route,
)

if TYPE_CHECKING:
    from syncbot.fleet.feed import FleetFeed

WebhookResult = Literal["accepted", "ignored", "duplicate", "pong", "unauthorized", "too_large", "too_slow", "invalid"]


def _log_id(headers: Mapping[str, str], forge: str) -> str:
    """The delivery id for log lines before authentication, cleaned as every delivery id is."""
    raw = headers.get("x-github-delivery" if forge == "github" else "x-gitlab-event-uuid", "") or headers.get(
        "idempotency-key", ""
    )
    return clean_delivery_id(raw) or "-"


class Webhooks:
    """One forge delivery in, one answer out (and at most one request per tracker to the queue)."""

    def __init__(
        self,
        settings: Settings,
        queue: SyncQueue,
        metrics: Metrics,
        *,
        insecure_no_webhook_secret: bool = False,
        fleet: FleetFeed | None = None,
    ) -> None:
        self.settings = settings
        self.fleet = fleet  # a GitHub App fleet: the trackers are discovered, and webhooks change them
        self._trackers = settings.tracker_configs()
        self.queue = queue
        self.metrics = metrics
        self.insecure = insecure_no_webhook_secret

    @property
    def trackers(self) -> list[TrackerConfig]:
        """The trackers served now."""
        return self.fleet.trackers() if self.fleet is not None else self._trackers

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
        if self.fleet is not None and self.fleet.follows(delivery):
            if self._duplicate(delivery):
                return "duplicate", JSONResponse({"result": "duplicate"}, status_code=202)
            # The fleet reads repositories' files in its own thread (GitHub gives a delivery 10 s); the
            # trackers it adds are synced once they are served.
            self.fleet.submit(delivery)
            return self._dispatch(delivery, checked=True, fleet="queued")
        return self._dispatch(delivery)

    def _duplicate(self, delivery: Delivery) -> bool:
        if delivery.delivery_id and self.queue.seen(f"{delivery.forge}:{delivery.delivery_id}"):
            logger.info("{} delivery {} seen before; ignored", delivery.forge, delivery.delivery_id)
            return True
        return False

    def _dispatch(
        self, delivery: Delivery, *, checked: bool = False, fleet: str | None = None
    ) -> tuple[WebhookResult, Response]:
        """Route an authenticated delivery; ``checked``: the delivery log was asked already; ``fleet``:
        the delivery was handed to a fleet's feed too (it may change the set of trackers)."""
        if not checked and self._duplicate(delivery):
            return "duplicate", JSONResponse({"result": "duplicate"}, status_code=202)
        decision = route(delivery, self.trackers)
        if decision.kind == "pong":
            return "pong", JSONResponse({"result": "pong"}, status_code=200)
        extra = {"fleet": fleet} if fleet else {}
        if decision.kind == "ignore" and fleet:
            logger.info("{} {} → fleet: {}", delivery.forge, delivery.event, fleet)
            return "accepted", JSONResponse({"result": "accepted", "trackers": {}, **extra}, status_code=202)
        if decision.kind == "ignore":
            logger.debug("{} {} ignored: {}", delivery.forge, delivery.event, decision.reason)
            return "ignored", JSONResponse({"result": "ignored", "reason": decision.reason}, status_code=202)
        outcomes = {
            t.id: self.queue.request(t.id, decision.reason, delivery_id=delivery.delivery_id) for t in decision.trackers
        }
        logger.info("{} {} → sync {}", delivery.forge, decision.reason, outcomes)
        body = {"result": "accepted", "trackers": outcomes, **extra}
        return "accepted", JSONResponse(body, status_code=202)


def create_app(
    settings: Settings,
    queue: SyncQueue,
    metrics: Metrics,
    *,
    insecure_no_webhook_secret: bool = False,
    schedules: bool = True,
    fleet: FleetFeed | None = None,
) -> FastAPI:
    """The ASGI app.  Its lifespan starts the queue (and the fleet's discovery) and, on shutdown, drains
    it; ``app.state`` holds ``queue``, ``webhooks``, ``fleet`` and ``drained_cleanly`` (False when a sync
    outlived the grace period)."""
    webhooks = Webhooks(settings, queue, metrics, insecure_no_webhook_secret=insecure_no_webhook_secret, fleet=fleet)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start(sync_on_start=settings.sync_on_start, schedules=schedules)
        if fleet is not None:
            # The first discovery feeds the queue its trackers; later ones run in the fleet's own thread.
            await asyncio.to_thread(fleet.start, sync_on_start=settings.sync_on_start)
        served = webhooks.trackers
        logger.info("serving {} tracker(s): {}", len(served), ", ".join(t.id for t in served))
        yield
        if fleet is not None:
            fleet.stop()  # deliveries not yet followed are left: the next start discovers everything
        grace = settings.shutdown_grace_seconds
        logger.info("shutting down: waiting up to {}s for running syncs", grace)
        # Off the event loop: draining blocks on worker threads.
        clean = await asyncio.to_thread(queue.drain, grace)
        app.state.drained_cleanly = clean
        if not clean:
            logger.error("a sync was still running after {}s; leaving it", grace)

    app = FastAPI(title="syncbot", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.queue = queue
    app.state.webhooks = webhooks
    app.state.fleet = fleet
    app.state.drained_cleanly = True

    @app.post("/webhooks/github")
    async def github_webhook(request: Request) -> Response:
        return await webhooks.handle(request, "github")

    @app.post("/webhooks/gitlab")
    async def gitlab_webhook(request: Request) -> Response:
        return await webhooks.handle(request, "gitlab")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        ready = queue.ready() and (fleet is None or fleet.discovered)
        body: dict[str, object] = {"ready": ready, "trackers": queue.status()}
        if fleet is not None:
            body["fleet"] = fleet.status()
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics")
    async def metrics_endpoint() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return app

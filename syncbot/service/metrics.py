"""Prometheus metrics of the service, in a registry of their own (two apps in one test process don't
collide), and how one finished sync is counted."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
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

    def record_sync(self, tracker_id: str, forge: str, result: Any, ok: bool, elapsed: float) -> None:
        """One finished sync: counted, timed, and the forge usage its result reports (``api_requests``,
        ``rate_limit_remaining``, as :class:`syncbot.runner.SyncOutcome` carries them)."""
        self.syncs.labels(tracker_id).inc()
        self.duration.labels(tracker_id).observe(elapsed)
        if not ok:
            self.failures.labels(tracker_id).inc()
        requests = getattr(result, "api_requests", None)
        if isinstance(requests, int) and requests > 0:
            self.api_requests.labels(forge).inc(requests)
        remaining = getattr(result, "rate_limit_remaining", None)
        if isinstance(remaining, int | float):
            self.rate_limit.labels(forge).set(remaining)

"""The forge's request budget, shared by the replicas through ``syncbot_budgets``: one row per GitHub App
installation or token (per GitLab instance), with the requests left in the current window and when it
resets, as the latest sync read them from the rate-limit headers.

A webhook's sync always runs (the person who closed an issue waits for it); a scheduled reconcile is held
back while fewer than :data:`RESERVE` requests are left and the window has not reset, so reconciles of
hundreds of repositories cannot spend what the webhooks need.  ``/readyz`` shows each tracker's budget
and ``/metrics`` has ``syncbot_request_budget_remaining{budget}`` — the same figures on every replica."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Gauge

from syncbot.settings import Settings, TrackerConfig

RESERVE = 500  # a tenth of GitHub's 5,000 an hour: what a scheduled reconcile leaves for webhooks


@dataclass(frozen=True)
class Budget:
    remaining: int
    reset_at: datetime | None

    def low(self, now: datetime) -> bool:
        return self.remaining < RESERVE and (self.reset_at is None or self.reset_at > now)


def budget_key(settings: Settings, tracker: TrackerConfig) -> str | None:
    """Whose budget a tracker's syncs spend: a GitHub App installation's, a token's, a GitLab
    instance's; ``None`` for the local forge, which has none.  No secret goes into the key."""
    forge = tracker.forge or settings.forge
    if forge == "github":
        if settings.github_app_installation_id is not None:
            return f"github:installation:{settings.github_app_installation_id}"
        return f"github:token:{settings.github_url}"
    if forge == "gitlab":
        return f"gitlab:token:{settings.gitlab_url}"
    return None


def record(conn: Any, key: str, result: Any) -> None:
    """Keep what a sync read: the latest reading wins, whichever replica made it."""
    remaining = getattr(result, "rate_limit_remaining", None)
    if not isinstance(remaining, int):
        return
    reset = getattr(result, "rate_limit_reset", None)
    conn.execute(
        "INSERT INTO syncbot_budgets (budget_key, remaining, reset_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (budget_key) DO UPDATE SET remaining = EXCLUDED.remaining, reset_at = EXCLUDED.reset_at,"
        " updated_at = now()",
        [key, remaining, reset if isinstance(reset, datetime) else None],
    )


def read(conn: Any, keys: list[str]) -> dict[str, Budget]:
    rows = conn.execute(
        "SELECT budget_key, remaining, reset_at FROM syncbot_budgets WHERE budget_key = ANY(%s)", [keys]
    ).fetchall()
    return {k: Budget(remaining, reset_at) for k, remaining, reset_at in rows}


class BudgetGauge:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.gauge = Gauge(
            "syncbot_request_budget_remaining",
            "Forge requests left in the rate-limit window, per installation or token, shared by all replicas",
            ["budget"],
            registry=registry,
        )

    def show(self, budgets: dict[str, Budget]) -> None:
        for key, b in budgets.items():
            self.gauge.labels(key).set(b.remaining)


def describe(b: Budget | None) -> dict[str, Any] | None:
    if b is None:
        return None
    reset = None if b.reset_at is None else b.reset_at.astimezone(UTC).isoformat()
    return {"remaining": b.remaining, "reset_at": reset, "low": b.low(datetime.now(UTC))}

"""The per-tracker sync the daemon calls: ``sync_tracker(settings, tracker)``.

The daemon looks this function up by name (``SYNCBOT_SYNC_FUNCTION``, default
``syncbot.runner:sync_tracker``) only when it serves, so importing the daemon pulls in no forge code.
It runs :func:`syncbot.engine.run_sync` — pull, push, report: what ``syncbot sync`` does — with the
``[[trackers]]`` entry's forge, repository, trailer key and milestone mode laid over the global settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncbot.engine import SyncReport
    from syncbot.settings import Settings, TrackerConfig


@dataclass(frozen=True)
class SyncOutcome:
    """What the daemon reads from a sync: success, a one-line summary, and forge API usage."""

    ok: bool
    summary: str = ""
    error: str | None = None
    api_requests: int = 0
    rate_limit_remaining: int | None = None
    rate_limit_reset: datetime | None = None  # when the forge's window of rate_limit_remaining ends


def tracker_settings(settings: Settings, tracker: TrackerConfig) -> Settings:
    """The global settings with one ``[[trackers]]`` entry's values laid over them."""
    return settings.model_copy(
        update={
            "tracker": tracker.path,
            "forge": tracker.forge or settings.forge,
            "repo": tracker.repo if tracker.repo is not None else settings.repo,
            "trailer_key": tracker.trailer_key or settings.trailer_key,
            "milestones": tracker.milestones or settings.milestones,
        }
    )


def sync_tracker(settings: Settings, tracker: TrackerConfig) -> SyncOutcome:
    """Sync one tracker.  Errors propagate: the daemon logs them, counts them and shows them on /readyz
    (a plan refused by the safety check raises too)."""
    from syncbot.engine import run_sync

    report = run_sync(tracker_settings(settings, tracker), tracker.path, progress=False, hints=tracker.hints)
    return outcome_of(report)


def outcome_of(report: SyncReport) -> SyncOutcome:
    """What the service records of a finished sync: its summary, requests and the forge's budget."""
    from syncbot.engine import describe

    stats = report.forge.stats
    return SyncOutcome(
        ok=True,
        summary="; ".join(describe(report)),
        api_requests=stats.gets + stats.writes,
        rate_limit_remaining=stats.rate_limit_remaining,
        rate_limit_reset=stats.rate_limit_reset,
    )

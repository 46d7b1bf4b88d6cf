"""A tracker's schedule as a procrastinate periodic task: a cron line (procrastinate's croniter takes a
sixth field for seconds) and a periodic id.

Every replica's worker runs procrastinate's periodic deferrer, and the database accepts one job per
task, periodic id and tick (``procrastinate_periodic_defers``), so a tick fires once across replicas.
"""

from __future__ import annotations

import hashlib
from typing import Any

from loguru import logger
from procrastinate import App
from procrastinate.periodic import PeriodicTask
from procrastinate.tasks import ConfigureTaskOptions

from syncbot.settings import parse_interval

# A periodic task every minute keeps procrastinate's deferrer awake (it stops for good when it starts
# with nothing to do, and sleeps until the next tick it knows): trackers added later get their ticks.
HOUSEKEEPING_CRON = "* * * * *"


def put(app: App, task: Any, cron: str, pid: str, options: ConfigureTaskOptions) -> None:
    """Add or replace a periodic task while the worker may be reading the registry: the registry's dict
    is replaced, never changed in place (the deferrer iterates it in another thread)."""
    registry = app.periodic_registry
    key = (task.name, pid)
    entry: PeriodicTask[Any, Any, Any] = PeriodicTask(task=task, cron=cron, periodic_id=pid, configure_kwargs=options)
    registry.periodic_tasks = {**{k: v for k, v in registry.periodic_tasks.items() if k != key}, key: entry}


def drop(app: App, task: Any, pid: str) -> None:
    registry = app.periodic_registry
    registry.periodic_tasks = {k: v for k, v in registry.periodic_tasks.items() if k != (task.name, pid)}


def cron_for(schedule: str) -> str:
    """``10m`` → ``*/10 * * * *``; a cron line stays as it is.  Cron counts from the top of the minute,
    hour or day, so an interval that does not divide it (``7m``, ``90s``) fires at the nearest step that
    does, and says so once."""
    seconds = parse_interval(schedule)
    if seconds is None:
        return schedule
    line, exact = _interval(seconds)
    if not exact:
        logger.warning("schedule {!r}: on PostgreSQL the schedule is a cron line; {!r} is used", schedule, line)
    return line


def _interval(seconds: int) -> tuple[str, bool]:
    if seconds < 60:
        step = max(seconds, 1)
        return f"* * * * * */{step}", 60 % step == 0
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"*/{minutes} * * * *", rest == 0 and 60 % minutes == 0
    hours, rest = divmod(seconds, 3600)
    if hours < 24:
        return f"0 */{hours} * * *", rest == 0 and 24 % hours == 0
    days, rest = divmod(seconds, 86400)
    return ("0 0 * * *" if days == 1 else f"0 0 */{days} * *"), rest == 0 and days == 1


def periodic_id(tracker_id: str) -> str:
    """procrastinate keeps periodic ids in 128 characters; a longer tracker id is shortened by a hash."""
    if len(tracker_id) <= 100:
        return tracker_id
    return tracker_id[:80] + "#" + hashlib.sha256(tracker_id.encode()).hexdigest()[:16]

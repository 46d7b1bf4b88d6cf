"""The fleet as ``syncbot serve`` runs it: what it discovers feeds the queue's set of trackers.

:class:`FleetFeed` sits between a :class:`~syncbot.fleet.discovery.Fleet` and a
:class:`~syncbot.service.queue.SyncQueue`: every change the fleet reports (a discovery, a webhook) becomes
``add_tracker``/``remove_tracker`` calls, and the webhook router asks it for the trackers served now.  A
discovery runs at start, then again every ``interval`` seconds in a thread of its own (conditional GETs:
an unchanged fleet costs no rate limit), so a missed webhook heals on its own.  Discovery and webhooks
are serialised: one change at a time reaches the queue.
"""

from __future__ import annotations

import threading
from typing import Any

from loguru import logger

from syncbot.fleet.discovery import Fleet, FleetChanges
from syncbot.service.queue import SyncQueue
from syncbot.settings import TrackerConfig
from syncbot.webhooks import Delivery

DEFAULT_INTERVAL = 600.0


class FleetFeed:
    def __init__(self, fleet: Fleet, queue: SyncQueue, *, interval: float = DEFAULT_INTERVAL) -> None:
        self.fleet = fleet
        self.queue = queue
        self.interval = interval
        self.discovered = False  # the first discovery finished (readiness waits for it)
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def follows(self, delivery: Delivery) -> bool:
        return self.fleet.follows(delivery)

    def trackers(self) -> list[TrackerConfig]:
        return self.fleet.trackers()

    def apply(self, delivery: Delivery) -> FleetChanges:
        """Follow a webhook (blocking: the app calls it off the event loop)."""
        with self._lock:
            changes = self.fleet.apply(delivery)
            self._feed(changes, sync=True)
        return changes

    def discover(self, *, sync: bool = True) -> FleetChanges:
        """Discover everything again; a failure (GitHub unreachable, the App's key refused) is logged and
        changes nothing."""
        with self._lock:
            try:
                changes = self.fleet.reconcile()
            except Exception as exc:  # the next discovery tries again; serving goes on
                self.last_error = f"{type(exc).__name__}: {exc}"
                logger.error("fleet discovery failed: {}", exc)
                return FleetChanges()
            self.last_error = None
            self.discovered = True
            self._feed(changes, sync=sync)
        return changes

    def _feed(self, changes: FleetChanges, *, sync: bool) -> None:
        for t in changes.removed:
            self.queue.remove_tracker(t.id)
        for t in [*changes.added, *changes.changed]:
            self.queue.add_tracker(t, sync=sync)

    def start(self, *, sync_on_start: bool = True) -> None:
        """The first discovery now, then one every ``interval`` seconds until :meth:`stop`."""
        self.discover(sync=sync_on_start)
        self._thread = threading.Thread(target=self._loop, name="syncbot-fleet-discovery", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.discover()

    def stop(self) -> None:
        self._stop.set()

    def status(self) -> dict[str, Any]:
        """For ``/readyz``: the repositories served, the trackers, and each repository's problem."""
        return {
            "discovered": self.discovered,
            "repositories": len(self.fleet.repos()),
            "trackers": len(self.fleet.trackers()),
            "problems": self.fleet.problems(),
            "last_error": self.last_error,
        }

"""The fleet as ``syncbot serve`` runs it: what it discovers feeds the queue's set of trackers.

:class:`FleetFeed` sits between a :class:`~syncbot.fleet.discovery.Fleet` and a
:class:`~syncbot.service.queue.SyncQueue`: every change the fleet reports (a discovery, a webhook) becomes
``add_tracker``/``remove_tracker`` calls, and the webhook router asks it for the trackers served now.

The first discovery runs at start (the app is ready once it is done).  After that one thread of the
feed's own does everything: the deliveries the webhook handler hands it (``submit``: the handler answers
at once, as GitHub gives a delivery ten seconds and an installation of a thousand repositories takes
longer to read), and a discovery every ``interval`` seconds (conditional GETs: an unchanged fleet costs
no rate limit), so a missed delivery heals on its own.  One change at a time reaches the queue.
"""

from __future__ import annotations

import queue as queues
import threading
import time
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
        self.last_changes = FleetChanges()  # what the last delivery or discovery changed
        self._lock = threading.Lock()
        self._inbox: queues.Queue[Delivery | None] = queues.Queue()
        self._busy = 0  # deliveries submitted and not yet applied
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None

    def follows(self, delivery: Delivery) -> bool:
        return self.fleet.follows(delivery)

    def trackers(self) -> list[TrackerConfig]:
        return self.fleet.trackers()

    # -- changes -------------------------------------------------------------------------------------------
    def submit(self, delivery: Delivery) -> None:
        """Hand a delivery to the feed's thread; returns at once."""
        with self._idle:
            self._busy += 1
        self._inbox.put(delivery)

    def apply(self, delivery: Delivery) -> FleetChanges:
        """Follow a webhook now (blocking: it may read many files)."""
        with self._lock:
            try:
                changes = self.fleet.apply(delivery)
            except Exception as exc:  # one bad delivery must not stop the feed
                logger.opt(exception=exc).error("fleet: {} {} not followed: {}", delivery.event, delivery.action, exc)
                return FleetChanges()
            self._feed(changes, sync=True)
            self.last_changes = changes
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
            self.last_changes = changes
        return changes

    def _feed(self, changes: FleetChanges, *, sync: bool) -> None:
        for t in changes.removed:
            self.queue.remove_tracker(t.id)
        for t in [*changes.added, *changes.changed]:
            self.queue.add_tracker(t, sync=sync)

    # -- the feed's thread -----------------------------------------------------------------------------------
    def start(self, *, sync_on_start: bool = True) -> None:
        """The first discovery now, then the thread: deliveries as they come, a discovery every
        ``interval`` seconds, until :meth:`stop`."""
        self.discover(sync=sync_on_start)
        self._thread = threading.Thread(target=self._loop, name="syncbot-fleet", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        due = time.monotonic() + self.interval
        while True:
            try:
                item = self._inbox.get(timeout=max(due - time.monotonic(), 0.0))
            except queues.Empty:
                self.discover()
                due = time.monotonic() + self.interval
                continue
            if item is None:
                return
            try:
                self.apply(item)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every submitted delivery was applied (for tests and a clean shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def stop(self) -> None:
        self._inbox.put(None)

    def status(self) -> dict[str, Any]:
        """For ``/readyz``: the repositories with a file, the trackers, each repository's problem."""
        return {
            "discovered": self.discovered,
            "repositories": len(self.fleet.repos()),
            "trackers": len(self.fleet.trackers()),
            "problems": self.fleet.problems(),
            "last_error": self.last_error,
            "pending_deliveries": self._busy,
        }

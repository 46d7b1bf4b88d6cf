"""What the HTTP app and the serve loop need from a queue of syncs, whatever runs it.

Both backends keep the same promises:

* ``request`` never runs a sync itself; a burst of requests for one tracker becomes one sync, and a
  request that arrives while that tracker's sync runs gets one more sync after it (never lost).
* at most one sync per tracker runs at a time, across every process sharing the backend;
* ``seen`` answers "was this webhook delivery accepted before?" (and remembers it), across processes;
* ``drain`` stops taking work and waits for running syncs; True when none is left running;
* the set of trackers may change while serving (``add_tracker``, ``remove_tracker``: a GitHub App fleet's
  repositories come and go), without a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from syncbot.settings import TrackerConfig

RequestResult = Literal["scheduled", "coalesced", "draining", "unknown"]


class SyncQueue(Protocol):
    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        """Begin taking work: the trackers' schedules (``schedules``) and one sync each at once
        (``sync_on_start``).  Called from the app's lifespan, before the first request."""
        ...

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult:
        """Ask for a sync; returns at once: ``scheduled`` (a new sync), ``coalesced`` (joins one pending
        or follows the running one), ``draining`` (refused: shutting down) or ``unknown`` (no such
        tracker, or no longer: a fleet's repository went away)."""
        ...

    def add_tracker(self, config: TrackerConfig, *, sync: bool = True) -> None:
        """Serve ``config`` from now on (a GitHub App fleet found it), or serve it with new settings (same
        id): its schedule, and once started a sync at once when ``sync`` (a new tracker) or after the
        debounce (new settings).  Before ``start`` it only joins the set ``start`` begins with."""
        ...

    def remove_tracker(self, tracker_id: str) -> None:
        """Stop serving a tracker: its schedule and a pending sync are dropped, later requests for it are
        ``unknown``; a sync already running finishes.  An unknown id is no error."""
        ...

    def seen(self, delivery_key: str) -> bool:
        """``forge:delivery-id`` was accepted before; records it otherwise."""
        ...

    def drain(self, timeout: float) -> bool:
        """Blocks (the app calls it off the event loop) up to ``timeout`` real seconds."""
        ...

    def ready(self) -> bool:
        """Started and not draining: ``/readyz`` answers 200."""
        ...

    def status(self) -> list[dict[str, Any]]:
        """One entry per tracker for ``/readyz``: ``tracker``, ``last_result`` (``ok``/``failed``/None),
        ``last_error`` (redacted), ``age_seconds``, ``duration_seconds``, ``running``, ``pending``."""
        ...

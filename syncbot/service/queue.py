"""What the HTTP app and the serve loop need from a queue of syncs, whatever runs it.

Both backends keep the same promises:

* ``request`` never runs a sync itself; a burst of requests for one tracker becomes one sync, and a
  request that arrives while that tracker's sync runs gets one more sync after it (never lost).
* at most one sync per tracker runs at a time, across every process sharing the backend;
* ``seen`` answers "was this webhook delivery accepted before?" (and remembers it), across processes;
* ``drain`` stops taking work and waits for running syncs; True when none is left running.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

RequestResult = Literal["scheduled", "coalesced", "draining"]


class SyncQueue(Protocol):
    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None:
        """Begin taking work: the trackers' schedules (``schedules``) and one sync each at once
        (``sync_on_start``).  Called from the app's lifespan, before the first request."""
        ...

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult:
        """Ask for a sync; returns at once: ``scheduled`` (a new sync), ``coalesced`` (joins one pending
        or follows the running one) or ``draining`` (refused: shutting down)."""
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

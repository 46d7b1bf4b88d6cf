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
    def start(self, *, sync_on_start: bool = True, schedules: bool = True) -> None: ...

    def request(self, tracker_id: str, reason: str, delivery_id: str = "", *, priority: int = 0) -> RequestResult: ...

    def seen(self, delivery_key: str) -> bool: ...

    def drain(self, timeout: float) -> bool: ...

    def ready(self) -> bool: ...

    def status(self) -> list[dict[str, Any]]: ...

"""The daemon's side of a webhook delivery: reading its body (bounded in size and in time), and the log of
delivery ids that makes a redelivery a no-op — kept in the state directory, so it survives a restart.

Ids reach this module cleaned (:func:`syncbot.webhooks.clean_delivery_id`): short, no spaces, no line
breaks, so one id is one line of the log file and one harmless token in a log line.
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict
from pathlib import Path

from fastapi import Request

from syncbot.statedir import ensure_state_dir

LOG_NAME = "webhook-deliveries.log"


class DeliveryLog:
    """The last ``size`` delivery ids seen (bounded, so memory and the file stay flat).  With ``path``
    every new id is appended to that file, and the ids in it are known again after a restart."""

    def __init__(self, size: int = 10_000, path: Path | None = None) -> None:
        self.size = size
        self.path = path
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lines = 0
        if path is not None and path.is_file():
            for line in path.read_text("utf-8", "replace").splitlines():
                self._remember(line.strip())
                self._lines += 1

    def seen(self, delivery_id: str) -> bool:
        """True when ``delivery_id`` was seen before; records it otherwise."""
        if delivery_id in self._ids:
            self._ids.move_to_end(delivery_id)
            return True
        self._remember(delivery_id)
        self._append(delivery_id)
        return False

    def _remember(self, delivery_id: str) -> None:
        if not delivery_id:
            return
        self._ids[delivery_id] = None
        self._ids.move_to_end(delivery_id)
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)

    def _append(self, delivery_id: str) -> None:
        if self.path is None:
            return
        try:
            ensure_state_dir(self.path.parent)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(delivery_id + "\n")
            self._lines += 1
            if self._lines > 2 * self.size:
                self._compact()
        except OSError:
            pass  # a read-only state directory: the log still works in memory

    def _compact(self) -> None:
        assert self.path is not None
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("".join(f"{i}\n" for i in self._ids), "utf-8")
        os.replace(tmp, self.path)
        self._lines = len(self._ids)


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body, refusing more than ``limit`` bytes whether or not Content-Length tells the truth, and a
    body still arriving after ``timeout`` seconds (a slow sender holds a connection open for nothing)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyTooLarge
    except TimeoutError:
        raise BodyTooSlow from None
    return bytes(body)

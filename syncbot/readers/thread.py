"""Reader for the thread shape."""

from __future__ import annotations

from syncbot.readers import register
from syncbot.readers.common import Document, ReadResult


@register("thread")
def read(doc: Document) -> ReadResult:
    return ReadResult(reader="thread", notes=["not implemented yet"])

"""Reader for the tasklist shape."""

from __future__ import annotations

from syncbot.readers import register
from syncbot.readers.common import Document, ReadResult


@register("tasklist")
def read(doc: Document) -> ReadResult:
    return ReadResult(reader="tasklist", notes=["not implemented yet"])

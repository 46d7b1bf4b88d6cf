"""Reader for the table shape."""

from __future__ import annotations

from syncbot.readers import register
from syncbot.readers.common import Document, ReadResult


@register("table")
def read(doc: Document) -> ReadResult:
    return ReadResult(reader="table", notes=["not implemented yet"])

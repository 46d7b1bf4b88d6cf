"""Reader for the phases shape."""

from __future__ import annotations

from syncbot.readers import register
from syncbot.readers.common import Document, ReadResult


@register("phases")
def read(doc: Document) -> ReadResult:
    return ReadResult(reader="phases", notes=["not implemented yet"])

"""Reader for the components shape."""

from __future__ import annotations

from syncbot.readers import register
from syncbot.readers.common import Document, ReadResult


@register("components")
def read(doc: Document) -> ReadResult:
    return ReadResult(reader="components", notes=["not implemented yet"])

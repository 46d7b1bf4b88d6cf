"""Readers turn a tracker document into the model.  Each shape has one reader; detection runs them all
and keeps the one that explains the document best.  ``read_tracker`` is the only entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from syncbot.model import Tracker
from syncbot.readers.common import Document, ReadResult, TrackerError, gc_paused

Reader = Callable[[Document], ReadResult]

# name -> reader; filled by the shape modules at the bottom of this file
READERS: dict[str, Reader] = {}


def register(name: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        READERS[name] = fn
        return fn

    return deco


def load_document(path: str | Path) -> Document:
    """Read a tracker file; a missing, binary, undecodable or empty file is a :class:`TrackerError`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TrackerError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise TrackerError(f"{p}: is a directory, not a tracker file") from None
    except OSError as exc:
        raise TrackerError(f"{p}: cannot read: {exc.strerror}") from None
    if b"\x00" in data[:8192]:
        raise TrackerError(f"{p}: binary file, not a markdown tracker")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrackerError(f"{p}: not UTF-8 text (byte {exc.start}); save the tracker as UTF-8") from None
    if not text.strip():
        raise TrackerError(f"{p}: empty file, nothing to read")
    return Document(str(path), text)


def score(result: ReadResult) -> float:
    return len(result.sessions) * result.confidence


def _evidence(result: ReadResult) -> int:
    """How much a reading pins down (written statuses, dependencies, checklist items); breaks ties between
    readers that found the same number of units with the same confidence."""
    return sum(bool(s.status_spans) + len(s.prerequisites) + len(s.checklist) for s in result.sessions)


def read_document(doc: Document, shape: str | None = None) -> tuple[Tracker, list[ReadResult]]:
    """Read ``doc`` with the reader for ``shape``, or with the best-scoring reader.

    Returns the tracker and every reader's result (``inspect`` shows them when nothing was found).
    """
    if shape is not None and shape not in READERS:
        raise TrackerError(f"unknown shape {shape!r}; choose one of: {', '.join(READERS)}")
    names = [shape] if shape else list(READERS)
    with gc_paused():
        results = [READERS[n](doc) for n in names]
    best = max(results, key=lambda r: (round(score(r), 6), _evidence(r)))
    tracker = Tracker(
        path=doc.path,
        title=best.title,
        shape=best.reader if best.sessions else "unknown",
        sessions=best.sessions,
        summary_lines=best.summary_lines,
        problems=list(best.problems),
        mojibake=doc.mojibake,
    )
    return tracker, results


def read_tracker(path: str | Path, shape: str | None = None) -> Tracker:
    return read_document(load_document(path), shape)[0]


# Shape modules register themselves on import.
from syncbot.readers import (  # noqa: E402,F401
    board,
    components,
    phases,
    sections,
    table,
    tasklist,
    thread,
)

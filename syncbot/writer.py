"""Changing statuses in a tracker file with a minimal diff, in the document's own words.

Only the status spans the reader recorded and the summary lines the document already has are rewritten;
every other character, the line endings and the trailing newline stay as they were.  A mojibake document
stays consistently mojibake: new words are spelled the way the file spells everything else.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from syncbot.graph import build_graph
from syncbot.model import Session, SpanKind, Status, SummaryKind, Tracker
from syncbot.readers.common import Document, to_mojibake
from syncbot.readers.legend import legend_of
from syncbot.readers.status_words import classify_status


class WriteError(Exception):
    """A status cannot be written (no such session, or the file has nowhere to write it)."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


_WORD = {
    Status.PLANNED: "Planned",
    Status.READY: "Ready",
    Status.IN_PROGRESS: "In Progress",
    Status.BLOCKED: "Blocked",
    Status.FAILED: "Failed",
    Status.DONE: "Done",
    Status.DROPPED: "Dropped",
}
_EMOJI = {
    Status.PLANNED: "⏳",
    Status.READY: "▶️",
    Status.IN_PROGRESS: "🚧",
    Status.BLOCKED: "🚫",
    Status.FAILED: "❌",
    Status.DONE: "✅",
    Status.DROPPED: "🗑️",
}
_LEADING_EMOJI = re.compile(r"^\s*([^\w\s*_`~\[\(]+)\s*")
_TRAILING_EMOJI = re.compile(r"\s*([^\w\s*_`~\]\)]+)\s*$")


def _vocabulary(doc: Document, tracker: Tracker) -> dict[tuple[Status, SpanKind], str]:
    """The most common raw spelling the document uses for each (status, kind of place)."""
    seen: dict[tuple[Status, SpanKind], Counter[str]] = {}
    for s in tracker.sessions:
        for ss in s.status_spans:
            if ss.kind is SpanKind.CHECKBOX:
                continue
            raw = ss.span.slice(doc.text)
            if classify_status(doc.fix(raw)) is s.status:
                seen.setdefault((s.status, ss.kind), Counter())[raw] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def _mark(status: Status, legend: dict[Status, str], taken: set[str]) -> str:
    """The mark for ``status``: the document's own (its legend), else ours unless the legend gives ours
    another meaning (a `⏳` that means in progress there must not say planned here)."""
    if status in legend:
        return legend[status]
    return "" if _EMOJI[status].replace("\ufe0f", "") in taken else _EMOJI[status]


def _styled(template_fixed: str, status: Status, legend: dict[Status, str] | None = None) -> str:
    """A spelling of ``status`` that looks like ``template_fixed`` (emoji, bold, capitals), with the
    document's ``legend`` (status -> mark) for its marks."""
    own = legend or {}
    mark = _mark(status, own, set(own.values()))
    word = _WORD[status]
    core = re.sub(r"[*_`~]", "", template_fixed)
    letters = [ch for ch in core if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        word = word.upper()
    elif letters and all(ch.islower() for ch in letters):
        word = word.lower()
    if "**" in template_fixed:
        word = f"**{word}**"
    if mark and _LEADING_EMOJI.match(template_fixed) and any(not ch.isascii() for ch in template_fixed[:3]):
        word = f"{mark} {word}"
    elif mark and _TRAILING_EMOJI.search(template_fixed) and any(not ch.isascii() for ch in template_fixed[-3:]):
        word = f"{word} {mark}"
    return word


def status_text_for(doc: Document, tracker: Tracker, session: Session, kind: SpanKind, status: Status) -> str:
    """The raw text to write for ``status`` in a place of ``kind``, in the document's vocabulary."""
    vocab = _vocabulary(doc, tracker)
    if (status, kind) in vocab:
        return vocab[(status, kind)]
    for (st, _), raw in vocab.items():  # the same status written in another kind of place
        if st is status:
            return raw
    current = next((ss for ss in session.status_spans if ss.kind is kind), None)
    template = doc.fix(current.span.slice(doc.text)) if current else ""
    legend = {st: mark for mark, st in reversed(legend_of(doc).items())}  # the first mark of a status wins
    text = _styled(template, status, legend)
    if classify_status(text) is not status:  # never write something that reads back differently
        text = _WORD[status]
    return to_mojibake(text) if doc.mojibake else text


def _checkbox_mark(doc: Document, tracker: Tracker, status: Status) -> str:
    marks = Counter(c.mark.slice(doc.text) for s in tracker.sessions for c in s.checklist if c.mark is not None)
    marks.update(
        ss.span.slice(doc.text) for s in tracker.sessions for ss in s.status_spans if ss.kind is SpanKind.CHECKBOX
    )
    if status is Status.DONE:
        return "X" if marks["X"] > marks["x"] else "x"
    if status is Status.IN_PROGRESS and marks["/"]:
        return "/"
    if status is Status.DROPPED and marks["-"]:
        return "-"
    return " "


def status_edits(doc: Document, tracker: Tracker, changes: dict[str, Status]) -> list[Edit]:
    """The edits that write ``changes`` (key → new status) and refresh the summary lines."""
    by_key = tracker.by_key()
    edits: list[Edit] = []
    for key, status in changes.items():
        session = by_key.get(key)
        if session is None:
            raise WriteError(f"{doc.path}: no session {key!r}; known keys: {', '.join(by_key)}")
        if session.status is status:
            continue
        if not session.status_spans:
            raise WriteError(
                f"{doc.path}:{session.line}: session {key} has no status written in the file; "
                "add a status (a cell, a heading word or a checkbox) for syncbot to update"
            )
        for ss in session.status_spans:
            if ss.kind is SpanKind.CHECKBOX:
                text = _checkbox_mark(doc, tracker, status)
            else:
                text = status_text_for(doc, tracker, session, ss.kind, status)
            if text != ss.span.slice(doc.text):
                edits.append(Edit(ss.span.start, ss.span.end, text))
    if edits:
        edits.extend(_summary_edits(doc, tracker, changes))
    return edits


def _summary_edits(doc: Document, tracker: Tracker, changes: dict[str, Status]) -> list[Edit]:
    sessions = [replace(s, status=changes.get(s.key, s.status)) for s in tracker.sessions]
    after = replace(tracker, sessions=sessions)
    total = len(after.sessions)
    done = sum(s.status is Status.DONE for s in after.sessions)
    counted = total - sum(s.status is Status.DROPPED for s in after.sessions)
    pct = round(100 * done / counted) if counted else 100
    edits: list[Edit] = []
    for sl in tracker.summary_lines:
        new = sl.text
        if sl.kind is SummaryKind.COMPLETED:
            new = re.sub(r"\d+(\s*(?:/|of)\s*)\d+", lambda m: f"{done}{m.group(1)}{total}", sl.text, count=1)
        elif sl.kind is SummaryKind.PROGRESS:
            new = re.sub(r"\d+(?:\.\d+)?(\s*%)", lambda m: f"{pct}{m.group(1)}", sl.text, count=1)
        elif sl.kind is SummaryKind.NEXT_READY:
            new = _next_ready_text(sl.text, build_graph(after).ready())
        if new != sl.text:
            edits.append(Edit(sl.span.start, sl.span.end, new))
    return edits


def _next_ready_text(old: str, ready: list[str]) -> str:
    if not ready:
        return "None"
    m = re.match(r"^(\W*)([A-Za-z][\w ]*?)?\s*([\w.-]*\d[\w.-]*)(.*)$", old)
    if not m:
        return ", ".join(ready)
    lead, word, _key, _rest = m.groups()
    word = (word or "").strip()
    if not word:
        return lead + ", ".join(ready)
    if len(ready) > 1 and not word.endswith("s"):
        word += "s"
    elif len(ready) == 1 and word.endswith("s") and word.lower() not in ("status",):
        word = word[:-1]
    return f"{lead}{word} {', '.join(ready)}"


def apply_edits(text: str, edits: list[Edit]) -> str:
    ordered = sorted(edits, key=lambda e: e.start)
    for a, b in itertools.pairwise(ordered):
        if a.end > b.start:
            raise WriteError(f"overlapping status spans at offsets {a.start} and {b.start}; not writing")
    out, pos = [], 0
    for e in ordered:
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def set_statuses(doc: Document, tracker: Tracker, changes: dict[str, Status]) -> str:
    """The document's new text with ``changes`` applied (the same text when nothing changes)."""
    return apply_edits(doc.text, status_edits(doc, tracker, changes))


def write_atomically(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a crash leaves the old file or the new, never half.

    The byte-order mark, if the file had one, is kept.
    """
    p = Path(path)
    bom = p.read_bytes()[:3] == b"\xef\xbb\xbf" if p.exists() else False
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if p.exists():
            os.chmod(tmp, p.stat().st_mode & 0o7777)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

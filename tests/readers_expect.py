"""Comparing a reading with a hand-made ``*.expected.json`` (schema: ../shared/trackers/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from syncbot.model import Session, SpanKind, Status, Tracker
from syncbot.readers import read_document
from syncbot.readers.common import Document

HERE = Path(__file__).parent
SEEDS = HERE / "fixtures" / "seeds"
CORPUS = HERE.parent.parent / "shared" / "trackers" / "corpus"


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text())
    return data


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def assert_matches(tracker: Tracker, truth: dict[str, Any]) -> None:
    """Every expected unit, in order, with its key, status, prerequisites and checklist count; no extras."""
    got = tracker.sessions
    want = truth["sessions"]
    assert [s.key for s in got] == [_as_list(u["key"])[0] for u in want], [s.key for s in got]
    for s, u in zip(got, want, strict=True):
        assert s.status.value in _as_list(u["status"]), (s.key, s.status, u["status"])
        if "prerequisites" in u:
            assert sorted(s.prerequisites) == sorted(_as_list(p)[0] for p in u["prerequisites"]), (
                s.key,
                s.prerequisites,
            )
        if "checklist" in u:
            assert len(s.checklist) == u["checklist"], (s.key, len(s.checklist))
        if "title" in u:
            assert u["title"].lower() in s.title.lower() or s.title.lower() in u["title"].lower(), (s.key, s.title)


def assert_spans_exact(doc: Document, sessions: list[Session]) -> int:
    """Each status span covers exactly the status as written, and each checkbox mark the char in brackets;
    a writer that replaces these spans must find what the reader saw.  Returns how many spans were checked."""
    n = 0
    for s in sessions:
        assert 1 <= s.line <= s.end_line <= len(doc.lines), (s.key, s.line, s.end_line)
        for ss in s.status_spans:
            raw = ss.span.slice(doc.text)
            assert raw == raw.strip() and raw, (s.key, raw)
            assert doc.fix(raw) == s.status_text, (s.key, raw, s.status_text)
            assert raw in doc.lines[ss.line - 1], (s.key, ss.line)
            if ss.kind is SpanKind.CELL:
                assert raw.count("|") == raw.count("\\|"), (s.key, raw)
            n += 1
        for item in s.checklist:
            assert item.mark is not None
            mark = item.mark.slice(doc.text)
            assert mark in (" ", "x", "X", "/", "~", "-") and (mark in "xX") == item.done, (s.key, item)
            assert doc.lines[item.line - 1].count("[" + mark + "]") >= 1
            n += 1
    return n


def read_units(text: str) -> dict[str, tuple[Status, list[str]]]:
    """What a reader of ``text`` (a tracker written inline in a test) finds: key -> (status, prerequisites)."""
    tracker, _ = read_document(Document("PLAN.md", text))
    return {s.key: (s.status, s.prerequisites) for s in tracker.sessions}
